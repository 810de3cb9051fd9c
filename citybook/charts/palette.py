"""Colour palettes that colour-blind readers can tell apart (Okabe and Ito, 2008), at 3:1 on white.

Okabe-Ito's light colours (orange, sky blue, reddish purple, yellow) fall short of WCAG 1.4.11's 3:1
against a white background; here they are darkened in the same hue until they reach it (3.2:1 and up,
checked in tests/charts). Text in any of these colours is darkened further, to 4.5:1, by the renderer.
"""

# Ordered so the first colours differ most in lightness as well as hue.
CATEGORY = [
    "#0072B2",  # blue (5.2:1)
    "#BD8200",  # orange, darkened from #E69F00 (3.3:1)
    "#009E73",  # bluish green (3.4:1)
    "#D55E00",  # vermillion (3.9:1)
    "#C474A0",  # reddish purple, darkened from #CC79A7 (3.3:1)
    "#4897C4",  # sky blue, darkened from #56B4E9 (3.2:1)
    "#000000",  # black
    "#9A922A",  # yellow, darkened from #F0E442 to olive (3.2:1): last
]
# Okabe-Ito colours that lessons name directly, and the palette colour that replaces each.
DARKENED = {
    "#E69F00": "#BD8200",
    "#56B4E9": "#4897C4",
    "#CC79A7": "#C474A0",
    "#F0E442": "#9A922A",
}
HIGHLIGHT = "#D55E00"  # the one thing a chart wants the reader to see
MUTED = "#8C8C8C"  # context: other series, earlier years (3.4:1; as text it is darkened to 4.5:1)
TARGET = "#000000"  # targets and standards
TEXT = "#1F1F1F"
LIGHT_TEXT = "#FFFFFF"  # labels on dark cells
DARK_TEXT = "#000000"  # labels on light cells: black, so every cell colour gives one of the two 4.5:1
GRID = "#E3E3E3"
SEQUENTIAL_SCHEME = "viridis"
DIVERGING_SCHEME = "blueorange"
# Told apart without colour: a dash pattern per line series, a shape per point series.
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [12, 4], [3, 5], [8, 2, 2, 2, 2, 2], [1, 3]]
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-right", "wedge"]
