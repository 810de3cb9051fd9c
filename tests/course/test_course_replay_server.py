"""The warm test process: each notebook's tests run in a fresh child, with nothing of another's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citybook.course import replay_server
from citybook.course.test_replay import replay

PREFIX = "shared = [1, 2]\nloaded = open('data.txt').read()"


def write_plan(folder: Path, name: str, steps: list[dict]) -> tuple[Path, Path, Path]:
    """Write a plan with the instructor's leading cell first; return the plan, result and working folder."""
    work = folder / name
    work.mkdir()
    (work / "data.txt").write_text("instructor's")
    plan = folder / f"{name}.json"
    plan.write_text(
        json.dumps({"cell_timeout": 5, "steps": [{"kind": "instructor", "index": 0, "source": PREFIX}, *steps]})
    )
    return plan, folder / f"{name}-result.json", work


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "data.txt").write_text("instructor's")
    return folder


def test_each_notebook_gets_a_fresh_child_of_the_warm_state(
    tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps = [
        {"kind": "values", "index": 1, "exported": {"values": {"answer": 3}}},
        {"kind": "test", "index": 2, "source": "shared.append(answer)\nprint(open('data.txt').read())\nshared"},
    ]
    server = replay_server.server_for([PREFIX], data, 5)
    try:
        results = []
        for name in ("first", "second"):
            plan, result, work = write_plan(tmp_path, name, steps)
            server.replay(plan, result, work, tmp_path, timeout=30)
            results.append(json.loads(result.read_text()))
        monkeypatch.chdir(work)
        fresh = replay(json.loads(plan.read_text()))  # as one new process per notebook would
    finally:
        replay_server.stop_server()
    outputs = [r["tests"]["2"] for r in results]
    assert outputs[0] == outputs[1] == fresh["tests"]["2"]  # the first child's append never reached the second
    assert outputs[0][-1]["data"]["text/plain"] == "[1, 2, 3]"


def test_a_test_past_the_time_limit_is_stopped(tmp_path: Path, data: Path) -> None:
    steps = [{"kind": "test", "index": 1, "source": "import time\nwhile True: time.sleep(0.1)"}]
    plan, result, work = write_plan(tmp_path, "stuck", steps)
    plan.write_text(plan.read_text().replace('"cell_timeout": 5', '"cell_timeout": 60'))
    server = replay_server.server_for([PREFIX], data, 5)
    try:
        with pytest.raises(TimeoutError):
            server.replay(plan, result, work, tmp_path, timeout=2)
        assert not result.exists()
    finally:
        replay_server.stop_server()
