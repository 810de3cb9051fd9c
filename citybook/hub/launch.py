"""The book's "Open on the hub" button: each lesson opens on the programme's JupyterHub (nbgitpuller).

Set once in _config.yml:

    launch_buttons:
      jupyterhub_url: "https://hub.example.org"   # the programme's hub; empty: no button
    repository:
      url: "https://git.example.org/city/curriculum"  # a public git URL the hub can clone
      branch: main

A lesson page then gets a header button linking to
<hub>/hub/user-redirect/git-pull?repo=<repo>&branch=<branch>&urlpath=lab/tree/<repo name>/<lesson path>,
so the participant logs in, nbgitpuller clones (or updates, keeping their edits) the curriculum in
their home, and JupyterLab opens that lesson.

Why the book's own button rather than Jupyter Book's: _config.yml sets sphinx.config.html_theme_options,
which replaces (does not merge with) the theme options Jupyter Book derives from `launch_buttons:` and
`repository:`, so the theme's launch buttons never appear; and the theme only builds hub links for
GitHub repositories (any other host is a build warning, which fails this book's build).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import yaml
from sphinx.application import Sphinx
from sphinx.config import Config

LAUNCH_CONFIG = "_config.yml"


def nbgitpuller_url(hub_url: str, repo_url: str, branch: str, path_in_repo: str, interface: str = "jupyterlab") -> str:
    """The link that opens `path_in_repo` of the repository on the hub, through nbgitpuller."""
    repo_name = Path(urlsplit(repo_url).path.rstrip("/")).name.removesuffix(".git")
    if not repo_name:
        raise ValueError(f"cannot tell the repository's folder name from {repo_url!r}")
    prefix = {"jupyterlab": "lab/tree", "classic": "tree"}.get(interface)
    if prefix is None:
        raise ValueError(f"launch_buttons.notebook_interface must be jupyterlab or classic, not {interface!r}")
    query = urlencode(
        {"repo": repo_url, "branch": branch or "main", "urlpath": f"{prefix}/{repo_name}/{path_in_repo}"},
        safe="/",
    )
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def launch_settings(book_root: Path) -> dict[str, str]:
    """The hub, repository and branch from the book's _config.yml; empty values when unset."""
    config_file = book_root / LAUNCH_CONFIG
    config = yaml.safe_load(config_file.read_text(encoding="utf-8")) if config_file.exists() else {}
    launch = config.get("launch_buttons") or {}
    repository = config.get("repository") or {}
    return {
        "hub": str(launch.get("jupyterhub_url") or "").strip(),
        "interface": str(launch.get("notebook_interface") or "jupyterlab"),
        "repo": str(repository.get("url") or "").strip(),
        "branch": str(repository.get("branch") or "main").strip(),
        "path_to_book": str(repository.get("path_to_book") or "").strip("/"),
    }


def hub_button(settings: dict[str, str], source_path: str) -> dict[str, Any] | None:
    """The header button for one page (a notebook's path relative to the book), or None when unset."""
    if not settings["hub"] or not settings["repo"] or not source_path.endswith(".ipynb"):
        return None
    path = f"{settings['path_to_book']}/{source_path}" if settings["path_to_book"] else source_path
    return {
        "type": "link",
        "text": "Open on the hub",
        "tooltip": "Open this lesson in JupyterLab on the programme's hub",
        "icon": "fas fa-rocket",
        "label": "launch-hub-button",
        "url": nbgitpuller_url(settings["hub"], settings["repo"], settings["branch"], path, settings["interface"]),
    }


def _add_button(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    if "header_buttons" not in context or pagename not in app.env.all_docs:
        return
    source = Path(app.env.doc2path(pagename))
    try:
        relative = source.relative_to(Path(app.srcdir)).as_posix()
    except ValueError:
        return
    button = hub_button(app.config.citybook_launch, relative)
    if button:
        context["header_buttons"].append(button)


def _read_settings(app: Sphinx, config: Config) -> None:
    # A config value (rebuild "html"): a changed hub address rewrites every page, cached or not.
    config.citybook_launch = launch_settings(Path(app.srcdir))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the button (after the theme has made the header's button list)."""
    app.add_config_value("citybook_launch", {}, "html")
    app.connect("config-inited", _read_settings)
    app.connect("html-page-context", _add_button, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "0.1"}
