"""`course collect`: bring submissions into submitted/<id>/<assignment>/, from the exchange or LMS downloads.

From the exchange, nbgrader's own ExchangeCollect does the copying (newest submission per participant,
never replacing a newer one); this module adds the report. From a folder or zip of LMS downloads, it
matches each notebook's path to a participant (id, e-mail or name, or your --pattern), keeps the newest
file per participant, never replaces a newer collected submission with an older one, keeps any
submission it replaces under .course/superseded/, and never changes the downloaded files.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from nbgrader.auth import Authenticator
from nbgrader.exchange.default import ExchangeCollect
from nbgrader.utils import parse_utc

from citybook.course.config import Course, run_nbgrader
from citybook.course.errors import CourseError
from citybook.course.roster import Participant, load_roster
from citybook.course.state import ensure_dir, read_json, write_atomically, write_json
from citybook.course.submission import notebook_problem

TIMESTAMP_FILE = "timestamp.txt"
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"  # as nbgrader submit writes it
MAX_ENTRY_MB = 50


@dataclass
class CollectReport:
    """What collect found and did, in lists of plain sentences."""

    collected: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    not_on_roster: list[str] = field(default_factory=list)
    not_submitted: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Return the report as the lines the command prints."""
        sections = [
            ("New submissions collected", self.collected),
            ("Updated with a newer submission", self.updated),
            ("Not replaced (the collected submission is newer or the same)", self.kept),
            ("Several submissions from one participant (the newest is used)", self.duplicates),
            ("Late", self.late),
            ("Files matched to no participant (not collected)", self.unmatched),
            ("Collected, but they will not grade as they are", self.problems),
            ("Saved under the released notebook's name", self.renamed),
            ("Links inside submissions, dropped (a submission may not point elsewhere)", self.links),
            ("Collected from ids not on the roster (graded once you import them)", self.not_on_roster),
            ("No submission from", self.not_submitted),
        ]
        out = []
        for title, items in sections:
            if items:
                out.append(f"{title} ({len(items)}):")
                out += [f"  {item}" for item in items]
        return out or ["Nothing to collect."]


def utc_text(moment: datetime) -> str:
    """Format a naive-UTC time as nbgrader writes timestamps."""
    return moment.strftime(TIMESTAMP_FORMAT)


def shown(moment: datetime) -> str:
    """Format a naive-UTC time for a report line."""
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def existing_timestamp(folder: Path) -> datetime | None:
    """Return a collected submission's timestamp (naive UTC), if it has one."""
    stamp = folder / TIMESTAMP_FILE
    return parse_utc(stamp.read_text().strip()) if stamp.is_file() else None


def due_date(course: Course, assignment_id: str) -> datetime | None:
    """Return the assignment's due date from the gradebook (naive UTC), if set."""
    with course.gradebook() as gradebook:
        return gradebook.find_assignment(assignment_id).duedate


def late_line(student_id: str, submitted: datetime, due: datetime | None) -> str:
    """Return a 'late' report line, or an empty string when on time."""
    if due is None or submitted <= due:
        return ""
    return f"{student_id}: submitted {shown(submitted)}, due {shown(due)} ({submitted - due} late)"


# ---- from the exchange ------------------------------------------------------------------------


class LinkSafeCollect(ExchangeCollect):
    """nbgrader's ExchangeCollect, except that a link inside a submission is dropped, not followed.

    A participant owns their folder in the exchange's inbound and could add a link to, say, the
    instructor's gradebook after submitting; nbgrader's copy would follow it with the instructor's
    rights. Here such links are removed from the collected copy and reported.
    """

    dropped: list[str] = []

    def do_copy(self, src: str, dest: str, log: object = None) -> None:
        """Copy as nbgrader does, then delete whatever came from links (and say so)."""
        links = sorted(path.relative_to(src) for path in Path(src).rglob("*") if path.is_symlink())
        super().do_copy(src, dest, log)
        for link in links:
            target = Path(dest) / link
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
            self.dropped = [*self.dropped, f"{Path(src).name}: {link}"]


