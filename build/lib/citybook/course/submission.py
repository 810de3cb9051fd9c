"""Look at a submitted folder before grading: which notebooks can be graded, which are renamed or broken."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

MAX_NOTEBOOK_MB = 50


@dataclass
class SubmissionCheck:
    """What a submitted folder holds, in terms nbgrader can grade."""

    renames: dict[str, str] = field(default_factory=dict)  # submitted file -> expected notebook file
    skip: list[str] = field(default_factory=list)  # files not to hand to nbgrader (unreadable)
    notes: list[str] = field(default_factory=list)
    refusal: str = ""  # set when nothing in the folder can be graded


def notebook_problem(data: bytes) -> str:
    """Return why some bytes are not a gradeable notebook, or an empty string."""
    if not data:
        return "the file is empty (0 bytes)"
    if len(data) > MAX_NOTEBOOK_MB * 1024 * 1024:
        return f"the file is {len(data) / 1024 / 1024:.0f} MB, over the {MAX_NOTEBOOK_MB} MB a notebook may have"
    try:
        text = data.decode("utf-8")
        json.loads(text)
    except UnicodeDecodeError:
        return "the file is not text (it is not a Jupyter notebook)"
    except json.JSONDecodeError as error:
        return f"the file is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
    try:
        nbformat.validate(nbformat.reads(text, as_version=4))
    except Exception as error:  # nbformat raises several kinds for malformed notebooks
        return f"the file is JSON but not a Jupyter notebook ({str(error).splitlines()[0][:160]})"
    return ""


def check_submission(folder: Path, expected: list[str]) -> SubmissionCheck:
    """Match a folder's notebooks to the assignment's (`expected`: names without .ipynb)."""
    check = SubmissionCheck()
    present = sorted(p.name for p in folder.glob("*.ipynb") if p.is_file())
    wanted = [f"{name}.ipynb" for name in expected]
    missing = [name for name in wanted if name not in present]
    strangers = [name for name in present if name not in wanted]
    if len(missing) == 1 and len(strangers) == 1:
        check.renames[strangers[0]] = missing[0]
        check.notes.append(f"'{strangers[0]}' was graded as '{missing[0]}' (the notebook had been renamed)")
        missing = []
    elif missing and strangers:
        check.notes.append(
            f"missing {', '.join(missing)}; found {', '.join(strangers)} instead, which "
            "could not be matched one to one (rename them as released)"
        )
    gradeable = []
    for name in present:
        target = check.renames.get(name, name)
        if target not in wanted:
            continue
        problem = notebook_problem((folder / name).read_bytes())
        if problem:
            check.skip.append(name)
            check.notes.append(f"{name}: {problem}")
        else:
            gradeable.append(target)
    if not gradeable:
        reasons = check.notes or [f"no notebook named {', '.join(wanted)}"]
        check.refusal = "; ".join(reasons)
    return check
