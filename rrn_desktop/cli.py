"""The rrn-desktop command: the app's window by default, and headless subcommands for scripts.

Errors are one plain line on stderr with exit status 1; usage mistakes exit 2 (argparse's own).
A traceback never reaches the terminal: it goes to the log file in the data folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rrn_desktop import __version__
from rrn_desktop.errors import UserFacingError
from rrn_desktop.logs import logger, start_logging
from rrn_desktop.paths import DATA_DIR_VARIABLE, resolve_data_dir

PROGRAM = "rrn-desktop"


def _data_dir_option(parser: argparse.ArgumentParser, *, top_level: bool) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        # A subcommand's copy must not overwrite a --data-dir given before the subcommand.
        default=None if top_level else argparse.SUPPRESS,
        help=f"folder holding the data (default: ${DATA_DIR_VARIABLE}, else your user data folder)",
    )


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-04-01") from error


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description="RRN Self-Audit: benchmark training and reduce restrictive practice, offline.",
    )
    parser.add_argument("--version", action="version", version=f"{PROGRAM} {__version__}")
    _data_dir_option(parser, top_level=True)
    parser.add_argument(
        "--quit-after-start",
        action="store_true",
        help="open the data and show the main window, then exit (for start-up checks)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", help="fill an empty data folder with fictional demo data")
    _data_dir_option(demo, top_level=False)

    report = commands.add_parser(
        "report", help="write a report as PDF (or Word, for .docx) without opening a window"
    )
    kinds = report.add_subparsers(dest="kind", metavar="KIND", required=True)
    benchmark = kinds.add_parser("benchmark", help="the latest Training Standards benchmark")
    benchmark.add_argument("--out", required=True, metavar="FILE.pdf|FILE.docx", type=Path)
    benchmark.add_argument("--service", metavar="NAME", help="service name (default: the latest)")
    register = kinds.add_parser("restrictions", help="the blanket restrictions register")
    register.add_argument("--out", required=True, metavar="FILE.pdf|FILE.docx", type=Path)
    register.add_argument(
        "--service", metavar="NAME", help="service name (default: every service with a register)"
    )
    plan = kinds.add_parser("plan", help="the pledge and the restraint reduction plan")
    plan.add_argument("--out", required=True, metavar="FILE.pdf|FILE.docx", type=Path)
    plan.add_argument(
        "--service", metavar="NAME", help="one service's actions and the organisation-wide ones"
    )
    incident = kinds.add_parser(
        "incident", help="one incident: the record, support and the learning review, apart"
    )
    incident.add_argument("--ref", required=True, metavar="CODE", help="the incident's reference")
    incident.add_argument("--out", required=True, metavar="FILE.pdf|FILE.docx", type=Path)
    incident.add_argument(
        "--include-support",
        action="store_true",
        help="print the support records in full (left out unless asked for)",
    )
    figures = kinds.add_parser(
        "incidents", help="the last 12 months' incident figures and learning themes, anonymised"
    )
    figures.add_argument("--out", required=True, metavar="FILE.pdf|FILE.docx", type=Path)
    figures.add_argument("--service", metavar="NAME", help="one service (default: every service)")

    pack = kinds.add_parser(
        "pack", help="the inspection pack: every module's report in one document, with contents"
    )
    pack.add_argument("--out", required=True, metavar="FILE.pdf|FILE.docx", type=Path)
    pack.add_argument("--service", metavar="NAME", help="one service (default: every service)")
    pack.add_argument("--from", dest="date_from", metavar="DATE", type=_date, help="YYYY-MM-DD")
    pack.add_argument("--to", dest="date_to", metavar="DATE", type=_date, help="YYYY-MM-DD")

    export = commands.add_parser("export", help="write data for other programs")
    exports = export.add_subparsers(dest="kind", metavar="KIND", required=True)
    tna = exports.add_parser(
        "tna",
        help="24 months of anonymised incident counts by type, for a training needs analysis",
    )
    tna.add_argument("--out", required=True, metavar="FILE.csv", type=Path)
    tna.add_argument("--service", metavar="NAME", help="one service (default: every service)")
    xlsx = exports.add_parser(
        "xlsx", help="a spreadsheet: one sheet per module, one row per item, ready to filter"
    )
    xlsx.add_argument("--out", required=True, metavar="FILE.xlsx", type=Path)
    xlsx.add_argument("--service", metavar="NAME", help="one service (default: every service)")
    xlsx.add_argument(
        "--include-personal",
        action="store_true",
        help="add incidents' reference codes, names and free text (left out unless asked for)",
    )
    for parser_with_data in (
        report,
        benchmark,
        register,
        plan,
        incident,
        figures,
        pack,
        export,
        tna,
        xlsx,
    ):
        _data_dir_option(parser_with_data, top_level=False)
    return parser


def _run_demo(args: argparse.Namespace, data_dir: Path) -> int:
    from rrn_desktop.core.demo import load_demo
    from rrn_desktop.storage.database import open_database

    with open_database(data_dir) as db:
        load_demo(db)
    print(f"Demo data added to {data_dir}.")
    return 0


def _run_report(args: argparse.Namespace, data_dir: Path) -> int:
    from rrn_desktop.core.services import find_service
    from rrn_desktop.storage.database import open_database

    service = getattr(args, "service", None)  # one incident needs no service
    with open_database(data_dir) as db:
        service_id = find_service(db, service).id if service else None
        if args.kind == "incident":
            from rrn_desktop.core.incidents import find_incident
            from rrn_desktop.reports.incident_report import write_incident_report

            incident = find_incident(db, args.ref)
            result = write_incident_report(
                db, incident.id, args.out, include_support=args.include_support
            )
        elif args.kind == "pack":
            from rrn_desktop.reports.pack_report import write_pack_report

            result = write_pack_report(
                db,
                args.out,
                service_id=service_id,
                date_from=args.date_from,
                date_to=args.date_to,
            )
        elif args.kind == "incidents":
            from rrn_desktop.reports.incidents_report import write_incidents_report

            result = write_incidents_report(db, args.out, service_id=service_id)
        elif args.kind == "plan":
            from rrn_desktop.reports.plan_report import write_plan_report

            result = write_plan_report(db, args.out, service_id=service_id)
        elif args.kind == "restrictions":
            from rrn_desktop.reports.restrictions_report import write_restrictions_report

            result = write_restrictions_report(db, args.out, service_id=service_id)
        else:
            from rrn_desktop.core.benchmarks import latest_benchmark
            from rrn_desktop.reports.benchmark_report import write_benchmark_report

            benchmark = latest_benchmark(db, service_id)
            result = write_benchmark_report(db, benchmark.id, args.out)
    print(f"Wrote {result.summary}.")
    return 0


def _run_export(args: argparse.Namespace, data_dir: Path) -> int:
    from rrn_desktop.core.services import find_service
    from rrn_desktop.storage.database import open_database

    with open_database(data_dir) as db:
        service_id = find_service(db, args.service).id if args.service else None
        if args.kind == "xlsx":
            from rrn_desktop.reports.xlsx_export import export_xlsx

            result = export_xlsx(
                db, args.out, service_id=service_id, include_personal=args.include_personal
            )
            personal = "with" if args.include_personal else "without"
            print(f"Wrote {result.summary}, {personal} incidents' personal details.")
            return 0
        from rrn_desktop.reports.tna_export import TNA_MONTHS, export_tna

        counted = export_tna(db, args.out, service_id, dt.date.today())
    print(f"Wrote {args.out}: {TNA_MONTHS} months, {counted} incidents counted, no names or codes.")
    return 0


def _run_gui(args: argparse.Namespace, data_dir: Path) -> int:
    from rrn_desktop.gui.app import run_app

    return run_app(data_dir, quit_after_start=args.quit_after_start)


def _handler(args: argparse.Namespace) -> Callable[[argparse.Namespace, Path], int]:
    if args.command == "demo":
        return _run_demo
    if args.command == "report":
        return _run_report
    if args.command == "export":
        return _run_export
    return _run_gui


def _ensure_standard_streams() -> None:
    # A windowed (frozen) program on Windows starts with no stdout or stderr at all.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def main(argv: Sequence[str] | None = None) -> int:
    _ensure_standard_streams()
    args = build_parser().parse_args(argv)
    data_dir = resolve_data_dir(args.data_dir)
    log_file = start_logging(data_dir)
    try:
        return _handler(args)(args, data_dir)
    except UserFacingError as error:
        print(f"{PROGRAM}: {error.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROGRAM}: stopped.", file=sys.stderr)
        return 1
    except Exception:
        logger.exception("Unexpected error running %s", args.command or "the app")
        where = f" Details were saved in {log_file}." if log_file else ""
        print(f"{PROGRAM}: something unexpected went wrong.{where}", file=sys.stderr)
        return 1