def from_exchange(course: Course, assignment_id: str, exchange: str = "", check_owner: bool = False) -> CollectReport:
    """Collect through nbgrader's exchange (newest per participant) and report what it found."""
    course.notebook_names(assignment_id)  # the assignment must be in the gradebook
    config = course.settings(Exchange={"root": str(Path(exchange).resolve())}) if exchange else course.config
    coursedir = course.coursedir(config, assignment_id=assignment_id)
    app = LinkSafeCollect(coursedir=coursedir, authenticator=Authenticator(config=config), config=config)
    app.update = True
    app.check_owner = check_owner
    inbound = Path(app.root) / coursedir.course_id / "inbound"
    if not inbound.is_dir():
        raise CourseError(
            "the exchange has no inbound folder for this course",
            where=str(inbound),
            fix="check --exchange (or Exchange.root), and that the assignment was released there.",
        )
    # nbgrader's own parser of inbound names (<id>+<assignment>+<timestamp>+<random>).
    records = [app._path_to_record(str(path)) for path in sorted(inbound.glob(f"*+{assignment_id}+*"))]
    by_student: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        by_student[record["username"]].append(record)
    before = {sid: existing_timestamp(course.submitted(sid, assignment_id)) for sid in by_student}
    run_nbgrader(app, f"collect '{assignment_id}' from the exchange at {app.root}")
    report = CollectReport(links=app.dropped)
    roster = load_roster(course)
    due = due_date(course, assignment_id)
    for student_id, entries in sorted(by_student.items()):
        newest = max(entry["timestamp"] for entry in entries)
        after = existing_timestamp(course.submitted(student_id, assignment_id))
        said = f"{student_id} ({shown(newest)})"
        if before[student_id] is None:
            report.collected.append(said)
        elif after != before[student_id]:
            report.updated.append(said)
        else:
            report.kept.append(said)
        if len(entries) > 1:
            report.duplicates.append(f"{student_id}: {len(entries)} submissions; the newest is used")
        if roster and student_id not in roster:
            report.not_on_roster.append(student_id)
        if line := late_line(student_id, after or newest, due):
            report.late.append(line)
    report.not_submitted = sorted(
        set(roster) - set(course.students_in(course.directories.submitted_directory, assignment_id))
    )
    return report


# ---- from LMS downloads ---------------------------------------------------------------------


@dataclass
class Download:
    """One notebook found in the downloads, matched (or not) to a participant."""

    origin: str  # where it was: a path, with "!" between a zip file and a path inside it
    data: bytes
    timestamp: datetime  # naive UTC


def naive_utc(moment: datetime) -> datetime:
    """Convert an aware time to naive UTC; a naive time is taken as this computer's local time."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def read_downloads(source: Path) -> Iterator[Download]:
    """Yield every notebook in a folder or zip of downloads, looking inside zip files (two levels)."""
    if source.is_file() and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            yield from _zip_entries(archive, str(source), depth=0)
        return
    if not source.is_dir():
        raise CourseError(
            "there is no folder or zip file of downloads here",
            where=str(source),
            fix="give the folder or the zip file your LMS produced with --from.",
        )
    for path in sorted(source.rglob("*")):
        if path.is_file() and path.suffix.lower() == ".ipynb":
            modified = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
            yield Download(str(path.relative_to(source)), path.read_bytes(), naive_utc(modified))
        elif path.is_file() and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                yield from _zip_entries(archive, str(path.relative_to(source)), depth=1)


def _zip_entries(archive: zipfile.ZipFile, origin: str, depth: int) -> Iterator[Download]:
    for entry in archive.infolist():
        if entry.is_dir() or entry.file_size > MAX_ENTRY_MB * 1024 * 1024:
            continue
        name = f"{origin}!{entry.filename}"
        when = naive_utc(datetime(*entry.date_time))
        if entry.filename.lower().endswith(".ipynb"):
            yield Download(name, archive.read(entry), when)
        elif entry.filename.lower().endswith(".zip") and depth < 2:
            with zipfile.ZipFile(io.BytesIO(archive.read(entry))) as inner:
                yield from _zip_entries(inner, name, depth + 1)


def normalise(text: str) -> str:
    """Lower-case, strip accents, and turn every run of other characters into one '_'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


