"""`python -m citybook.hub` (what `make hub` runs): set up and start the cohort's JupyterHub on this machine.

    python -m citybook.hub [--cohort deploy/hub/cohort.csv] [--port 8100] [--root /srv/citybook-hub]
                           [--venv /opt/citybook-hub/venv]

Runs as root. Creates the cohort's system users (a CSV of user,role with role instructor or
participant), builds the shared environment, lays out the exchange and starts JupyterHub on
127.0.0.1 until Ctrl-C. The demo log-in is one shared password: CITYBOOK_HUB_PASSWORD, or a new random
one printed at start.
"""

from __future__ import annotations

import argparse
import csv
import os
import secrets
import signal
import sys
from pathlib import Path

from citybook.hub.accounts import Cohort, ensure_users, require_root
from citybook.hub.environment import ensure_venv
from citybook.hub.errors import HubError
from citybook.hub.site import HubSite
from citybook.paths import ROOT

DEFAULT_COHORT = ROOT / "deploy" / "hub" / "cohort.csv"


def read_cohort(path: Path) -> Cohort:
    """Read user,role rows into a Cohort."""
    if not path.is_file():
        raise HubError(f"no cohort file at {path}", fix="write a CSV with the columns user,role.")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    roles = {row.get("role", "").strip() for row in rows}
    if not rows or not {"user", "role"} <= set(rows[0]) or not roles <= {"instructor", "participant"}:
        raise HubError(
            f"{path} should have the columns user,role and roles 'instructor' or 'participant'",
            fix="see deploy/hub/cohort.csv for an example.",
        )
    return Cohort(
        instructors=tuple(row["user"].strip() for row in rows if row["role"].strip() == "instructor"),
        participants=tuple(row["user"].strip() for row in rows if row["role"].strip() == "participant"),
    )


def main(argv: list[str] | None = None) -> int:
    """Set up and run the hub until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m citybook.hub", description=__doc__.split("\n")[0])
    parser.add_argument("--cohort", type=Path, default=DEFAULT_COHORT, help="CSV of user,role")
    parser.add_argument("--port", type=int, default=int(os.environ.get("HUB_PORT", "8100")))
    parser.add_argument("--root", type=Path, default=Path("/srv/citybook-hub"), help="the hub's folders")
    parser.add_argument("--venv", type=Path, default=Path("/opt/citybook-hub/venv"), help="the shared environment")
    args = parser.parse_args(argv)
    try:
        require_root()
        cohort = read_cohort(args.cohort)
        created = ensure_users(cohort.everyone)
        if created:
            print(f"Created system users: {', '.join(created)}")
        ensure_venv(args.venv)
        password = os.environ.get("CITYBOOK_HUB_PASSWORD") or secrets.token_urlsafe(9)
        if len(password) < 8:
            raise HubError("CITYBOOK_HUB_PASSWORD is too short", fix="use at least 8 characters.")
        site = HubSite(root=args.root, venv=args.venv, cohort=cohort, port=args.port)
        process = site.start(password)
    except HubError as error:
        print(f"make hub: {error}", file=sys.stderr)
        return 1
    login = (
        f"log-in: your programme's sign-on ({os.environ['CITYBOOK_HUB_OAUTH']})"
        if os.environ.get("CITYBOOK_HUB_OAUTH")
        else f"demo password for all of them (testing only): {password}"
    )
    print(
        f"\nJupyterHub is running at {site.url}  (this machine only; log: {site.log})\n"
        f"  instructors:  {', '.join(cohort.instructors)}   (their course is in ~/course)\n"
        f"  participants: {', '.join(cohort.participants)}\n"
        f"  {login}\n"
        "  an instructor releases ps1 from a terminal in their JupyterLab:\n"
        "    course --course ~/course release ps1-311-performance\n"
        "Ctrl-C stops the hub and everyone's server."
    )

    def stop_hub(signum: int, frame: object) -> None:
        # The hub runs in its own session: pass Ctrl-C (or a service manager's SIGTERM) on to it.
        # It then stops every user's server and its proxy.
        process.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGINT, stop_hub)
    signal.signal(signal.SIGTERM, stop_hub)
    process.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
