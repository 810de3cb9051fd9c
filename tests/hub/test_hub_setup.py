"""The hub's set-up pieces that need no running hub: the cohort file, the environment's checks, binder/."""

from __future__ import annotations

import json
import stat
import tempfile
from pathlib import Path

import pytest

from citybook.hub.__main__ import DEFAULT_COHORT, read_cohort
from citybook.hub.accounts import Cohort
from citybook.hub.environment import REQUIREMENTS, world_usable
from citybook.hub.errors import HubError
from citybook.paths import ROOT

ROLES = ROOT / "deploy" / "hub" / "roles"


def test_the_demo_cohort_has_an_instructor_and_participants() -> None:
    cohort = read_cohort(DEFAULT_COHORT)
    assert cohort.instructors and len(cohort.participants) >= 3


@pytest.mark.parametrize(
    ("instructors", "participants", "message"),
    [
        (("Ana",), (), "cannot be a hub user name"),
        (("ana@city.gov",), (), "cannot be a hub user name"),
        (("ana",), ("ana",), "both an instructor and a participant"),
        ((), ("ben",), "no instructor"),
    ],
)
def test_a_bad_cohort_is_refused_with_the_reason(instructors: tuple, participants: tuple, message: str) -> None:
    with pytest.raises(HubError, match=message) as error:
        Cohort(instructors=instructors, participants=participants)
    assert error.value.fix


def test_a_cohort_file_without_roles_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cohort.csv"
    path.write_text("user,role\nana,teacher\n")
    with pytest.raises(HubError, match="columns user,role"):
        read_cohort(path)


def test_a_python_under_a_private_folder_is_not_usable_by_other_users() -> None:
    with tempfile.TemporaryDirectory(dir="/tmp") as folder:
        top = Path(folder)
        top.chmod(0o755)
        python = top / "private" / "bin" / "python3"
        python.parent.mkdir(parents=True)
        python.write_text("")
        python.chmod(0o755)
        (top / "private").chmod(0o700)  # like /root
        assert not world_usable(python)
        (top / "private").chmod(0o755)
        assert world_usable(python)


def test_binder_installs_the_lock_and_the_roles_it_copies_exist() -> None:
    lock = [line for line in (ROOT / "requirements-lock.txt").read_text().splitlines() if not line.startswith("#")]
    assert [line for line in REQUIREMENTS.read_text().splitlines() if not line.startswith("#")] == lock
    post_build = (ROOT / "binder" / "postBuild").read_text()
    assert "--no-deps" in post_build and "deploy/hub/roles/participant deploy/hub/roles/instructor" in post_build
    assert (ROOT / "binder" / "postBuild").stat().st_mode & stat.S_IXUSR


def test_participants_lose_the_instructor_tools_and_everyone_loses_the_news() -> None:
    participant = json.loads((ROLES / "participant" / "labconfig" / "page_config.json").read_text())
    off = {name for name, disabled in participant["disabledExtensions"].items() if disabled}
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"} <= off
    assert not off & {"@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:validate-assignment"}
    server = json.loads((ROLES / "participant" / "jupyter_server_config.json").read_text())
    assert server["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] is False
    for role in ("participant", "instructor"):
        page = json.loads((ROLES / role / "labconfig" / "page_config.json").read_text())
        assert page["disabledExtensions"]["@jupyterlab/apputils-extension:announcements"] is True
