"""The course folder: its nbgrader configuration, its gradebook and where each step's files live."""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from jupyter_core.paths import jupyter_config_path
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import capture_log
from traitlets.config import Config
from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

from citybook.course.errors import CourseError, log_tail

CONFIG_FILE = "nbgrader_config.py"
STATE_DIR = ".course"  # the course command's own records: roster, grading log, collect log
REPORTS_DIR = "reports"  # what the course command writes for instructors: grades, cohort reports


def ensure_nbgrader_tools_on_path() -> None:
    """Put this Python's scripts folder on PATH: nbgrader runs `alembic` there to create a gradebook."""
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")


def load_config(root: Path) -> Config:
    """Read nbgrader_config.py as nbgrader does: the Jupyter config folders, then the course folder's.

    A hub's shared settings (/etc/jupyter/nbgrader_config.py: the exchange, the course id) apply, and
    the course's own file overrides them. The course folder is always the root.
    """
    config = Config()
    for folder in [*reversed(jupyter_config_path()), str(root)]:
        try:
            config.merge(PyFileConfigLoader(CONFIG_FILE, path=folder).load_config())
        except ConfigFileNotFound:
            continue
        except Exception as error:  # a syntax or runtime error in the file
            raise CourseError(
                f"could not read the nbgrader configuration ({type(error).__name__}: {error})",
                where=str(Path(folder) / CONFIG_FILE),
                fix="fix the file so that `python nbgrader_config.py` would run, then try again.",
            ) from error
    config.CourseDirectory.root = str(root)
    return config


@dataclass
class Course:
    """One nbgrader course folder, opened with its configuration."""

    root: Path
    config: Config

    @classmethod
    def open(cls, root: Path | str) -> Course:
        """Open a course folder, checking that it exists."""
        path = Path(root).expanduser().resolve()
        if not path.is_dir():
            raise CourseError(
                "there is no course folder here",
                where=str(path),
                fix="give the folder that holds nbgrader_config.py and source/ with --course DIR.",
            )
        ensure_nbgrader_tools_on_path()
        return cls(path, load_config(path))

    def settings(self, **sections: dict) -> Config:
        """Return a copy of the course configuration with some sections overridden."""
        config = copy.deepcopy(self.config)
        for section, values in sections.items():
            for key, value in values.items():
                config[section][key] = value
        return config

    @cached_property
    def directories(self) -> CourseDirectory:
        """nbgrader's CourseDirectory for this course as configured (folder names, course id, database)."""
        return CourseDirectory(config=self.config)

    def coursedir(self, config: Config | None = None, **traits: str) -> CourseDirectory:
        """Return nbgrader's CourseDirectory for this course (traits: assignment_id, student_id...)."""
        coursedir = CourseDirectory(config=config or self.config)
        for name, value in traits.items():
            setattr(coursedir, name, value)
        return coursedir

    @property
    def course_id(self) -> str:
        """The nbgrader course id (from CourseDirectory.course_id)."""
        return self.directories.course_id

    @property
    def db_url(self) -> str:
        """The gradebook's database URL."""
        return self.directories.db_url

    @property
    def db_path(self) -> Path:
        """The gradebook's SQLite file (the course command grades against SQLite gradebooks)."""
        url = self.db_url
        if not url.startswith("sqlite:///"):
            raise CourseError(
                f"the gradebook is not a SQLite file ({url})",
                where=str(self.root / CONFIG_FILE),
                fix="use the default SQLite gradebook (remove CourseDirectory.db_url) to grade with `course`.",
            )
        return Path(url[len("sqlite:///") :])

    @contextmanager
    def gradebook(self) -> Iterator[Gradebook]:
        """Open the course gradebook (closed on exit)."""
        with Gradebook(self.db_url, self.course_id) as gradebook:
            yield gradebook

    def step_dir(self, step: str, student_id: str, assignment_id: str) -> Path:
        """Return nbgrader's folder for a step ('submitted', 'autograded', 'feedback'...)."""
        return Path(self.directories.format_path(step, student_id, assignment_id))

    def students_in(self, step: str, assignment_id: str) -> list[str]:
        """Return the ids that have a folder for an assignment in a step ('submitted', 'autograded'...)."""
        return sorted(
            path.name
            for path in self.root.joinpath(step).glob("*")
            if (path / assignment_id).is_dir() and not path.name.startswith(".")
        )

    def submitted(self, student_id: str, assignment_id: str) -> Path:
        """Return a participant's collected submission folder."""
        return self.step_dir(self.directories.submitted_directory, student_id, assignment_id)

    def autograded(self, student_id: str, assignment_id: str) -> Path:
        """Return a participant's autograded folder."""
        return self.step_dir(self.directories.autograded_directory, student_id, assignment_id)

    def source_dir(self, assignment_id: str) -> Path:
        """Return the instructor's source folder of an assignment."""
        return self.step_dir(self.directories.source_directory, ".", assignment_id)

    def release_dir(self, assignment_id: str) -> Path:
        """Return the released (student) version's folder of an assignment."""
        return self.step_dir(self.directories.release_directory, ".", assignment_id)

    @property
    def state_dir(self) -> Path:
        """The course command's own records, inside the course folder."""
        return self.root / STATE_DIR

    @property
    def reports_dir(self) -> Path:
        """Where grade exports and cohort reports go unless an --output is given."""
        return self.root / REPORTS_DIR

    def notebook_names(self, assignment_id: str) -> list[str]:
        """Return the assignment's notebook names (without .ipynb), as the gradebook knows them."""
        with self.gradebook() as gradebook:
            try:
                assignment = gradebook.find_assignment(assignment_id)
            except MissingEntry:
                raise CourseError(
                    f"assignment '{assignment_id}' is not in the gradebook yet",
                    where=str(self.db_path),
                    fix=f"run `course release {assignment_id}` first (it runs nbgrader generate_assignment).",
                ) from None
            return sorted(notebook.name for notebook in assignment.notebooks)

    def require_source(self, assignment_id: str) -> Path:
        """Return the assignment's source folder, or explain which ones exist."""
        source = self.source_dir(assignment_id)
        if not source.is_dir():
            parent = source.parent
            known = sorted(p.name for p in parent.iterdir() if p.is_dir()) if parent.is_dir() else []
            raise CourseError(
                f"there is no assignment '{assignment_id}'",
                where=str(source),
                fix="use one of: " + (", ".join(known) if known else "(none yet: add source/<id>/<id>.ipynb)"),
            )
        return source


def run_nbgrader(app: object, action: str) -> str:
    """Run an nbgrader application or converter; return its log, or raise a CourseError with its tail."""
    result = capture_log(app)
    if not result["success"]:
        raise CourseError(
            f"nbgrader could not {action}",
            details=log_tail(result.get("log", "") + "\n" + result.get("error", "")),
            fix="read the lines above (they are nbgrader's own messages); fix the file they name and run the command again.",
        )
    return result.get("log", "")
