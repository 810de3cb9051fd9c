"""The kernel guard's rules, checked in plain Python processes (no kernel): limits, paths, refusals."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from citybook.course.kernel_guard import PathPolicy
from citybook.course.sandbox import kernel_environment


def guarded(code: str, *setup: str, timeout: float = 30) -> subprocess.CompletedProcess:
    """Run `code` in a fresh Python after the guard's setup lines; return the finished process."""
    program = "\n".join(["from citybook.course import kernel_guard as g", *setup, code])
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=timeout)


def test_the_memory_limit_turns_a_memory_bomb_into_an_error() -> None:
    done = guarded(
        "blocks = []\ntry:\n    while True:\n        blocks.append(bytearray(64 * 1024 * 1024))\n"
        "except MemoryError:\n    print('MemoryError after', len(blocks) * 64, 'MB')",
        "g.set_limits(memory_mb=512, cpu_seconds=0, file_mb=0)",
    )
    assert done.returncode == 0 and "MemoryError after" in done.stdout
    assert int(done.stdout.split()[2]) < 512


def test_the_file_size_limit_refuses_a_huge_file(tmp_path: Path) -> None:
    done = guarded(
        f"open({str(tmp_path / 'big')!r}, 'wb').write(b'x' * 3 * 1024 * 1024)",
        "g.set_limits(memory_mb=0, cpu_seconds=0, file_mb=1)",
    )
    assert done.returncode != 0 and "File too large" in done.stderr


def test_the_watchdog_ends_a_process_at_the_wall_clock_limit() -> None:
    started = time.monotonic()
    done = guarded("import time\ntime.sleep(60)", "g.start_watchdog(1)")
    assert done.returncode == 4 and "wall-clock limit" in done.stderr
    assert time.monotonic() - started < 10


def test_the_audit_hook_refuses_forbidden_paths_programs_and_the_network(tmp_path: Path) -> None:
    secret, own = tmp_path / "course" / "gradebook.db", tmp_path / "sandbox"
    secret.parent.mkdir()
    secret.write_text("hidden tests")
    own.mkdir()
    attempts = {
        "read": f"open({str(secret)!r}).read()",
        "list": f"__import__('os').listdir({str(secret.parent)!r})",
        "sqlite": f"__import__('sqlite3').connect({str(secret)!r})",
        "link": f"__import__('os').link({str(secret)!r}, {str(own / 'copy')!r})",
        "program": "__import__('subprocess').run(['true'])",
        "shell": "__import__('os').system('true')",
        "network": "__import__('socket').create_connection(('127.0.0.1', 9))",
        "libc": "__import__('ctypes').CDLL(None)",
        "parent": "open(f\"/proc/{__import__('os').getppid()}/environ\").read()",
        "the guard's own objects": "__import__('gc').get_objects()",
    }
    for name, attempt in attempts.items():
        code = f"try:\n    {attempt}\n    print('ALLOWED')\nexcept PermissionError:\n    print('refused')"
        done = guarded(
            code, "import ctypes", f"g.install_audit_hook(g.PathPolicy([{str(own)!r}], [{str(secret.parent)!r}]))"
        )
        assert done.stdout.strip() == "refused", (name, done.stdout, done.stderr)
    allowed = guarded(
        f"open({str(own / 'ok.txt')!r}, 'w').write('fine')\nprint('written')",
        "import ctypes",
        f"g.install_audit_hook(g.PathPolicy([{str(own)!r}], [{str(tmp_path)!r}]))",
    )
    assert allowed.stdout.strip() == "written"


def test_the_path_policy_lets_the_longest_matching_folder_decide(tmp_path: Path) -> None:
    course, sandbox = tmp_path / "repo" / "course", tmp_path / "tmp" / "sandbox"
    policy = PathPolicy(allow=[str(sandbox), str(tmp_path / "repo")], deny=[str(course), str(tmp_path / "tmp")])
    assert policy.permits(sandbox / "work" / "data.csv")
    assert policy.permits(tmp_path / "repo" / "README.md")
    assert not policy.permits(course / "gradebook.db")
    assert not policy.permits(tmp_path / "tmp" / "other-sandbox" / "work")
    assert not policy.permits(sandbox / ".." / "other-sandbox")
    assert not policy.permits(f"/proc/{os.getppid()}/environ")
    assert policy.permits(f"/proc/{os.getppid()}/stat")  # ipykernel reads it to find its children
    assert policy.permits(f"/proc/{os.getpid()}/status") and policy.permits(3)
    (sandbox / "work").mkdir(parents=True)
    course.mkdir(parents=True)
    (sandbox / "work" / "link").symlink_to(course)
    assert not policy.permits(sandbox / "work" / "link" / "gradebook.db")


def test_the_kernel_environment_names_no_course_folder(tmp_path: Path) -> None:
    env = kernel_environment(tmp_path / "sandbox" / "home")
    assert env["HOME"] == str(tmp_path / "sandbox" / "home") and env["NBGRADER_EXECUTION"] == "autograde"
    assert not [value for value in env.values() if "assignments" in value or "gradebook" in value]
    assert set(env) == {
        "PATH",
        "HOME",
        "TMPDIR",
        "IPYTHONDIR",
        "MPLCONFIGDIR",
        "LANG",
        "NBGRADER_EXECUTION",
        "PYDEVD_DISABLE_FILE_VALIDATION",
        "OPENBLAS_NUM_THREADS",
        "OMP_NUM_THREADS",
        "MKL_NUM_THREADS",
        "MALLOC_ARENA_MAX",
    }
