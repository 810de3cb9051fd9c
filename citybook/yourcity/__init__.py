"""Your own city: run lesson 04's 311 analysis on a city's real export (CSV, Excel or Open311 JSON).

One module per step: `mapping` and `presets` say which column holds what, `readers` open the file,
`dates` parse its times, `load` builds the Open311-shaped table in DuckDB and counts every unusable row,
`schema` checks it against the sample city's Frictionless schema, `measures` computes the lesson's
measures, `charts` and `report` draw them, and `cli` is the `citybook city-report` command.
"""

from citybook.yourcity.errors import CityDataError
from citybook.yourcity.pipeline import CityAnalysis, analyse

__all__ = ["CityAnalysis", "CityDataError", "analyse"]
