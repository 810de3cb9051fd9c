"""The city's map: a jittered grid of neighbourhoods whose unions are the service districts.

Rings are written clockwise (in longitude/latitude), the winding d3, Vega-Lite and Altair expect:
with RFC 7946's counter-clockwise rings, d3 draws the whole globe minus the polygon. GeoPandas,
Shapely and QGIS accept either winding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

COLS, ROWS = 8, 6
WEST, SOUTH = -98.52, 37.70  # an arbitrary spot: the city and its map are fictional
CELL_LON, CELL_LAT = 0.030, 0.16 / ROWS
CORNER_JITTER = 0.12  # share of a cell each corner may move
EDGE_BULGE = 0.06  # share of a cell an edge midpoint may move sideways
DISTRICT_SIZES = (5, 5, 5, 5, 4)  # neighbourhoods per district in each half of the city
KM_PER_DEG_LAT = 110.574
CITY_HALL = (-98.4040, 37.7780)  # the civic centre, near the middle of the grid

Point = tuple[float, float]


@dataclass(frozen=True)
class Grid:
    """Jittered vertices of the neighbourhood grid and which district each cell is in."""

    corners: np.ndarray  # (COLS+1, ROWS+1, 2) lon/lat
    midpoints: dict[tuple[tuple[int, int], tuple[int, int]], Point]
    cells: tuple[tuple[int, int], ...]  # (col, row) in neighbourhood order
    district_of_cell: tuple[int, ...]  # district number (1-based) per cell, same order


def _snake(half: int) -> list[tuple[int, int]]:
    """Cells of one half of the grid (rows 0-2 or 3-5) in boustrophedon order, column by column."""
    rows = range(3 * half, 3 * half + 3)
    order = []
    for col in range(COLS):
        order += [(col, r) for r in (rows if col % 2 == 0 else reversed(rows))]
    return order


def build_grid(rng: np.random.Generator) -> Grid:
    """Jitter the grid and cut each half into contiguous districts."""
    corners = np.zeros((COLS + 1, ROWS + 1, 2))
    for c in range(COLS + 1):
        for r in range(ROWS + 1):
            jx, jy = rng.uniform(-CORNER_JITTER, CORNER_JITTER, 2)
            corners[c, r] = (WEST + (c + jx) * CELL_LON, SOUTH + (r + jy) * CELL_LAT)
    midpoints: dict = {}
    edges = [((c, r), (c + 1, r)) for c in range(COLS) for r in range(ROWS + 1)]
    edges += [((c, r), (c, r + 1)) for c in range(COLS + 1) for r in range(ROWS)]
    for a, b in edges:
        (x0, y0), (x1, y1) = corners[a], corners[b]
        bulge = rng.uniform(-EDGE_BULGE, EDGE_BULGE)
        horizontal = a[1] == b[1]
        midpoints[(a, b)] = (
            (x0 + x1) / 2 + (0 if horizontal else bulge * CELL_LON),
            (y0 + y1) / 2 + (bulge * CELL_LAT if horizontal else 0),
        )
    cells: list[tuple[int, int]] = []
    districts: list[int] = []
    number = 0
    for half in (0, 1):
        order = _snake(half)
        start = 0
        for size in DISTRICT_SIZES:
            number += 1
            cells += order[start : start + size]
            districts += [number] * size
            start += size
    return Grid(corners=corners, midpoints=midpoints, cells=tuple(cells), district_of_cell=tuple(districts))


def _round(p: Point) -> Point:
    return (round(float(p[0]), 5), round(float(p[1]), 5))


def cell_ring(grid: Grid, cell: tuple[int, int]) -> list[Point]:
    """Closed clockwise ring of a cell: up the west side, across the top, down the east, back along the bottom."""
    c, r = cell
    sw, nw, ne, se = (c, r), (c, r + 1), (c + 1, r + 1), (c + 1, r)
    path = [sw, ("m", sw, nw), nw, ("m", nw, ne), ne, ("m", se, ne), se, ("m", sw, se)]
    ring = [_round(grid.midpoints[(p[1], p[2])]) if p[0] == "m" else _round(grid.corners[p]) for p in path]
    return ring + [ring[0]]


def union_ring(rings: list[list[Point]]) -> list[Point]:
    """Outline of adjacent rings that share edges: drop edges used both ways, chain the rest."""
    directed = [(ring[i], ring[i + 1]) for ring in rings for i in range(len(ring) - 1)]
    present = set(directed)
    boundary = [e for e in directed if (e[1], e[0]) not in present]
    following = {}
    for a, b in boundary:
        if a in following:
            raise ValueError("district touches itself at a corner")
        following[a] = b
    start = boundary[0][0]
    ring = [start]
    while (nxt := following[ring[-1]]) != start:
        ring.append(nxt)
        if len(ring) > len(boundary):
            raise ValueError("district outline does not close")
    if len(ring) != len(boundary):
        raise ValueError("district has more than one outline (not contiguous or has a hole)")
    return ring + [start]


def signed_area(ring: list[Point]) -> float:
    """Shoelace area in degrees squared: negative for clockwise rings."""
    xy = np.asarray(ring)
    return 0.5 * float(np.sum(xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1]))


def area_km2(ring: list[Point]) -> float:
    """Area of a small ring in square kilometres (equirectangular approximation)."""
    lat0 = np.radians(np.mean([p[1] for p in ring]))
    return abs(signed_area(ring)) * KM_PER_DEG_LAT * KM_PER_DEG_LAT * np.cos(lat0)


def centroid(ring: list[Point]) -> Point:
    """Area centroid of a ring."""
    xy = np.asarray(ring)
    cross = xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1]
    a = cross.sum() / 2
    return (
        float(np.sum((xy[:-1, 0] + xy[1:, 0]) * cross) / (6 * a)),
        float(np.sum((xy[:-1, 1] + xy[1:, 1]) * cross) / (6 * a)),
    )


def random_points(
    grid: Grid, cell_index: np.ndarray, rng: np.random.Generator, margin: float = 0.16
) -> tuple[np.ndarray, np.ndarray]:
    """Random points well inside the given cells (bilinear blend of the cell's corners)."""
    cols = np.array([grid.cells[i][0] for i in range(len(grid.cells))])[cell_index]
    rows = np.array([grid.cells[i][1] for i in range(len(grid.cells))])[cell_index]
    u = rng.uniform(margin, 1 - margin, len(cell_index))[:, None]
    v = rng.uniform(margin, 1 - margin, len(cell_index))[:, None]
    sw, se = grid.corners[cols, rows], grid.corners[cols + 1, rows]
    nw, ne = grid.corners[cols, rows + 1], grid.corners[cols + 1, rows + 1]
    xy = (1 - u) * (1 - v) * sw + u * (1 - v) * se + (1 - u) * v * nw + u * v * ne
    return xy[:, 0], xy[:, 1]


def points_in_ring(lon: np.ndarray, lat: np.ndarray, ring: list[Point]) -> np.ndarray:
    """Ray-casting test: which points fall inside the ring."""
    xy = np.asarray(ring)
    inside = np.zeros(len(lon), dtype=bool)
    for (x0, y0), (x1, y1) in zip(xy[:-1], xy[1:]):
        crosses = (y0 > lat) != (y1 > lat)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
        inside ^= crosses & (lon < x_at)
    return inside


def feature_collection(rings: list[list[Point]], properties: list[dict]) -> dict:
    """A GeoJSON FeatureCollection of single-ring polygons."""
    features = [
        {
            "type": "Feature",
            "properties": props,
            "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in ring]]},
        }
        for ring, props in zip(rings, properties)
    ]
    return {"type": "FeatureCollection", "features": features}
