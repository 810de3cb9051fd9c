"""Leaf helper: the Jinja2 environment for a package's `templates/` folder (HTML escaped, Markdown not)."""

from __future__ import annotations

import html as html_text
from functools import cache
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup


def number(value: Any, spec: str = "") -> str:
    """Format a value with a Python format spec, as an f-string would: `{{ x | number("+.1f") }}`."""
    return format(value, spec)


def escaped(value: Any) -> Any:
    """Escape a value as `html.escape` does (quotes too), the escaping the charts' HTML uses; markup passes."""
    return value if isinstance(value, Markup) else Markup(html_text.escape(str(value)))


@cache
def environment(package: str, *, html: bool) -> jinja2.Environment:
    """Return an environment that loads `<package>/templates/`; HTML templates escape, Markdown ones do not.

    Undefined names raise at render time, so a template and its context cannot drift apart silently.
    """
    folder = resources.files(package) / "templates"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=html,
        finalize=escaped if html else None,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["number"] = number
    return env


def render(package: str, name: str, **context: Any) -> str:
    """Render one template of a package; HTML (escaped) when its name ends in .html.j2, else Markdown."""
    return environment(package, html=name.endswith(".html.j2")).get_template(name).render(**context)
