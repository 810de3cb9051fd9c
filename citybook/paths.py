"""Where the project's folders are, wherever the code runs from."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
LESSONS = ROOT / "lessons"
ASSIGNMENTS = ROOT / "assignments"
BOOK = ROOT / "book"
BUILD_HTML = ROOT / "_build" / "html"
NODE_MODULES = ROOT / "node_modules"