def participant_keys(participant: Participant) -> set[str]:
    """Return the forms of a participant's id, e-mail and name an LMS may put in a file name."""
    words = normalise(participant.name).split("_")
    keys = {normalise(participant.id), normalise(participant.email)}
    if len(words) > 1:
        keys |= {"_".join(words), "_".join(words[-1:] + words[:-1]), "".join(words), "".join(words[-1:] + words[:-1])}
    return {key for key in keys if key}


def match_participant(origin: str, keys: dict[str, set[str]], pattern: re.Pattern | None) -> tuple[str, str]:
    """Return (participant id, '') for a download's path, or ('', why it matched no one)."""
    if pattern is not None:
        found = pattern.search(origin)
        if not found:
            return "", "the --pattern does not match its path"
        student_id = found.group("student_id")
        return (student_id, "") if student_id in keys else ("", f"'{student_id}' is not on the roster")
    haystack = f"_{normalise(origin)}_"
    matches = {(sid, key) for sid, forms in keys.items() for key in forms if f"_{key}_" in haystack}
    if not matches:
        return "", "no participant's id, e-mail or name is in its path"
    best_id, best_key = max(matches, key=lambda m: len(m[1]))
    others = {sid for sid, key in matches if sid != best_id and key not in best_key}
    if others:
        return "", f"it matches several participants ({', '.join(sorted({best_id, *others}))})"
    return best_id, ""


def match_notebook(origin: str, expected: list[str]) -> str:
    """Return which of the assignment's notebooks a download is ('' if it cannot tell)."""
    if len(expected) == 1:
        return expected[0]
    stem = f"_{normalise(Path(origin.split('!')[-1]).stem)}_"
    named = [name for name in expected if f"_{normalise(name)}_" in stem]
    return max(named, key=len) if named else ""


def compile_pattern(pattern: str) -> re.Pattern | None:
    """Compile a --pattern, checking it names the participant."""
    if not pattern:
        return None
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise CourseError(f"the --pattern is not a valid regular expression ({error})") from error
    if "student_id" not in compiled.groupindex:
        raise CourseError(
            "the --pattern needs a (?P<student_id>...) group",
            fix=r"for files like 'ps1_ana_2025-06-01.ipynb' use '_(?P<student_id>[^_]+)_'.",
        )
    return compiled


def sort_downloads(
    downloads: Iterator[Download],
    roster: dict[str, Participant],
    expected: list[str],
    pattern: re.Pattern | None,
    report: CollectReport,
) -> dict[tuple[str, str], list[Download]]:
    """Group downloads by (participant, notebook); report those that match no one."""
    keys = {sid: participant_keys(p) for sid, p in roster.items()}
    grouped: dict[tuple[str, str], list[Download]] = defaultdict(list)
    for download in downloads:
        student_id, why = match_participant(download.origin, keys, pattern)
        notebook = match_notebook(download.origin, expected) if student_id else ""
        if student_id and not notebook:
            why = f"cannot tell which of {', '.join(expected)} it is"
        stamp = pattern.search(download.origin).groupdict().get("timestamp") if pattern and student_id else None
        if stamp:
            try:
                download.timestamp = parse_utc(stamp)
            except (ValueError, OverflowError):
                student_id, why = "", f"cannot read the time '{stamp}' in its name"
        if not student_id or not notebook:
            report.unmatched.append(f"{download.origin}: {why}")
            continue
        grouped[(student_id, notebook)].append(download)
    return grouped


