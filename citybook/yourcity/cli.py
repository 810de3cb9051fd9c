"""The `citybook` command; `citybook city-report` runs lesson 04's analysis on a city's own 311 export.

citybook city-report EXPORT --out DIR [--mapping FILE | --preset NAME] [--as-of WHEN] [--lang es]
citybook city-report EXPORT --suggest        # print a draft mapping made from the export
citybook city-report --template              # print the documented mapping template
citybook city-report --list-presets          # the built-in portal presets
"""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path

import duckdb

from citybook.i18n import LANGUAGES, current_language, number, tr, use_language
from citybook.yourcity.errors import CityDataError


def build_parser() -> argparse.ArgumentParser:
    """Return the command's argument parser."""
    parser = argparse.ArgumentParser(prog="citybook", description="The curriculum's command-line tools.")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("city-report", help="a 311 performance report for your own city's export")
    report.add_argument("export", nargs="?", help="the export: CSV, Excel (.xlsx) or Open311 JSON")
    report.add_argument("--out", metavar="DIR", help="folder for index.html and the CSVs behind every chart")
    report.add_argument("--mapping", metavar="FILE", help="a mapping YAML (default: the preset the headers match)")
    report.add_argument("--preset", metavar="NAME", help="use a built-in preset by name (see --list-presets)")
    report.add_argument("--as-of", metavar="WHEN", help="when the data were exported (default: the latest time in it)")
    report.add_argument("--suggest", action="store_true", help="print a draft mapping made from the export's headers")
    report.add_argument("--template", action="store_true", help="print the documented mapping template")
    report.add_argument("--list-presets", action="store_true", help="list the built-in presets")
    report.add_argument(
        "--lang",
        choices=sorted(LANGUAGES),
        help="the report's language (default: $CITYBOOK_LANG, else English); numbers and dates follow it",
    )
    return parser


def city_report(args: argparse.Namespace) -> int:
    """Run the city-report subcommand."""
    from citybook.yourcity.presets import preset_names, preset_text

    if args.template:
        print(
            (resources.files("citybook.yourcity") / "templates" / "mapping-template.yaml").read_text(encoding="utf-8"),
            end="",
        )
        return 0
    if args.list_presets:
        for name in preset_names():
            print(f"{name}: {preset_text(name).splitlines()[0].lstrip('# ')}")
        return 0
    if not args.export:
        raise CityDataError("no export file given", fix="run `citybook city-report EXPORT --out DIR`.")
    if args.suggest:
        from citybook.yourcity.readers import open_export
        from citybook.yourcity.suggest import suggest_mapping

        print(suggest_mapping(open_export(Path(args.export))), end="")
        return 0
    if not args.out:
        raise CityDataError("no output folder given", fix="add --out DIR (it is created if missing).")
    from citybook.yourcity.pipeline import analyse
    from citybook.yourcity.report import write_report

    with use_language(args.lang or current_language()):
        analysis = analyse(Path(args.export), args.mapping, preset=args.preset, as_of=args.as_of)
        page = write_report(analysis, Path(args.out))
        left_out = analysis.loaded.rows - analysis.loaded.usable
        print(
            tr(
                "Read {rows} rows with the {mapping}; {usable} usable, {left_out} left out (see the data-quality table).",
                rows=number(analysis.loaded.rows),
                mapping=analysis.mapping_label,
                usable=number(analysis.loaded.usable),
                left_out=number(left_out),
            )
        )
        print(tr("Report: {page}", page=page))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command; print a clear message instead of a traceback for any problem with the input."""
    args = build_parser().parse_args(argv)
    try:
        return city_report(args)
    except CityDataError as error:
        print(f"citybook: error: {error.message()}", file=sys.stderr)
        return 2
    except (duckdb.Error, OSError, UnicodeError, ValueError) as error:
        # Not foreseen by the checks: still a message, not a traceback, with what to try.
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(
            f"citybook: error: {getattr(args, 'export', '') or ''}: the export could not be processed: {first}\n"
            "What to do: check the file and the mapping (--suggest drafts one); if they look right, report this "
            "message with the first lines of the file.",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
