"""nbgrader's own Python API, pointed at a course folder and its nbgrader_config.py."""

from __future__ import annotations

from pathlib import Path

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from citybook.course.config import ensure_nbgrader_tools_on_path

CONFIG_FILE = "nbgrader_config.py"


def course_config(course: Path) -> Config:
    """The course's nbgrader configuration, with its root forced to `course`."""
    config = PyFileConfigLoader(CONFIG_FILE, path=str(course)).load_config()
    config.CourseDirectory.root = str(course.resolve())
    return config


def course_api(course: Path) -> NbGraderAPI:
    """An NbGraderAPI for the course in `course` (its own gradebook.db, release/, submitted/...)."""
    ensure_nbgrader_tools_on_path()
    config = course_config(course)
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir=coursedir, config=config)


def check(result: dict, step: str) -> None:
    """Raise with nbgrader's captured log when an API call did not succeed."""
    if not result.get("success"):
        detail = result.get("error") or result.get("log") or "no log"
        raise RuntimeError(f"nbgrader {step} failed:\n{detail}")
