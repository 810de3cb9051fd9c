"""Run the tests of one notebook in a fresh process, on plain data only (never in the participant's kernel).

`python -m citybook.course.test_replay PLAN RESULT` replays a notebook in order, in a working folder
holding the instructor's data files: it runs the instructor's locked code cells (sources from the
gradebook), puts each participant cell's exported values in place (decoded strictly by plain_data:
anything else is absent), and runs each test cell, keeping its outputs as nbformat outputs
(stdout, stderr, the last expression's value, or the error) for nbgrader to score.
"""

from __future__ import annotations

# ruff: noqa: E402  (the clock is read before the imports: their cost is part of the profile)
import time

STARTED = time.monotonic()  # before the imports, for the benchmark's profile

import ast
import contextlib
import io
import json
import os
import signal
import sys
import traceback
from pathlib import Path
from typing import Any

from citybook.course import plain_data
from citybook.course.replay_server import leading_instructor_cells


class CellTimeout(Exception):
    """A test cell ran past its time limit."""


def on_alarm(signum: int, frame: object) -> None:
    """Interrupt a cell that ran too long."""
    raise CellTimeout("this test ran past its time limit")


def execute(source: str, namespace: dict, timeout: int, label: str) -> list[dict]:
    """Run one cell's source like IPython does (the last expression's value is shown); return outputs."""
    stdout, stderr = io.StringIO(), io.StringIO()
    outputs: list[dict] = []
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(timeout)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            tree = ast.parse(source, filename=label)
            last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            exec(compile(tree, label, "exec"), namespace)
            value = eval(compile(ast.Expression(last.value), label, "eval"), namespace) if last else None
        streams(outputs, stdout, stderr)
        if value is not None:
            outputs.append(
                {
                    "output_type": "execute_result",
                    "execution_count": None,
                    "metadata": {},
                    "data": {"text/plain": repr(value)},
                }
            )
    except BaseException as error:  # noqa: BLE001 - a test's failure of any kind is its result
        streams(outputs, stdout, stderr)
        lines = traceback.format_exception(type(error), error, error.__traceback__)
        outputs.append(
            {
                "output_type": "error",
                "ename": type(error).__name__,
                "evalue": str(error),
                "traceback": [line for line in lines if "citybook/course/test_replay.py" not in line],
            }
        )
    finally:
        signal.alarm(0)
    return outputs


def streams(outputs: list[dict], stdout: io.StringIO, stderr: io.StringIO) -> None:
    """Append what a cell printed, as stream outputs."""
    for name, buffer in (("stdout", stdout), ("stderr", stderr)):
        if buffer.getvalue():
            outputs.append({"output_type": "stream", "name": name, "text": buffer.getvalue()})


def read_exported(step: dict) -> tuple[Any, list]:
    """Return a values step's header and buffers: from its file (untrusted bytes, checked), or given inline."""
    if "file" not in step:
        return step.get("exported"), []
    if type(step["file"]) is not str:
        return None, []
    try:
        return plain_data.read_values(Path(step["file"]).read_bytes())
    except (OSError, plain_data.NotPlainData):
        return None, []


def put_values(exported: Any, buffers: list, namespace: dict, index: int) -> list[str]:
    """Put a participant cell's exported values in the namespace; return notes on what was left out."""
    notes = []
    if type(exported) is not dict:
        return [f"no values came back from cell {index + 1} (it did not finish, or it stopped the export)"]
    values = exported.get("values") if type(exported.get("values")) is dict else {}
    for name, data in values.items():
        if type(name) is not str or not name.isidentifier() or name.startswith("_"):
            continue
        try:
            namespace[name] = plain_data.decode(data, buffers)
        except (plain_data.NotPlainData, ValueError, TypeError, OverflowError, RecursionError) as error:
            namespace.pop(name, None)
            notes.append(f"`{name}` could not be read back as plain data ({error})")
    removed = exported.get("removed") if type(exported.get("removed")) is list else []
    refused = exported.get("refused") if type(exported.get("refused")) is dict else {}
    for name in [*removed, *refused]:
        if type(name) is str and not name.startswith("_"):
            namespace.pop(name, None)
    for name, kind in refused.items():
        notes.append(f"`{name}` is a {str(kind)[:80]}, not plain data, so the tests cannot see it")
    return notes


