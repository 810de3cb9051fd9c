"""Re-execute lessons in place so their stored outputs are current and free of run-time noise."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNEL_NAME = "python3"


def execute_notebook(path: Path, timeout: int = 300) -> float:
    """Execute one notebook in its own folder, store its outputs, and return the seconds it took."""
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": KERNEL_NAME}
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(path.parent)}},
        # No timestamps in the file, and no widget state: widgets are for the live notebook only.
        record_timing=False,
        store_widget_state=False,
    )
    started = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - started
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    notebook.metadata.pop("widgets", None)
    nbformat.validate(notebook)
    nbformat.write(notebook, path)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    """Command line: execute the given notebooks and print how long each took."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    for index, path in enumerate(args.notebooks, start=1):
        print(f"[{index}/{len(args.notebooks)}] {path} ...", end=" ", flush=True)
        print(f"{execute_notebook(path):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