def newest(grouped: dict[tuple[str, str], list[Download]], report: CollectReport) -> dict[str, dict[str, Download]]:
    """Keep the newest download per participant and notebook; report the others."""
    chosen: dict[str, dict[str, Download]] = defaultdict(dict)
    for (student_id, notebook), downloads in sorted(grouped.items()):
        downloads.sort(key=lambda d: d.timestamp)
        chosen[student_id][notebook] = downloads[-1]
        if len(downloads) > 1:
            report.duplicates.append(
                f"{student_id}: {len(downloads)} files for {notebook}; used {downloads[-1].origin} "
                f"({shown(downloads[-1].timestamp)}), not " + ", ".join(d.origin for d in downloads[:-1])
            )
    return chosen


def from_downloads(course: Course, assignment_id: str, source: Path, pattern: str = "") -> CollectReport:
    """Collect notebooks from LMS downloads into submitted/, newest per participant, never downgrading."""
    expected = course.notebook_names(assignment_id)
    roster = load_roster(course)
    if not roster:
        raise CourseError(
            "matching downloaded files to participants needs the roster",
            fix="run `course roster import PATH.csv` first.",
        )
    report = CollectReport()
    grouped = sort_downloads(read_downloads(source), roster, expected, compile_pattern(pattern), report)
    due = due_date(course, assignment_id)
    record_path = course.state_dir / "collect" / f"{assignment_id}.json"
    provenance = read_json(record_path, {})
    for student_id, notebooks in sorted(newest(grouped, report).items()):
        submitted = max(d.timestamp for d in notebooks.values())
        said = f"{student_id} ({shown(submitted)})"
        before = existing_timestamp(course.submitted(student_id, assignment_id))
        outcome = place(course, assignment_id, student_id, notebooks, submitted)
        if outcome == "kept":
            report.kept.append(f"{said}: kept the collected one ({shown(before) if before else 'placed by hand'})")
            continue
        getattr(report, outcome).append(said)
        provenance[student_id] = {
            name: {"from": d.origin, "sha256": hashlib.sha256(d.data).hexdigest(), "timestamp": utc_text(d.timestamp)}
            for name, d in notebooks.items()
        }
        for name, download in notebooks.items():
            if problem := notebook_problem(download.data):
                report.problems.append(f"{student_id}: {name}.ipynb: {problem}")
            if (original := Path(download.origin.split("!")[-1]).name) != f"{name}.ipynb":
                report.renamed.append(f"{student_id}: '{original}' as '{name}.ipynb'")
        if line := late_line(student_id, submitted, due):
            report.late.append(line)
    write_json(record_path, provenance)
    report.not_submitted = sorted(
        set(roster) - set(course.students_in(course.directories.submitted_directory, assignment_id))
    )
    return report


def place(
    course: Course, assignment_id: str, student_id: str, notebooks: dict[str, Download], submitted: datetime
) -> str:
    """Write a participant's newest downloads into submitted/ unless what is there is as new or newer.

    Returns "collected", "updated" or "kept". A replaced submission is moved to .course/superseded/.
    """
    destination = course.submitted(student_id, assignment_id)
    current = existing_timestamp(destination) if destination.is_dir() else None
    if destination.is_dir() and (current is None or current >= submitted):
        # A folder without a timestamp was put there by hand: never overwrite it.
        return "kept"
    staging = destination.with_name(f".{destination.name}.incoming")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name, download in notebooks.items():
        write_atomically(staging / f"{name}.ipynb", download.data)
    (staging / TIMESTAMP_FILE).write_text(utc_text(submitted))
    if destination.is_dir():
        archive = Path(
            tempfile.mkdtemp(
                prefix=utc_text(current).replace(":", "-").replace(" ", "_") + "-",
                dir=ensure_dir(course.state_dir / "superseded" / assignment_id / student_id),
            )
        )
        destination.rename(archive / assignment_id)
        staging.rename(destination)
        return "updated"
    staging.rename(destination)
    return "collected"
