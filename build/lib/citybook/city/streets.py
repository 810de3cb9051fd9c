"""The street network: arterials along the grid lines, collectors and local streets in each neighbourhood."""

from __future__ import annotations

import numpy as np
import pandas as pd

from citybook.city import geography

NORTH_SOUTH_ARTERIALS = (
    "Harbor Blvd",
    "Fremont Ave",
    "Calloway Ave",
    "Union Ave",
    "Ambrel Ave",
    "Meridian Ave",
    "Foundry Rd",
    "Kestrel Ave",
    "Eastline Rd",
)
EAST_WEST_ARTERIALS = (
    "Southway Blvd",
    "Granary Rd",
    "Market St",
    "Central Ave",
    "Mission Rd",
    "Ridgeline Blvd",
    "Quarry Rd",
)
_LOCAL_STEMS = (
    "Acacia",
    "Alamo",
    "Amber",
    "Arbor",
    "Aspen",
    "Avalon",
    "Bayberry",
    "Beacon",
    "Birch",
    "Bluebell",
    "Bramble",
    "Brookside",
    "Buckeye",
    "Camino Real",
    "Canyon",
    "Cardinal",
    "Cascade",
    "Chestnut",
    "Cielo",
    "Clover",
    "Cobble",
    "Colina",
    "Coral",
    "Cottonwood",
    "Creekside",
    "Cypress",
    "Dahlia",
    "Dogwood",
    "Dove",
    "Driftwood",
    "Elm",
    "Ember",
    "Encina",
    "Fern",
    "Fieldstone",
    "Finch",
    "Flint",
    "Garnet",
    "Glade",
    "Granite",
    "Harvest",
    "Hazel",
    "Heron",
    "Hickory",
    "Holly",
    "Indigo",
    "Iris",
    "Jasmine",
    "Juniper",
    "Lark",
    "Laurel",
    "Lilac",
    "Linden",
    "Loma",
    "Lupine",
    "Magnolia",
    "Mallard",
    "Manzanita",
    "Maple",
    "Meadow",
    "Mesa",
    "Mockingbird",
    "Monarch",
    "Mulberry",
    "Myrtle",
    "Nogal",
    "Oak",
    "Olive",
    "Orchard",
    "Oriole",
    "Palomino",
    "Pecan",
    "Pepper",
    "Pine",
    "Piñon",
    "Plum",
    "Poplar",
    "Prairie",
    "Primrose",
    "Quail",
    "Quince",
    "Rancho",
    "Raven",
    "Redbud",
    "Ridge",
    "Robin",
    "Rosewood",
    "Sage",
    "Saguaro",
    "Sandpiper",
    "Sequoia",
    "Sierra",
    "Sparrow",
    "Spruce",
    "Sumac",
    "Summit",
    "Sunflower",
    "Tamarack",
    "Thistle",
    "Thrush",
    "Timber",
    "Tulip",
    "Tupelo",
    "Valley",
    "Verbena",
    "Vista",
    "Walnut",
    "Warbler",
    "Willow",
    "Wisteria",
    "Wren",
    "Yarrow",
    "Yucca",
    "Zinnia",
    "Abbott",
    "Barlow",
    "Carver",
    "Delacroix",
    "Emerson",
    "Fuentes",
    "Garrison",
    "Hollis",
    "Ingram",
    "Jimenez",
    "Kendall",
    "Lowell",
    "Monroe",
    "Navarro",
    "Orton",
    "Pryor",
    "Quintero",
    "Ramsey",
    "Sutton",
    "Talbot",
    "Underhill",
    "Varela",
    "Whitley",
    "Yates",
    "Zamora",
    "Aldana",
    "Bexley",
    "Corbin",
    "Dunmore",
    "Ellery",
    "Fairbanks",
    "Gilmore",
    "Harlan",
    "Iverson",
    "Jessup",
    "Kinsey",
    "Lorne",
    "Merritt",
    "Nolan",
    "Osgood",
    "Pemberton",
    "Radley",
    "Sheridan",
    "Thayer",
    "Upton",
    "Vance",
    "Winslow",
    "Arroyo",
    "Bonita",
    "Cerro",
    "Dorado",
    "Estrella",
    "Flores",
    "Gaviota",
    "Hermosa",
    "Isla",
    "Jardín",
    "Lago",
    "Marina",
    "Nube",
    "Paloma",
    "Rio",
    "Sol",
    "Tierra",
    "Vereda",
)
_LOCAL_SUFFIXES = ("St", "Ave", "Dr", "Ln", "Ct", "Pl", "Way", "Ter", "Cir", "Rd")
LOCAL_PER_HOOD = 6


def network(grid: geography.Grid, rng: np.random.Generator) -> pd.DataFrame:
    """Every street with the neighbourhood (cell index) it serves and its functional class.

    Arterials run along the grid lines and are listed once for each neighbourhood they border
    (west and south sides, plus the city's east and north edges); locals and one collector are
    unique to a neighbourhood.
    """
    rows = []
    pool = [f"{stem} {suffix}" for stem in _LOCAL_STEMS for suffix in _LOCAL_SUFFIXES]
    names = iter(rng.permutation(pool))  # every street name is unique citywide
    for i, (col, row) in enumerate(grid.cells):
        sides = [(NORTH_SOUTH_ARTERIALS[col], "ns"), (EAST_WEST_ARTERIALS[row], "ew")]
        if col == geography.COLS - 1:
            sides.append((NORTH_SOUTH_ARTERIALS[col + 1], "ns"))
        if row == geography.ROWS - 1:
            sides.append((EAST_WEST_ARTERIALS[row + 1], "ew"))
        rows += [
            {"cell": i, "street_name": name, "functional_class": "arterial", "orientation": o} for name, o in sides
        ]
        rows.append(
            {
                "cell": i,
                "street_name": next(names),
                "functional_class": "collector",
                "orientation": "ns" if i % 2 else "ew",
            }
        )
        for k in range(LOCAL_PER_HOOD):
            rows.append(
                {
                    "cell": i,
                    "street_name": next(names),
                    "functional_class": "local",
                    "orientation": "ns" if k % 2 else "ew",
                }
            )
    return pd.DataFrame(rows)


def block_addresses(
    streets: pd.DataFrame, grid: geography.Grid, cell_index: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """A block-level address ("1200 block of Elm St") in each given neighbourhood.

    House numbers rise from the south-west: north-south streets are numbered by row, east-west
    streets by column. Exact addresses are never published, only the block.
    """
    by_cell = streets.groupby("cell")
    names = {c: g["street_name"].to_numpy() for c, g in by_cell}
    orient = {c: g["orientation"].to_numpy() for c, g in by_cell}
    out = np.empty(len(cell_index), dtype=object)
    pick = rng.random(len(cell_index))
    offset = rng.integers(0, 10, len(cell_index))
    for c in np.unique(cell_index):
        mask = cell_index == c
        k = (pick[mask] * len(names[c])).astype(int)
        col, row = grid.cells[c]
        base = np.where(orient[c][k] == "ns", row, col) * 10 + 1
        blocks = (base + offset[mask]) * 100
        out[mask] = [f"{b} block of {n}" for b, n in zip(blocks, names[c][k])]
    return out
