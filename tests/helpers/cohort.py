"""A synthetic cohort for the fixture course's `permits` assignment: good, partial, wrong and hostile work.

Also the one helper the course tests share: running the `course` command in-process.

Each participant's notebook is made from the *released* notebook, as a participant would: solution
cells filled in (or broken), sometimes cells deleted, edited, renamed, or the file replaced outright.
Expected autograded scores are computed from the fixture's point values (POINTS), never copied from
a grading run.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent.parent / "course" / "fixtures" / "course"
ASSIGNMENT = "permits"
POINTS = {"q1_test": 1, "q2_test": 2, "q3_test": 1}  # the source notebook's autograded test cells
MEMO_POINTS = 2
HIDDEN_TEST_TEXT = "assert median_days == 9"  # only in the source and the gradebook, never in a release

CORRECT = {
    "q1_answer": "n_permits = len(rows)",
    "q2_answer": "median_days = statistics.median(days)",
    "q3_answer": "share_late = sum(d > 14 for d in days) / len(days)",
    "memo": "A third of permits miss the 14-day standard; the median wait is 9 days.",
}

SNOOP = r"""
import os, sqlite3, pathlib, glob, json
found = []
def attempt(label, action):
    try:
        result = action()
        found.append(f"READ {label}: {str(result)[:80]}")
    except Exception as error:
        found.append(f"denied {label}: {type(error).__name__}")
here = pathlib.Path.cwd()
for up in [here, *here.parents]:
    attempt(f"gradebook in {up}", lambda up=up: (up / "gradebook.db").read_bytes()[:16])
    attempt(f"source in {up}", lambda up=up: (up / "source" / "permits" / "permits.ipynb").read_text()[:200])
attempt("env", lambda: [v for v in os.environ.values() if "gradebook" in v or "/.course" in v or "/source" in v] or 1 / 0)
attempt("parent cwd", lambda: os.listdir(f"/proc/{os.getppid()}/cwd"))
attempt("parent environ", lambda: open(f"/proc/{os.getppid()}/environ", "rb").read()[:50])
attempt("glob gradebooks", lambda: glob.glob("/tmp/**/gradebook.db", recursive=True) or 1 / 0)
attempt("sqlite write", lambda: sqlite3.connect(str(here.parent.parent / "gradebook.db")).execute("select 1").fetchall())
attempt("shell", lambda: os.system("cat ../../*/gradebook.db"))
attempt("network", lambda: __import__("urllib.request").request.urlopen("http://127.0.0.1:9/"))
print("\n".join(found))
"""

HOSTILE_CODE = {
    "infinite_loop": "while True:\n    pass",
    "stubborn_loop": "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n    except KeyboardInterrupt:\n        pass",
    "sys_exit": "import sys\nsys.exit()",
    "os_exit": "import os\nos._exit(1)",
    "memory_bomb": "blocks = []\nwhile True:\n    blocks.append(bytearray(64 * 1024 * 1024))",
    "huge_output": "print('x' * 100_000_000)",
    "script_output": "from IPython.display import HTML, display\n"
    "display(HTML(\"<script>document.title = 'pwned'</script><b>bold</b>\"))",
}


@dataclass
class Participant:
    """One synthetic participant: how their submission is made and what it should score."""

    id: str
    city: str
    fails: tuple[str, ...] = ()  # test cells this submission must fail (the rest must pass)
    answers: dict[str, str] = field(default_factory=dict)  # solution cell -> code (CORRECT by default)
    prepend: dict[str, str] = field(default_factory=dict)  # solution cell -> code run before the answer
    delete: tuple[str, ...] = ()  # grade ids of cells removed from the notebook
    edit: dict[str, str] = field(default_factory=dict)  # grade id of a locked cell -> new source
    first_cell: str = ""  # a code cell inserted at the top
    file_name: str = "permits.ipynb"
    raw: bytes | None = None  # replaces the whole file
    status: str = "graded"

    @property
    def expected(self) -> float | None:
        """Autograded points from the fixture's point values; None when nothing is graded."""
        if self.status != "graded":
            return None
        return sum(points for test, points in POINTS.items() if test not in self.fails)


