"""Where the project's folders are, wherever the code runs from."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"
LESSONS = ROOT / "lessons"
ASSIGNMENTS = ROOT / "assignments"
BOOK = ROOT / "book"
# The built site the browser tests check; CITYBOOK_SITE points them at another build (e.g. a draft).
BUILD_HTML = Path(os.environ.get("CITYBOOK_SITE", ROOT / "_build" / "html"))
NODE_MODULES = ROOT / "node_modules"
