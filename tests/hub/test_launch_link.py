"""The book's "Open on the hub" button: the nbgitpuller link it builds, and when it is hidden."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from citybook.hub.launch import _add_button, hub_button, launch_settings, nbgitpuller_url
from citybook.paths import ROOT

SETTINGS = {
    "hub": "https://hub.city.example/",
    "interface": "jupyterlab",
    "repo": "https://git.city.example/data-team/curriculum.git",
    "branch": "main",
    "path_to_book": "",
}


def test_the_link_opens_the_lesson_through_nbgitpuller() -> None:
    url = nbgitpuller_url(SETTINGS["hub"], SETTINGS["repo"], "main", "lessons/01-what-data-driven-cities-do.ipynb")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://hub.city.example/hub/user-redirect/git-pull"
    assert parse_qs(parts.query) == {
        "repo": ["https://git.city.example/data-team/curriculum.git"],
        "branch": ["main"],
        # nbgitpuller clones into a folder named after the repository (without .git).
        "urlpath": ["lab/tree/curriculum/lessons/01-what-data-driven-cities-do.ipynb"],
    }


def test_the_book_folder_inside_the_repository_is_part_of_the_path() -> None:
    button = hub_button({**SETTINGS, "path_to_book": "book-root"}, "lessons/02.ipynb")
    assert "urlpath=lab/tree/curriculum/book-root/lessons/02.ipynb" in button["url"]


@pytest.mark.parametrize(
    ("change", "page"),
    [({"hub": ""}, "lessons/01.ipynb"), ({"repo": ""}, "lessons/01.ipynb"), ({}, "book/glossary.md")],
)
def test_no_button_without_a_hub_a_repository_or_a_notebook(change: dict, page: str) -> None:
    assert hub_button({**SETTINGS, **change}, page) is None


def test_the_project_config_registers_the_button_and_leaves_it_hidden_until_a_hub_is_set() -> None:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert "citybook.hub.launch" in config["sphinx"]["config"]["extensions"]
    settings = launch_settings(ROOT)
    assert settings["hub"] == "" and hub_button(settings, "lessons/01.ipynb") is None


def test_a_lesson_page_gets_the_button_after_the_theme_made_its_list(tmp_path: Path) -> None:
    (tmp_path / "lessons").mkdir()
    app = SimpleNamespace(
        srcdir=str(tmp_path),
        config=SimpleNamespace(citybook_launch=SETTINGS),
        env=SimpleNamespace(
            all_docs={"lessons/03-x": 0, "book/glossary": 0},
            doc2path=lambda name: str(tmp_path / (name + (".ipynb" if name.startswith("lessons") else ".md"))),
        ),
    )
    lesson = {"header_buttons": [{"label": "download-buttons"}]}
    _add_button(app, "lessons/03-x", "page.html", lesson, None)
    assert [button["label"] for button in lesson["header_buttons"]] == ["download-buttons", "launch-hub-button"]
    assert lesson["header_buttons"][1]["url"].startswith("https://hub.city.example/hub/user-redirect/git-pull?")
    prose = {"header_buttons": []}
    _add_button(app, "book/glossary", "page.html", prose, None)
    assert prose["header_buttons"] == []


def test_a_built_lesson_page_has_the_button_and_a_prose_page_does_not(tmp_path: Path) -> None:
    """A small real Sphinx build with the book's theme: the link is in the lesson's header."""
    import nbformat

    (tmp_path / "conf.py").write_text(
        'extensions = ["myst_nb", "sphinx_book_theme", "citybook.hub.launch"]\n'
        'html_theme = "sphinx_book_theme"\nnb_execution_mode = "off"\n'
    )
    (tmp_path / "_config.yml").write_text(
        yaml.safe_dump({"launch_buttons": {"jupyterhub_url": SETTINGS["hub"]}, "repository": {"url": SETTINGS["repo"]}})
    )
    (tmp_path / "index.md").write_text("# Home\n\n```{toctree}\nlessons/01-x\n```\n")
    (tmp_path / "lessons").mkdir()
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# Lesson one"), nbformat.v4.new_code_cell("1 + 1")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(notebook, tmp_path / "lessons" / "01-x.ipynb")
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "sphinx-build"),
            "-q",
            "-W",
            "-b",
            "html",
            str(tmp_path),
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    lesson = (tmp_path / "out" / "lessons" / "01-x.html").read_text(encoding="utf-8")
    expected = nbgitpuller_url(SETTINGS["hub"], SETTINGS["repo"], "main", "lessons/01-x.ipynb")
    assert f'href="{expected}"' in lesson.replace("&amp;", "&")
    assert "git-pull" not in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