def cohort() -> list[Participant]:
    """Return the synthetic cohort; each names the tests it must fail."""
    every = tuple(POINTS)
    mean_instead_of_median = {"q2_answer": "median_days = statistics.mean(days)"}
    return [
        Participant("ana", "Medellín"),
        Participant("ben", "Medellín"),  # submits after the due date
        Participant("caro", "Toronto", ("q2_test",), answers=mean_instead_of_median),
        Participant(
            "dev", "Toronto", ("q3_test",), answers={"q3_answer": "share_late = sum(d > 14 for d in days) / 10"}
        ),
        Participant(
            "eli",
            "Recife",
            every,
            answers={"q1_answer": "n_permits = 11", "q2_answer": "median_days = 10", "q3_answer": "share_late = 4"},
        ),
        Participant("fay", "Recife", every, answers={key: None for key in CORRECT}),  # the released notebook, untouched
        Participant("gus", "Recife", ("q1_test",), prepend={"q1_answer": HOSTILE_CODE["infinite_loop"]}),
        Participant("hal", "Toronto", first_cell="raise RuntimeError('an exception in the first cell')"),
        Participant("ivy", "Medellín", delete=("q1_test", "q3_test")),  # nbgrader puts the tests back
        Participant(
            "jo",
            "Toronto",
            ("q2_test",),
            answers=mean_instead_of_median,
            edit={"q2_test": "pass  # I removed the test", "setup": "rows = []\ndays = [9] * 12"},
        ),
        Participant("kim", "Recife", file_name="permits (1).ipynb"),
        Participant("lea", "Medellín", raw=b"this is not a notebook {", status="refused"),
        Participant("max", "Medellín", raw=b"", status="refused"),
        Participant("ned", "Toronto", prepend={"q1_answer": HOSTILE_CODE["huge_output"]}),
        Participant("oli", "Recife", ("q1_test",), prepend={"q1_answer": HOSTILE_CODE["sys_exit"]}),
        # os._exit in q2: q1 was already graded; q2 and everything after it never ran.
        Participant("pia", "Medellín", ("q2_test", "q3_test"), prepend={"q2_answer": HOSTILE_CODE["os_exit"]}),
        Participant("quin", "Toronto", ("q3_test",), prepend={"q3_answer": HOSTILE_CODE["memory_bomb"]}),
        Participant("raj", "Recife", prepend={"q1_answer": SNOOP}),
        # A loop that swallows the interrupt: the cell is stopped, and everything after it counts as not run.
        Participant("sam", "Medellín", ("q2_test", "q3_test"), prepend={"q2_answer": HOSTILE_CODE["stubborn_loop"]}),
        Participant("tia", "Toronto", prepend={"q1_answer": HOSTILE_CODE["script_output"]}),
        Participant("uma", "Recife", status="missing"),
    ]


def notebook_for(released: dict, who: Participant) -> dict:
    """Return `who`'s notebook, made from the released notebook's JSON."""
    notebook = copy.deepcopy(released)
    kept = []
    for cell in notebook["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if grade_id in who.delete:
            continue
        if grade_id in CORRECT:
            answer = who.answers.get(grade_id, CORRECT[grade_id])
            if answer is not None:
                before = who.prepend.get(grade_id, "")
                cell["source"] = f"{before}\n{answer}" if before else answer
        if grade_id in who.edit:
            cell["source"] = who.edit[grade_id]
        kept.append(cell)
    if who.first_cell:
        kept.insert(
            0,
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "inserted-first",
                "metadata": {},
                "outputs": [],
                "source": who.first_cell,
            },
        )
    notebook["cells"] = kept
    return notebook


def write_submission(folder: Path, released_notebook: Path, who: Participant) -> Path | None:
    """Write `who`'s submitted file into `folder`; return its path (None for someone who did not submit)."""
    if who.status == "missing":
        return None
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / who.file_name
    if who.raw is not None:
        path.write_bytes(who.raw)
    else:
        released = json.loads(released_notebook.read_text(encoding="utf-8"))
        path.write_text(json.dumps(notebook_for(released, who), indent=1), encoding="utf-8")
    return path


def roster_csv(people: list[Participant]) -> str:
    """Return the cohort's roster as CSV text."""
    lines = ["id,name,city,email"]
    lines += [f"{p.id},{p.id.title()} Example,{p.city},{p.id}@example.org" for p in people]
    return "\n".join(lines) + "\n"


def run_course(*argv: str) -> str:
    """Run the `course` command in-process; return what it printed, failing on a non-zero exit."""
    from citybook.course import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(argv))
    assert code == 0, f"course {' '.join(argv)} exited {code}:\n{out.getvalue()}\n{err.getvalue()}"
    return out.getvalue()


def copy_fixture_course(root: Path, *leave_out: str) -> Path:
    """Copy the fixture course to root (less any folders named in leave_out); return root."""
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("__pycache__", *leave_out))
    return root
