"""`course feedback`: one HTML feedback page per participant and notebook (nbgrader generate_feedback).

Feedback pages show a participant's own outputs; HTML in them is sanitised (no scripts), so a notebook
cannot run code in the browser of whoever opens its feedback. Hidden tests stay hidden: nbgrader would
print them in the feedback (and a failing one in its traceback), and a cohort could pass them on to
the next; here they are removed and a failing hidden test shows only its error line. nbgrader's feedback template loads
MathJax from a CDN; that script tag is removed, so a page loads nothing from another host (LaTeX then
shows as written). With --exchange, the pages are also released through nbgrader's exchange, where
participants fetch them from JupyterLab.
"""

from __future__ import annotations

import re
from pathlib import Path

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbformat import NotebookNode
from nbgrader.auth import Authenticator
from nbgrader.converters import GenerateFeedback
from nbgrader.exchange.default import ExchangeReleaseFeedback
from nbgrader.preprocessors import ClearHiddenTests, GetGrades

from citybook.course.config import Course, run_nbgrader
from citybook.course.errors import CourseError
from citybook.course.state import write_atomically

REMOTE_SCRIPT = re.compile(r"<script[^>]*\bsrc=[\"']?(?:https?:)?//[^>]*>\s*</script>", re.IGNORECASE)


class HideHiddenTests(ClearHiddenTests):
    """nbgrader's ClearHiddenTests for feedback: drop hidden test lines, and their tracebacks' code."""

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        """Remove a test cell's hidden region; keep only the error line of its failure, if any."""
        had_hidden = self.begin_test_delimeter in cell.source
        cell, resources = super().preprocess_cell(cell, resources, index)
        if had_hidden and cell.cell_type == "code":
            for output in cell.outputs:
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources


def strip_remote_scripts(page: Path) -> None:
    """Remove <script src="https://..."> tags from a feedback page (nbgrader's template adds MathJax's)."""
    text = page.read_text(encoding="utf-8")
    cleaned = REMOTE_SCRIPT.sub("", text)
    if cleaned != text:
        write_atomically(page, cleaned.encode("utf-8"))
        page.chmod(0o644)


def generate_feedback(course: Course, assignment_id: str, student_id: str = "*", exchange: str = "") -> list[Path]:
    """Write feedback/<id>/<assignment>/<notebook>.html for every autograded participant; return the pages."""
    course.notebook_names(assignment_id)  # a clear error if the assignment is unknown
    graded = course.students_in(course.directories.autograded_directory, assignment_id)
    if not graded or (student_id != "*" and student_id not in graded):
        raise CourseError(
            f"no autograded submissions of '{assignment_id}' yet", fix=f"run `course autograde {assignment_id}` first."
        )
    sections: dict[str, dict] = {
        "HTMLExporter": {"sanitize_html": True},
        "GenerateFeedback": {"preprocessors": [HideHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor]},
    }
    if exchange:
        sections["Exchange"] = {"root": str(Path(exchange).resolve())}
    config = course.settings(**sections)
    coursedir = course.coursedir(config, assignment_id=assignment_id, student_id=student_id)
    converter = GenerateFeedback(coursedir=coursedir, config=config)
    converter.force = True
    run_nbgrader(converter, f"generate feedback for '{assignment_id}'")
    pages = sorted(course.root.glob(f"{coursedir.feedback_directory}/{student_id}/{assignment_id}/*.html"))
    for page in pages:
        strip_remote_scripts(page)
    if exchange:
        app = ExchangeReleaseFeedback(coursedir=coursedir, authenticator=Authenticator(config=config), config=config)
        run_nbgrader(app, f"release feedback for '{assignment_id}' to the exchange at {app.root}")
    return pages
