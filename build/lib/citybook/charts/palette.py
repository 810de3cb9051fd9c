"""Colour palettes that colour-blind readers can tell apart (Okabe and Ito, 2008)."""

# Ordered so the first colours differ most in lightness as well as hue.
CATEGORY = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow: last, as it is faint on white
]
HIGHLIGHT = "#D55E00"  # the one thing a chart wants the reader to see
MUTED = "#8C8C8C"  # context: other series, earlier years
TARGET = "#000000"  # targets and standards
TEXT = "#1F1F1F"
GRID = "#E3E3E3"
SEQUENTIAL_SCHEME = "viridis"
DIVERGING_SCHEME = "blueorange"
