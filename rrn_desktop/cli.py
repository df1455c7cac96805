"""The rrn-desktop command: the app's window by default, and headless subcommands for scripts.

Errors are one plain line on stderr with exit status 1; usage mistakes exit 2 (argparse's own).
`check` also exits 1 when it finds something wrong with the data folder.
A traceback never reaches the terminal: it goes to the log file in the data folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rrn_desktop import __version__
from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.logs import ensure_standard_streams, logger, start_logging
from rrn_desktop.base.paths import DATA_DIR_VARIABLE, resolve_data_dir
from rrn_desktop.base.screen_config import offscreen_platform
from rrn_desktop.base.wording import plural
from rrn_desktop.reports import catalogue
from rrn_desktop.reports.catalogue import ReportKind, Subject

if TYPE_CHECKING:
    from rrn_desktop.core.bundle_import import ImportPlan
    from rrn_desktop.core.periods import Period

PROGRAM = "rrn-desktop"


def _data_dir_option(parser: argparse.ArgumentParser, *, top_level: bool) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        # A subcommand's copy must not overwrite a --data-dir given before the subcommand.
        default=None if top_level else argparse.SUPPRESS,
        help=f"folder holding the data (default: ${DATA_DIR_VARIABLE}, else your user data folder)",
    )
    parser.add_argument(
        "--database",
        metavar="postgresql://NAME@SERVER/DATABASE",
        default=None if top_level else argparse.SUPPRESS,
        help="work on a shared database instead of the data folder (default: "
        "$RRN_DESKTOP_DATABASE, else the one chosen in the window; '' for the data folder)",
    )


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-04-01") from error


def _out_and_service(
    parser: argparse.ArgumentParser,
    out_metavar: str,
    service_help: str = "one service (default: every service)",
) -> None:
    parser.add_argument("--out", required=True, metavar=out_metavar, type=Path)
    parser.add_argument("--service", metavar="NAME", help=service_help)


def _period_options(parser: argparse.ArgumentParser) -> None:
    """--from and --to: by default the 12 months up to today."""
    parser.add_argument("--from", dest="date_from", metavar="DATE", type=_date, help="YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", metavar="DATE", type=_date, help="YYYY-MM-DD")


def _period(args: argparse.Namespace) -> Period:
    from rrn_desktop.core.periods import Period

    return Period.chosen(args.date_from, args.date_to, dt.date.today())


def _report_parser(
    kinds: argparse._SubParsersAction[argparse.ArgumentParser], kind: ReportKind
) -> argparse.ArgumentParser:
    """`report KEY`, with the options its subject and its flags call for."""
    parser: argparse.ArgumentParser = kinds.add_parser(kind.key, help=kind.help)
    if kind.subject is Subject.INCIDENT:
        parser.add_argument("--ref", required=True, metavar="CODE", help="the incident's reference")
    if kind.subject in (Subject.INCIDENT, Subject.GROUP):
        parser.add_argument("--out", required=True, metavar="FILE.pdf|FILE.docx", type=Path)
    else:
        _out_and_service(parser, "FILE.pdf|FILE.docx", kind.service_help)
    if kind.period:
        _period_options(parser)
    group = parser.add_mutually_exclusive_group() if kind.flags_exclusive else parser
    for flag in kind.flags:
        group.add_argument(flag.option, dest=flag.field, action="store_true", help=flag.help)
    return parser


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
    parser.add_argument(
        "--quit-after-first-paint",
        action="store_true",
        help="show the opening window, then exit (for start-up benchmarks)",
    )
    parser.add_argument(
        "--quit-after-first-screen",
        action="store_true",
        help="show the start screen drawn before the rest loads, then exit (for benchmarks)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", help="fill an empty data folder with fictional demo data")
    _data_dir_option(demo, top_level=False)
    demo.add_argument(
        "--services",
        type=int,
        metavar="N",
        help="instead, a large fictional organisation of N services (for speed tests)",
    )
    demo.add_argument(
        "--years", type=int, default=5, metavar="Y", help="years of records with --services"
    )

    report = commands.add_parser(
        "report", help="write a report as PDF (or Word, for .docx) without opening a window"
    )
    kinds = report.add_subparsers(dest="kind", metavar="KIND", required=True)
    report_kinds = [_report_parser(kinds, kind) for kind in catalogue.REPORTS]

    export = commands.add_parser("export", help="write data for other programs")
    exports = export.add_subparsers(dest="kind", metavar="KIND", required=True)
    tna = exports.add_parser(
        "tna",
        help="24 months of anonymised incident counts by type, for a training needs analysis",
    )
    _out_and_service(tna, "FILE.csv")
    figures_csv = exports.add_parser(
        "figures",
        help="12 months of anonymised incident figures by month: types, red flags and the "
        "Mental Health Services Data Set's intervention codes",
    )
    _out_and_service(figures_csv, "FILE.csv")
    groups_csv = exports.add_parser(
        "groups",
        help="12 months of anonymised incident counts by the person's age band and "
        "characteristics, with every figure under 5 hidden",
    )
    _out_and_service(groups_csv, "FILE.csv")
    xlsx = exports.add_parser(
        "xlsx", help="a spreadsheet: one sheet per module, one row per item, ready to filter"
    )
    _out_and_service(xlsx, "FILE.xlsx")
    _period_options(xlsx)
    xlsx.add_argument(
        "--include-personal",
        action="store_true",
        help="add incidents' reference codes, names and free text (left out unless asked for)",
    )
    bundle = exports.add_parser(
        "bundle", help="a bundle file of records to bring into another laptop's data"
    )
    _out_and_service(bundle, "FILE")
    bring_in = commands.add_parser(
        "import", help="bring in a bundle's records: shows what would change, then asks"
    )
    bring_in.add_argument("file", metavar="FILE", type=Path, help="the bundle file")
    bring_in.add_argument("--yes", action="store_true", help="import without asking (for scripts)")
    bring_in.add_argument(
        "--accept-unsigned",
        action="store_true",
        help="import a bundle not signed with this laptop's key, when its policy is to warn "
        "(--yes does not do this)",
    )
    bring_in.add_argument(
        "--conflicts",
        choices=("keep-here", "take-bundle"),
        help="for records changed on both laptops since they last exchanged them: keep this "
        "laptop's version, or take the bundle's (without it, you are asked for each)",
    )

    backup = commands.add_parser(
        "backup", help="back up the data and evidence files to one file (a zip)"
    )
    backup.add_argument(
        "--out",
        metavar="FILE|FOLDER",
        type=Path,
        help="where to write it (default: the data folder's backups folder)",
    )
    restore = commands.add_parser(
        "restore",
        help="replace the data with a backup's, after checking it; the current data is kept",
    )
    restore.add_argument("file", metavar="FILE", type=Path, help="a backup file (.zip)")
    screenshots = commands.add_parser(
        "screenshots",
        help="save a picture (PNG) of every main screen, at normal and double text size",
    )
    screenshots.add_argument(
        "--out", required=True, metavar="DIR", type=Path, help="the folder to save them in"
    )
    screenshots.add_argument(
        "--screen",
        default="1366x768",
        metavar="WIDTHxHEIGHT",
        help="the screen to picture them on, less a 40-pixel taskbar (default: 1366x768, "
        "the commonest laptop; for example 2560x1600 for a large one)",
    )
    instruments = commands.add_parser(
        "pack", help="the self-assessment instruments (content packs): list them, check a file"
    )
    instrument_actions = instruments.add_subparsers(dest="action", metavar="ACTION", required=True)
    instrument_actions.add_parser("list", help="the instruments the app has, with their sources")
    pack_check = instrument_actions.add_parser(
        "check", help="check a pack file and say what is wrong with it (changes nothing)"
    )
    pack_check.add_argument("file", type=Path, metavar="FILE.toml")
    pack_add = instrument_actions.add_parser(
        "add", help="add a self-assessment pack for new benchmarks (or upgrade one to it)"
    )
    pack_add.add_argument("file", type=Path, metavar="FILE.toml")
    pack_add.add_argument(
        "--upgrade",
        action="store_true",
        help="replace the version of the same instrument that new benchmarks use "
        "(benchmarks already made keep theirs)",
    )
    shared = commands.add_parser(
        "shared",
        help="a shared database on PostgreSQL, for head office's IT: set it up, give people access",
    )
    shared_actions = shared.add_subparsers(dest="action", metavar="ACTION", required=True)
    shared_parsers = [
        shared_actions.add_parser(
            "setup", help="make the tables and access rules in a new, empty database (once)"
        ),
        shared_actions.add_parser(
            "add-person",
            help="a login for one person (password: typed twice, or one line on standard input)",
        ),
        shared_actions.add_parser("grant", help="let a person see and edit one service's records"),
        shared_actions.add_parser(
            "head-office", help="let a person see and edit every service (head office)"
        ),
        shared_actions.add_parser(
            "load", help="copy a data folder's records and evidence into the shared database"
        ),
    ]
    for parser_of_person in shared_parsers[1:4]:
        parser_of_person.add_argument("person", metavar="LOGIN", help="the person's login name")
    shared_parsers[2].add_argument("--service", required=True, metavar="NAME")
    for parser_with_support in shared_parsers[2:4]:
        parser_with_support.add_argument(
            "--support",
            action="store_true",
            help="also let them read the support records after incidents (personal)",
        )
    shared_parsers[4].add_argument("folder", type=Path, metavar="FOLDER", help="a data folder")
    check = commands.add_parser(
        "check",
        help="report on the data folder; exits 1 if something is wrong (changes nothing)",
    )
    signing = commands.add_parser(
        "signing", help="the organisation's key that signs bundles, and what imports require"
    )
    signing_actions = signing.add_subparsers(dest="action", metavar="ACTION", required=True)
    for action, action_help in (
        ("set", "set the organisation's passphrase (asked twice, or one line on standard input)"),
        ("show", "say whether a key is set, its fingerprint and the policy"),
        ("clear", "remove the key: bundles are no longer signed or checked here"),
        ("policy", "what an import does with a bundle not signed with the key"),
    ):
        _data_dir_option(signing_actions.add_parser(action, help=action_help), top_level=False)
    signing_actions.choices["policy"].add_argument(
        "choice", choices=("refuse", "warn"), help="refuse it, or import it only when accepted"
    )
    for parser_with_data in (
        *shared_parsers,
        signing,
        bundle,
        bring_in,
        backup,
        restore,
        check,
        screenshots,
        report,
        *report_kinds,
        export,
        tna,
        figures_csv,
        groups_csv,
        xlsx,
    ):
        _data_dir_option(parser_with_data, top_level=False)
    return parser


def _run_demo(args: argparse.Namespace, data_dir: Path) -> int:
    from rrn_desktop.storage.connect import open_data

    if args.services is None:
        from rrn_desktop.base.connection_choice import chosen_database

        if chosen_database(data_dir, args.database) is None:
            from rrn_desktop.demo.organisation import load_demo_folder

            load_demo_folder(data_dir)
            print(f"Demo data added to {data_dir}.")
            return 0
        from rrn_desktop.demo.organisation import load_demo

        with open_data(data_dir, args.database) as db:
            load_demo(db)
            print(f"Demo data added to the shared database {db.shared}.")
        return 0
    with open_data(data_dir, args.database) as db:
        from rrn_desktop.demo.large import load_large_demo

        made = load_large_demo(
            db,
            args.services,
            args.years,
            progress=lambda done, total: print(f"  {done} of {total} services", flush=True),
        )
    print(
        f"Added {plural(made.services, 'fictional service')} with "
        f"{plural(made.years, 'year')} of records: {plural(made.benchmarks, 'benchmark')}, "
        f"{plural(made.restrictions, 'register entry', 'register entries')}, "
        f"{plural(made.actions, 'action')}, {plural(made.incidents, 'incident')}."
    )
    return 0


def _run_report(args: argparse.Namespace, data_dir: Path) -> int:
    from rrn_desktop.core.services import find_service
    from rrn_desktop.reports.catalogue import ReportRequest, Subject, report_kind
    from rrn_desktop.storage.connect import open_data

    kind = report_kind(args.kind)
    with open_data(data_dir, args.database) as db:
        service = getattr(args, "service", None)  # one incident needs no service
        service_id = find_service(db, service).id if service else None
        request = ReportRequest(
            service_id=service_id,
            period=_period(args) if kind.period else None,
            **{flag.field: getattr(args, flag.field) for flag in kind.flags},
        )
        if kind.subject is Subject.INCIDENT:
            from rrn_desktop.core.incidents import find_incident

            request = replace(request, incident_id=find_incident(db, args.ref).id)
        elif kind.subject is Subject.BENCHMARK:
            from rrn_desktop.core.benchmarks import latest_benchmark

            request = replace(request, benchmark_id=latest_benchmark(db, service_id).id)
        result = kind.write(db, request, args.out)
    print(f"Wrote {result.summary}.")
    return 0


def _run_export(args: argparse.Namespace, data_dir: Path) -> int:
    from rrn_desktop.core.services import find_service
    from rrn_desktop.storage.connect import open_data

    with open_data(data_dir, args.database) as db:
        service_id = find_service(db, args.service).id if args.service else None
        if args.kind == "xlsx":
            from rrn_desktop.reports.xlsx_export import export_xlsx

            result = export_xlsx(
                db,
                args.out,
                service_id=service_id,
                include_personal=args.include_personal,
                period=_period(args),
            )
            personal = "with" if args.include_personal else "without"
            print(f"Wrote {result.summary}, {personal} incidents' personal details.")
            return 0
        if args.kind in ("figures", "groups"):
            from rrn_desktop.reports.figures_export import FIGURES_MONTHS, export_figures

            months = FIGURES_MONTHS
            by_group = args.kind == "groups"
            counted = export_figures(db, args.out, service_id, dt.date.today(), by_group=by_group)
        else:
            from rrn_desktop.reports.tna_export import TNA_MONTHS, export_tna

            months = TNA_MONTHS
            counted = export_tna(db, args.out, service_id, dt.date.today())
    print(f"Wrote {args.out}: {months} months, {counted} incidents counted, no names or codes.")
    return 0


def _export_bundle(args: argparse.Namespace, data_dir: Path) -> int:
    from rrn_desktop.core.bundle import export_bundle
    from rrn_desktop.core.services import find_service
    from rrn_desktop.storage.connect import open_data

    with open_data(data_dir, args.database) as db:
        service_id = find_service(db, args.service).id if args.service else None
        result = export_bundle(db, args.out, service_id=service_id)
    print(f"Wrote {result.summary}.")
    return 0


def _ask(question: str) -> bool:
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().casefold() in ("y", "yes")


def _choose_versions(args: argparse.Namespace, plan: ImportPlan) -> None:
    """List the records changed on both laptops and settle each as --conflicts says, or as
    the person at the terminal answers; with neither, nothing is imported."""
    from rrn_desktop.core.bundle_import import Choice

    print("Changed on both laptops since they last exchanged them:")
    for number, conflict in enumerate(plan.conflicts, 1):
        # Each version whole on a line of its own (a value's own line breaks indented under
        # it), so two notes that differ only near the end can be told apart.
        title, *lines = conflict.lines()
        print(f"  {number}. {title}")
        for line in lines:
            print(textwrap.indent(line, "     "))
    if args.conflicts:
        plan.choose_all(Choice(args.conflicts))
        return
    if args.yes or not sys.stdin.isatty():
        count = len(plan.conflicts)
        raise UserFacingError(
            f"{args.file.name} was not imported: which version to keep has not been chosen for "
            f"{plural(count, 'record')} changed on both laptops. Nothing was "
            "changed; run it again with --conflicts keep-here or --conflicts take-bundle."
        )
    answers = {"h": Choice.KEEP_HERE, "b": Choice.TAKE_BUNDLE}
    for number, conflict in enumerate(plan.conflicts, 1):
        answer = ""
        while answer not in answers:
            try:
                answer = input(
                    f"{number}. Keep this laptop's version (h) or take the bundle's version (b)? "
                )
            except EOFError:
                raise UserFacingError("Nothing was imported.") from None
            answer = answer.strip().casefold()[:1]
        plan.choose(conflict, answers[answer])


def _run_import(args: argparse.Namespace, data_dir: Path) -> int:
    from rrn_desktop.core.bundle import apply_import, plan_import, read_bundle
    from rrn_desktop.storage.connect import open_data
    from rrn_desktop.storage.signing_key import load_signing

    bundle = read_bundle(args.file, load_signing(data_dir))
    with open_data(data_dir, args.database) as db:
        plan = plan_import(db, bundle)
        print(bundle.origin.line)
        print(plan.describe())
        if not plan.changes and not plan.conflicts:
            print("Nothing to import: the data already holds everything in the bundle.")
            return 0
        if bundle.origin.needs_confirmation and not args.accept_unsigned:
            raise UserFacingError(
                f"{args.file.name} was not imported: nothing shows it comes from your "
                "organisation. Nothing was changed; if you know who made it, run it again with "
                "--accept-unsigned."
            )
        if plan.conflicts:
            _choose_versions(args, plan)
        if not args.yes:
            if not sys.stdin.isatty():
                raise UserFacingError(
                    "Nothing was imported: there is no one to answer the question. "
                    "Run it again with --yes to import without being asked."
                )
            if not _ask("Import these changes?"):
                print("Nothing was imported.")
                return 0
        result = apply_import(db, plan)
    print(f"Imported {plural(result.changes, 'change')}.")
    return 0


def _read_passphrase(what: str = "passphrase") -> tuple[str, str | None]:
    """Typed twice at a terminal, without showing it; else the first line of standard input."""
    if sys.stdin.isatty():
        from getpass import getpass

        try:
            return getpass(f"{what.capitalize()}: "), getpass(f"The same {what} again: ")
        except EOFError:
            raise UserFacingError("No passphrase was given. Nothing was changed.") from None
    return sys.stdin.readline().removesuffix("\n").removesuffix("\r"), None


def _run_signing(args: argparse.Namespace, data_dir: Path) -> int:
    from rrn_desktop.core.bundle_signing import describe_signing, set_passphrase, set_policy
    from rrn_desktop.storage.signing_key import Policy, clear_signing, load_signing

    if args.action == "set":
        set_passphrase(data_dir, *_read_passphrase())
        print("The bundle signing key is set. Set the same passphrase on every laptop of your")
        print("organisation, and check that each shows the same fingerprint.")
    elif args.action == "policy":
        set_policy(data_dir, Policy(args.choice))
    elif args.action == "clear":
        if not clear_signing(data_dir):
            print("No bundle signing key was set. Nothing was changed.")
            return 0
        print("The bundle signing key was removed from this laptop.")
    print("\n".join(describe_signing(load_signing(data_dir))))
    return 0


def _run_backup(args: argparse.Namespace, data_dir: Path) -> int:
    from rrn_desktop.base.saving import refuse_overlong_name
    from rrn_desktop.storage.backups import back_up
    from rrn_desktop.storage.connect import open_data

    if args.out is not None:
        refuse_overlong_name(args.out.expanduser(), "backup")
    with open_data(data_dir, args.database) as db:
        info = back_up(db, args.out)
    size = info.path.stat().st_size
    print(f"Backed up to {info.path} ({size:,} bytes): {info.describe()}.")
    return 0


def _run_restore(args: argparse.Namespace, data_dir: Path) -> int:
    from rrn_desktop.storage.restore import restore_backup

    result = restore_backup(data_dir, args.file)
    print(result.summary)
    return 0


def _run_check(args: argparse.Namespace, data_dir: Path) -> int:
    from rrn_desktop.storage.folder_check import check_data_folder

    report = check_data_folder(data_dir)
    print("\n".join(report.lines))
    for warning in report.warnings:
        print(f"Warning: {warning}")
    for problem in report.problems:
        print(f"Problem: {problem}")
    if report.ok:
        print("Result: no problems found.")
        return 0
    count = len(report.problems)
    print(
        f"{PROGRAM}: {plural(count, 'problem')} found. {report.problems[0]}",
        file=sys.stderr,
    )
    return 1


def _run_screenshots(args: argparse.Namespace, data_dir: Path) -> int:
    width, _, height = args.screen.lower().partition("x")
    if not (width.isdigit() and height.isdigit() and int(width) >= 640 and int(height) >= 480):
        raise UserFacingError(
            f"--screen {args.screen}: give the screen as width x height in pixels, "
            "for example 1366x768 (at least 640x480)."
        )
    # No window is shown: Qt draws off screen, on a screen of that size, so this works with
    # no display at all.
    os.environ["QT_QPA_PLATFORM"] = offscreen_platform(int(width), int(height))
    from rrn_desktop.gui.screenshots import take_screenshots

    written = take_screenshots(data_dir, args.out)
    print(f"Saved {len(written)} screenshots in {args.out}.")
    return 0


def _run_pack(args: argparse.Namespace, data_dir: Path) -> int:
    from rrn_desktop.content.instruments import check_instrument_file, shipped_instruments

    if args.action == "check":
        found = check_instrument_file(args.file)
        print(f"{args.file} is a usable self-assessment:")
        print("\n".join(found.lines))
        return 0
    from rrn_desktop.base.data_folder import DATABASE_NAME
    from rrn_desktop.storage.connect import open_data

    if args.action == "list" and not (data_dir / DATABASE_NAME).exists():
        for shipped in shipped_instruments():
            print("\n".join(shipped.lines))
        return 0
    from rrn_desktop.core import instrument_catalogue as catalogue

    with open_data(data_dir, args.database) as db:
        if args.action == "list":
            for instrument in catalogue.instruments(db):
                print("\n".join(instrument.lines))
            return 0
        offered: list[catalogue.Adding] = []

        def upgrade(adding: catalogue.Adding) -> bool:
            offered.append(adding)
            return bool(args.upgrade)

        adding = catalogue.add_instrument(db, args.file, upgrade)
    if adding is None:
        about, before = offered[0].about, offered[0].replaces
        raise UserFacingError(
            f"{args.file.name} is version {about.version} of {about.title}, which is here at "
            f"version {before}. To use it for new benchmarks (those already made keep theirs), "
            "run again with --upgrade."
        )
    what = f"upgraded from version {adding.replaces}" if adding.replaces else "added"
    print(f"{adding.about.title}, version {adding.about.version}: {what}.")
    return 0


def _run_shared(args: argparse.Namespace, data_dir: Path) -> int:
    from rrn_desktop.base.connection_choice import chosen_database
    from rrn_desktop.storage.connect import with_password

    address = chosen_database(data_dir, args.database)
    if address is None:
        raise UserFacingError(
            "Say which shared database with --database postgresql://NAME@SERVER/DATABASE."
        )
    address = with_password(address)
    if args.action == "setup":
        from rrn_desktop.storage.shared import setup_shared_database

        made = setup_shared_database(address)
        print("The shared database is set up." if made else "It was already set up: unchanged.")
        return 0
    if args.action == "load":
        from rrn_desktop.storage.transfer import load_folder

        copied = load_folder(args.folder, address)
        print(f"Copied {copied.summary} into the shared database.")
        return 0
    from rrn_desktop.storage.membership import change_access

    password = None
    if args.action == "add-person":
        password, again = _read_passphrase("password")
        if again is not None and again != password:
            raise UserFacingError("The two passwords differ. Nothing was changed.")
    said = change_access(
        address,
        args.action,
        args.person,
        password=password,
        service=getattr(args, "service", None),
        support=getattr(args, "support", False),
    )
    print(said)
    return 0


def _run_gui(args: argparse.Namespace, data_dir: Path) -> int:
    from rrn_desktop.base.connection_choice import chosen_database

    database = chosen_database(data_dir, args.database)
    if database is not None:  # no data file to check or draw from early: the server answers
        from rrn_desktop.gui.starting import show_starting_window

        show_starting_window()
        from rrn_desktop.gui.app import run_app

        return run_app(data_dir, quit_after_start=args.quit_after_start, database=database)
    # The data file's check begins at once, and something goes on screen; the rest of the
    # program loads behind them.
    from rrn_desktop.storage.file_check import EarlyCheck

    early_check = EarlyCheck(data_dir)
    from rrn_desktop.gui.starting import show_starting_window

    show_starting_window()
    if args.quit_after_first_paint:
        return 0
    from rrn_desktop.gui.first_screen import load_the_rest, show_first_screen

    first = show_first_screen(data_dir, early_check)
    if args.quit_after_first_screen:
        return 0 if first is not None and first.window is not None else 1
    load_the_rest()
    from rrn_desktop.gui.app import run_app

    return run_app(
        data_dir, quit_after_start=args.quit_after_start, early_check=early_check, first=first
    )


def _handler(args: argparse.Namespace) -> Callable[[argparse.Namespace, Path], int]:
    if args.command == "demo":
        return _run_demo
    if args.command == "report":
        return _run_report
    if args.command == "export":
        return _export_bundle if args.kind == "bundle" else _run_export
    if args.command == "import":
        return _run_import
    if args.command == "signing":
        return _run_signing
    if args.command == "shared":
        return _run_shared
    if args.command == "backup":
        return _run_backup
    if args.command == "restore":
        return _run_restore
    if args.command == "check":
        return _run_check
    if args.command == "screenshots":
        return _run_screenshots
    if args.command == "pack":
        return _run_pack
    return _run_gui


def main(argv: Sequence[str] | None = None) -> int:
    ensure_standard_streams()
    args = build_parser().parse_args(argv)
    try:
        data_dir = resolve_data_dir(args.data_dir)
    except UserFacingError as error:
        print(f"{PROGRAM}: {error.message}", file=sys.stderr)
        return 1
    # `check` changes nothing, not even by starting a logs folder.
    quiet = args.command == "check" or (args.command == "pack" and args.action != "add")
    log_file = start_logging(data_dir, make_folder=not quiet)
    logger.info(
        "%s %s%s started: %s",
        PROGRAM,
        __version__,
        " (installed build)" if getattr(sys, "frozen", False) else "",
        args.command or "the window",
    )
    try:
        return _handler(args)(args, data_dir)
    except UserFacingError as error:
        print(f"{PROGRAM}: {error.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROGRAM}: stopped.", file=sys.stderr)
        return 1
    except Exception as error:
        from rrn_desktop.storage.damage import damage_found
        from rrn_desktop.storage.errors import DamagedDatabaseError
        from rrn_desktop.storage.restore import newest_good_backup

        damage = damage_found(data_dir, error)
        if damage is not None:
            logger.warning("The data could not be read", exc_info=error)
            advice = ""
            if isinstance(damage, DamagedDatabaseError):
                backup = newest_good_backup(data_dir)
                advice = (
                    f"\nRestore the newest backup with: {PROGRAM} restore {backup.path}"
                    if backup is not None
                    else "\nThere is no backup in the data folder to restore."
                )
            print(f"{PROGRAM}: {damage.message}{advice}", file=sys.stderr)
            return 1
        logger.exception("Unexpected error running %s", args.command or "the app")
        where = f" Details were saved in {log_file}." if log_file else ""
        print(f"{PROGRAM}: something unexpected went wrong.{where}", file=sys.stderr)
        return 1
