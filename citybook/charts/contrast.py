"""WCAG 2.1 contrast arithmetic for the chart palette: relative luminance, ratios, darkening."""

from __future__ import annotations

import re

WHITE = "#FFFFFF"
MARK_CONTRAST = 3.0  # WCAG 1.4.11: graphical objects
TEXT_CONTRAST = 4.5  # WCAG 1.4.3: normal-size text
_HEX = re.compile(r"^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


def is_hex_colour(value: object) -> bool:
    """Return whether value is a #RGB or #RRGGBB colour string."""
    return isinstance(value, str) and bool(_HEX.match(value))


def _rgb(colour: str) -> tuple[int, int, int]:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def relative_luminance(colour: str) -> float:
    """Return the WCAG relative luminance of a hex colour (0 black to 1 white)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str = WHITE) -> float:
    """Return the WCAG contrast ratio of two hex colours (1 to 21)."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def darken_to(colour: str, ratio: float, background: str = WHITE) -> str:
    """Return colour, darkened in small steps (same hue) until it reaches ratio against background."""
    r, g, b = _rgb(colour)
    factor = 1.0
    candidate = f"#{r:02X}{g:02X}{b:02X}"
    while contrast_ratio(candidate, background) < ratio and factor > 0:
        factor -= 0.02
        candidate = "#" + "".join(f"{max(0, round(v * factor)):02X}" for v in (r, g, b))
    return candidate


def blend_on_white(colour: str, alpha: float) -> str:
    """Return the colour a translucent mark shows on a white background."""
    return "#" + "".join(f"{round(v * alpha + 255 * (1 - alpha)):02X}" for v in _rgb(colour))


def darken_translucent(colour: str, alpha: float, ratio: float) -> str:
    """Return colour darkened until, drawn at alpha on white, it reaches ratio (black if it never does)."""
    r, g, b = _rgb(colour)
    factor = 1.0
    candidate = f"#{r:02X}{g:02X}{b:02X}"
    while contrast_ratio(blend_on_white(candidate, alpha)) < ratio and factor > 0:
        factor -= 0.02
        candidate = "#" + "".join(f"{max(0, round(v * factor)):02X}" for v in (r, g, b))
    return candidate
