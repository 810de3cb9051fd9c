"""Start an IPython kernel under limits: memory, CPU, file size, wall clock, and forbidden paths.

This module runs *inside the kernel's process* (the grader launches `python -I -m
citybook.course.kernel_guard ... -- -f CONNECTION_FILE`), so it imports nothing but the standard
library. It sets resource limits, starts a watchdog, installs a Python audit hook that refuses to
touch the course folder, the grader's workspace, other processes, the network, or to start
programs, and then hands over to ipykernel. An audit hook cannot be removed once installed.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import runpy
import signal
import sys
import threading
import time

MiB = 1024 * 1024

# Audit events whose arguments include paths (https://docs.python.org/3/library/audit_events.html).
PATH_EVENTS = frozenset(
    {
        "open",
        "os.listdir",
        "os.scandir",
        "os.chdir",
        "os.mkdir",
        "os.remove",
        "os.rename",
        "os.rmdir",
        "os.symlink",
        "os.link",
        "os.truncate",
        "os.chmod",
        "os.chown",
        "os.utime",
        "os.chflags",
        "os.setxattr",
        "os.removexattr",
        "os.listxattr",
        "os.getxattr",
        "shutil.copyfile",
        "shutil.copymode",
        "shutil.copystat",
        "shutil.copytree",
        "shutil.rmtree",
        "shutil.move",
        "shutil.make_archive",
        "shutil.unpack_archive",
        "glob.glob",
        "glob.glob/2",
        "sqlite3.connect",
        "sqlite3.connect/handle",
        "os.startfile",
    }
)
# Events a graded notebook never needs: starting programs, loading C libraries, signalling other
# processes, the network (where hidden tests could be sent out while they run), and searching the
# interpreter's objects (the easy way to reach this guard's own).
REFUSED_EVENTS = frozenset(
    {
        "subprocess.Popen",
        "os.system",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "os.fork",
        "os.forkpty",
        "pty.spawn",
        "ctypes.dlopen",
        "ctypes.dlsym",
        "socket.connect",
        "socket.bind",
        "socket.sendto",
        "socket.sendmsg",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "os.kill",
        "os.killpg",
        "signal.pthread_kill",
        "gc.get_objects",
        "gc.get_referrers",
        "gc.get_referents",
    }
)
# Another process's /proc entry: its environment, working folder, open files and memory are off
# limits; only its one-line `stat` is readable (ipykernel lists its children from it when it stops).
PROC_PID = re.compile(r"^/proc/(\d+)(?:/(.*))?$")


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


class PathPolicy:
    """Decide whether the kernel may touch a path: the longest matching root decides (allow or deny).

    So the kernel's own sandbox (allowed) wins over the temporary folder it sits in (denied), and a
    course folder (denied) wins over a repository folder that happens to be on sys.path (allowed).
    """

    def __init__(self, allow: list[str], deny: list[str]) -> None:
        roots = [(os.path.realpath(p), True) for p in allow] + [(os.path.realpath(p), False) for p in deny]
        # Longest first; at equal length, deny first.
        self.roots = sorted(roots, key=lambda root: (-len(root[0]), root[1]))
        self.own_pid = str(os.getpid())

    def permits(self, raw: object) -> bool:
        """Return False for a path under a denied root (unless a longer allowed root holds it)."""
        if isinstance(raw, int):
            return True  # an already-open file descriptor
        try:
            path = os.path.realpath(os.fsdecode(os.fspath(raw)))
        except (TypeError, ValueError):
            return True
        match = PROC_PID.match(path)
        if match and match.group(1) != self.own_pid:
            return match.group(2) == "stat"
        for root, allowed in self.roots:
            if _under(path, root):
                return allowed
        return True


def python_roots() -> list[str]:
    """Return where this Python loads code from (prefixes and sys.path folders): always readable."""
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    return sorted(prefixes | {p for p in sys.path if p and os.path.isdir(p)})


def install_audit_hook(policy: PathPolicy) -> None:
    """Refuse forbidden paths and actions from now on, for every thread of this process."""
    state = threading.local()

    def hook(event: str, args: tuple) -> None:
        if getattr(state, "busy", False):
            return
        if event in REFUSED_EVENTS:
            if event in ("os.kill", "os.killpg") and args and args[0] == os.getpid():
                return
            raise PermissionError(f"The grader does not allow this in a graded notebook ({event}).")
        if event not in PATH_EVENTS:
            return
        state.busy = True
        try:
            for arg in args:
                if isinstance(arg, (str, bytes, os.PathLike)) and not policy.permits(arg):
                    raise PermissionError(f"The grader does not allow access to {os.fsdecode(arg)!r}.")
        finally:
            state.busy = False

    sys.addaudithook(hook)


def set_limits(memory_mb: int, cpu_seconds: int, file_mb: int) -> None:
    """Cap address space, CPU time, written file size and core dumps for this process."""
    if memory_mb > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * MiB, memory_mb * MiB))
    if cpu_seconds > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    if file_mb > 0:
        # Writing past the limit raises OSError (EFBIG) instead of killing the kernel.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_mb * MiB, file_mb * MiB))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def start_watchdog(wall_seconds: int) -> None:
    """End this process when the wall-clock limit passes or the process that started it is gone."""
    parent = os.getppid()
    deadline = time.monotonic() + wall_seconds if wall_seconds > 0 else None

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(3)
            if deadline is not None and time.monotonic() > deadline:
                sys.stderr.write(f"kernel_guard: wall-clock limit of {wall_seconds} s reached\n")
                os._exit(4)

    threading.Thread(target=watch, name="kernel-guard-watchdog", daemon=True).start()


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """Split the guard's own options from the kernel's arguments (after `--`)."""
    if "--" not in argv:
        raise SystemExit("kernel_guard: give the kernel's arguments after `--`")
    split = argv.index("--")
    parser = argparse.ArgumentParser(prog="kernel_guard")
    parser.add_argument("--memory-mb", type=int, default=0)
    parser.add_argument("--cpu-seconds", type=int, default=0)
    parser.add_argument("--wall-seconds", type=int, default=0)
    parser.add_argument("--file-mb", type=int, default=0)
    parser.add_argument("--allow", action="append", default=[])
    parser.add_argument("--deny", action="append", default=[])
    return parser.parse_args(argv[:split]), argv[split + 1 :]


def main(argv: list[str] | None = None) -> None:
    """Apply the limits and the path policy, then run ipykernel with the remaining arguments."""
    options, kernel_args = parse_args(sys.argv[1:] if argv is None else argv)
    set_limits(options.memory_mb, options.cpu_seconds, options.file_mb)
    start_watchdog(options.wall_seconds)
    # Many libraries import ctypes, whose import opens the Python process itself (dlopen(NULL)); let
    # that one happen before the hook, which then refuses any further C library or symbol lookup.
    import ctypes  # noqa: F401

    install_audit_hook(PathPolicy(options.allow + python_roots(), options.deny))
    # `python -I` left the working folder off sys.path (so a submission cannot shadow this module);
    # put it back now, as a normal kernel has it, so a notebook can import its own helper files.
    sys.path.insert(0, "")
    sys.argv = ["ipykernel_launcher", *kernel_args]
    runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
