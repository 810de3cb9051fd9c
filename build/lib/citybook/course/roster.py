"""The cohort's roster: participants (id, name, city, email), checked, kept and synced to the gradebook."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from citybook.course.config import Course
from citybook.course.errors import CourseError
from citybook.course.state import write_atomically

COLUMNS = ("id", "name", "city", "email")
ROSTER_FILE = "roster.csv"
# nbgrader uses the id as a folder name (submitted/<id>/...) and the exchange splits file names on "+",
# so an id is letters, digits, ".", "_" and "-" only, starting with a letter or digit.
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Participant:
    """One participant of the cohort."""

    id: str
    name: str
    city: str
    email: str

    def name_parts(self) -> tuple[str, str]:
        """Split the name for nbgrader's first_name/last_name: the last word is the last name."""
        words = self.name.split()
        return (" ".join(words[:-1]), words[-1]) if len(words) > 1 else ("", self.name)


@dataclass
class RosterChange:
    """What an import did: who was added, whose details changed, who was kept though not in the file."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def id_problem(value: str) -> str:
    """Return why a participant id cannot be used, or an empty string."""
    if not value:
        return "the id is empty"
    if not SAFE_ID.match(value):
        return (
            f"the id '{value}' cannot be a folder name for nbgrader: use letters, digits, '.', '_' "
            "or '-' (no spaces, no '+' or '/'), starting with a letter or digit, at most 64 characters"
        )
    return ""


def parse_roster(text: str, source: str) -> list[Participant]:
    """Read roster CSV text; raise one CourseError that names every bad row."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise CourseError(
            "the roster is missing the column" + ("s " if len(missing) > 1 else " ") + ", ".join(missing),
            where=f"{source}, line 1",
            fix=f"the first line must name the columns {', '.join(COLUMNS)} (other columns are ignored).",
        )
    reader.fieldnames = header
    participants: list[Participant] = []
    problems: list[str] = []
    first_row: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        values = {column: (row.get(column) or "").strip() for column in COLUMNS}
        problem = id_problem(values["id"])
        key = values["id"].lower()  # folders named "Ana" and "ana" clash on macOS and Windows
        if not problem and key in first_row:
            problem = f"the id '{values['id']}' is already used on line {first_row[key]}"
        for column in ("name", "city"):
            if not problem and not values[column]:
                problem = f"the {column} is empty"
        if not problem and not EMAIL.match(values["email"]):
            problem = f"the email '{values['email']}' is not an e-mail address"
        if problem:
            problems.append(f"line {line}: {problem}")
            continue
        first_row[key] = line
        participants.append(Participant(**values))
    if problems:
        raise CourseError(
            f"{len(problems)} row{'s' if len(problems) > 1 else ''} of the roster cannot be imported; nothing was changed",
            where=source,
            details=problems,
            fix="correct these rows in the file and import it again.",
        )
    if not participants:
        raise CourseError("the roster has no participants", where=source, fix="add one row per participant.")
    return participants


def roster_text(participants: list[Participant]) -> str:
    """Return participants as roster CSV text, sorted by id."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for participant in sorted(participants, key=lambda p: p.id):
        writer.writerow(asdict(participant))
    return out.getvalue()


def roster_path(course: Course) -> Path:
    """Where the course keeps its roster (it holds personal data: never commit it)."""
    return course.state_dir / ROSTER_FILE


def load_roster(course: Course) -> dict[str, Participant]:
    """Return the course's participants by id (empty before the first import)."""
    path = roster_path(course)
    if not path.exists():
        return {}
    return {p.id: p for p in parse_roster(path.read_text(encoding="utf-8"), str(path))}


def import_roster(course: Course, csv_path: Path) -> RosterChange:
    """Add or update participants from a CSV file, in the roster and in the gradebook; keep everyone else."""
    try:
        text = Path(csv_path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CourseError(
            f"cannot read the roster ({error})",
            where=str(csv_path),
            fix="give a UTF-8 CSV file with the columns id, name, city, email.",
        ) from error
    incoming = parse_roster(text, str(csv_path))
    current = load_roster(course)
    change = RosterChange()
    for participant in incoming:
        before = current.get(participant.id)
        bucket = change.added if before is None else change.unchanged if before == participant else change.updated
        bucket.append(participant.id)
        current[participant.id] = participant
    incoming_ids = {p.id for p in incoming}
    change.kept = sorted(set(current) - incoming_ids)
    with course.gradebook() as gradebook:
        for participant in incoming:
            first, last = participant.name_parts()
            gradebook.update_or_create_student(
                participant.id, first_name=first, last_name=last, email=participant.email
            )
    write_atomically(roster_path(course), roster_text(list(current.values())).encode("utf-8"))
    return change