def fresh_namespace() -> dict[str, Any]:
    """Return the namespace a notebook's replay starts from."""
    return {"__name__": "__main__", "__builtins__": __builtins__}


def replay(plan: dict, namespace: dict | None = None, done: int = 0) -> dict:
    """Replay the plan's steps (after the first `done`, already run into `namespace`); return the tests' outputs."""
    namespace = fresh_namespace() if namespace is None else namespace
    results: dict[str, list[dict]] = {}
    notes: list[str] = []
    timeout = int(plan["cell_timeout"])
    timings = {"instructor cells": 0.0, "values": 0.0, "tests": 0.0}
    for step in plan["steps"][done:]:
        label = f"<cell {step['index'] + 1}>"
        begun = time.monotonic()
        if step["kind"] == "instructor":
            execute(step["source"], namespace, timeout, label)
        elif step["kind"] == "values":
            notes += put_values(*read_exported(step), namespace, step["index"])
        elif step["kind"] == "test":
            results[str(step["index"])] = execute(step["source"], namespace, timeout, label)
        timings[{"instructor": "instructor cells", "values": "values"}.get(step["kind"], "tests")] += (
            time.monotonic() - begun
        )
    return {"tests": results, "notes": notes, "timings": timings}


def write_result(path: str, result: dict) -> None:
    """Write a replay's result file."""
    Path(path).write_text(json.dumps(result, allow_nan=True, default=str), encoding="utf-8")


def serve() -> None:
    """Run the instructor's leading cells once, then fork one fresh child per notebook to replay the rest.

    Requests and replies are JSON lines on stdin and the original stdout. The first request holds
    the leading cells ({"prefix": [...], "cell_timeout": N}); each later one a notebook's plan,
    result file, working folder and home ({"plan", "result", "work", "home"}). For each, a child is
    forked from this state (so it starts with the instructor's data loaded, and nothing of any other
    submission), replies {"pid": N}, and when it ends {"exit": status}. This process never reads a
    participant's values: only the children do.
    """
    replies = os.fdopen(os.dup(1), "w")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 1)  # what the instructor's cells print never reaches the reply pipe
    first = json.loads(sys.stdin.readline())
    prefix, timeout = first["prefix"], int(first["cell_timeout"])
    namespace = fresh_namespace()
    begun = time.monotonic()
    for number, source in enumerate(prefix):
        execute(source, namespace, timeout, f"<instructor cell {number + 1}>")
    replies.write(json.dumps({"ready": True, "seconds": time.monotonic() - begun}) + "\n")
    replies.flush()
    for line in sys.stdin:
        request = json.loads(line)
        child = os.fork()
        if child == 0:
            os._exit(run_child(request, namespace, prefix, null))
        replies.write(json.dumps({"pid": child}) + "\n")
        replies.flush()
        _, status = os.waitpid(child, 0)
        replies.write(json.dumps({"exit": os.waitstatus_to_exitcode(status)}) + "\n")
        replies.flush()


def run_child(request: dict, namespace: dict, prefix: list[str], null: int) -> int:
    """In a forked child: replay one notebook's plan from the warm state; return the exit code."""
    try:
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.chdir(request["work"])
        os.environ["HOME"] = os.environ["MPLCONFIGDIR"] = request["home"]
        begun = time.monotonic()
        plan = json.loads(Path(request["plan"]).read_text(encoding="utf-8"))
        read = time.monotonic() - begun
        if leading_instructor_cells(plan)[: len(prefix)] == prefix:
            result = replay(plan, namespace, len(prefix))
        else:  # another notebook's plan: start from nothing
            result = replay(plan)
        result["timings"] |= {"started": begun, "imports": 0.0, "read plan": read}
        write_result(request["result"], result)
        return 0
    except BaseException:  # noqa: BLE001 - the grader sees a missing result and marks the tests as not run
        return 1


def main() -> None:
    """Read the plan file, replay it, write the result file (or, with --serve, serve many; see serve())."""
    if sys.argv[1:] == ["--serve"]:
        serve()
        return
    begun = time.monotonic()
    plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    read = time.monotonic() - begun
    result = replay(plan)
    result["timings"] |= {"started": STARTED, "imports": begun - STARTED, "read plan": read}
    write_result(sys.argv[2], result)


if __name__ == "__main__":
    main()
