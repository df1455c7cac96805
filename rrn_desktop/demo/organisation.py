"""A clearly fictional organisation, so people can explore the app before entering their own data.

Everyone and everything here is invented. Ratings come from a seeded random generator shaped so
that each yearly benchmark improves on the one before, as a real improvement plan would.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sqlite3
import tempfile
from pathlib import Path

from rrn_desktop.base.data_folder import DATABASE_NAME, EVIDENCE_DIR, LOCK_NAME
from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import Purpose, Rating, Sector
from rrn_desktop.content.loader import training_standards
from rrn_desktop.core import benchmarks, plan
from rrn_desktop.core.benchmarks import ParticipantInfo
from rrn_desktop.core.services import create_service, list_services, rename_organisation
from rrn_desktop.demo.incidents import load_demo_incidents
from rrn_desktop.demo.plan import load_demo_plan
from rrn_desktop.demo.restrictions import load_demo_restrictions
from rrn_desktop.storage.database import Database, open_database
from rrn_desktop.storage.restore_journal import (
    RESTORE_STAGING_DIR,
    finish_interrupted_restore,
    write_marker,
)

DEMO_ORGANISATION = "Brambleford Care Partnership (fictional demo)"
DEMO_SERVICES: list[tuple[str, Sector]] = [
    ("Willow House care home (demo)", Sector.ADULT_SOCIAL_CARE),
    ("Kestrel Lodge children's home (demo)", Sector.CHILDRENS_SERVICES),
    ("Oakfield Academy (demo)", Sector.EDUCATION),
    ("Heron Ward (demo)", Sector.HEALTH),
    ("Learning and Development Team (demo)", Sector.ADULT_SOCIAL_CARE),
]
# Willow House's yearly benchmarks: (date, share of items that are Met by then).
YEARLY_BENCHMARKS: list[tuple[dt.date, float]] = [
    (dt.date(2024, 11, 12), 0.30),
    (dt.date(2025, 11, 18), 0.55),
    (dt.date(2026, 11, 10), 0.78),
]
PARTICIPANTS = [
    ParticipantInfo("Morgan Example", "Registered manager"),
    ParticipantInfo("Rhian Sample", "Training lead"),
    ParticipantInfo("Lee Placeholder", "Senior support worker"),
    ParticipantInfo("Expert by experience (demo)", "Adviser with lived experience", True),
]
NOTES = [
    "Seen in the training records for this year; two new starters still to attend.",
    "Discussed at the restraint reduction group; minutes on file.",
    "Agreed with the training provider in writing before delivery.",
    "Relies on one person; needs to be written into the procedure.",
    "Family representative joined the review and said this matched their experience.",
]
ACTIONS = [
    ("Write item {item} into the training procedure; brief shift leaders.", "Registered manager"),
    ("Ask the training provider to show in writing how {item} is covered.", "Training lead"),
    ("Review item {item} at the monthly restraint reduction meeting.", "Deputy manager"),
]


def _rating_for(rng: random.Random, readiness: float, progress: float) -> Rating:
    if readiness < progress:
        return Rating.MET
    if readiness < progress + 0.2:
        return Rating.PARTLY_MET
    if rng.random() < 0.05:
        return Rating.NOT_APPLICABLE
    return Rating.NOT_MET


def _fill_benchmark(
    db: Database,
    benchmark_id: int,
    held_on: dt.date,
    progress: float,
    readiness: dict[str, float],
    rng: random.Random,
) -> None:
    pack = training_standards()
    for index, (_section, item) in enumerate(pack.items()):
        rating = _rating_for(rng, readiness[item.code], progress)
        benchmarks.set_rating(db, benchmark_id, item.code, rating)
        changes: dict[str, object] = {}
        if index % 3 == 0:
            changes["notes"] = NOTES[index % len(NOTES)]
        if rating in (Rating.MET, Rating.PARTLY_MET) and index % 2 == 0:
            changes["evidence_refs"] = f"Training file, tab {index % 9 + 1} ({held_on.year})"
        if rating in (Rating.NOT_MET, Rating.PARTLY_MET) and index % 4 == 1:
            text, owner = ACTIONS[index % len(ACTIONS)]
            changes.update(
                needs_action=True,
                action_text=text.format(item=item.code),
                action_owner=owner,
                action_due=held_on + dt.timedelta(days=90 + 30 * (index % 4)),
            )
        if changes:
            benchmarks.update_response(db, benchmark_id, item.code, **changes)


def _complete_actions(db: Database, benchmark_id: int, held_on: dt.date) -> None:
    """An earlier year's actions were carried out before the next benchmark."""
    for response in benchmarks.get_benchmark(db, benchmark_id).responses.values():
        if response.action_id is not None:
            plan.move_forward(db, response.action_id, held_on + dt.timedelta(days=30))
            plan.add_note(
                db, response.action_id, held_on + dt.timedelta(days=90), "Done and checked."
            )
            plan.move_forward(db, response.action_id, held_on + dt.timedelta(days=150))


def _attach_demo_evidence(db: Database, benchmark_id: int, held_on: dt.date) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"Training needs analysis summary {held_on.year} (demo).txt"
        path.write_text(
            "Fictional demo evidence.\n"
            "Training needs analysis for Willow House care home, based on the last two years of "
            "anonymised incident figures and signed off by the restraint reduction lead.\n",
            encoding="utf-8",
        )
        benchmarks.attach_evidence(db, benchmark_id, "1.1.1", path)


def _refuse_if_services(db: Database) -> None:
    if list_services(db):
        raise UserFacingError(
            "This data folder already holds services, so demo data was not added. "
            "Choose an empty folder with --data-dir to try the demo."
        )


def _copy_data(db: Database, folder: Path) -> None:
    """A copy of the open data and its evidence in folder (made new), for the demo to fill."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(db.evidence_dir, folder / EVIDENCE_DIR)
    source = sqlite3.connect(db.path)
    target = sqlite3.connect(folder / DATABASE_NAME)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _fold_in_log(db_path: Path) -> None:
    """Write the file's log of latest changes into the file itself: only the file is moved."""
    connection = sqlite3.connect(db_path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()


def load_demo_folder(data_dir: Path, today: dt.date | None = None) -> None:
    """Fill a data folder that holds no services with the demo, all of it or none of it.

    The demo is built in a copy of the data beside it (where a restore unpacks), then swapped
    in through the restore's journal. A demo stopped part-way (closed, killed, a full disk)
    leaves the data as it was, and what it had built is cleared away the next time the folder
    is opened, so the demo can simply be run again."""
    with open_database(data_dir) as db:
        _refuse_if_services(db)
        staging = db.data_dir / RESTORE_STAGING_DIR
        try:
            _copy_data(db, staging)
            with open_database(staging) as copy:
                load_demo(copy, today)
            _fold_in_log(staging / DATABASE_NAME)
            (staging / LOCK_NAME).unlink(missing_ok=True)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        db.engine.dispose()  # the file is replaced below; the folder stays locked meanwhile
        write_marker(db.data_dir, {"backup": "demo data", "keep_damaged_as": None})
        finish_interrupted_restore(db.data_dir)


def load_demo(db: Database, today: dt.date | None = None) -> None:
    """Fill open data that holds no services with the fictional demo organisation."""
    _refuse_if_services(db)
    today = today or dt.date.today()
    rng = random.Random(2019)
    rename_organisation(db, DEMO_ORGANISATION)
    services = {name: create_service(db, name, sector) for name, sector in DEMO_SERVICES}
    pack = training_standards()
    readiness = {item.code: rng.random() for _section, item in pack.items()}

    # A peer review still in progress at the school, held before Willow House's latest benchmark.
    school = services["Oakfield Academy (demo)"]
    peer_review = benchmarks.start_benchmark(
        db,
        school.id,
        dt.date(2026, 6, 3),
        Purpose.PEER_REVIEW,
        [
            ParticipantInfo("Casey Specimen", "Deputy head teacher"),
            ParticipantInfo("Drew Mockford", "Peer reviewer from a partner school"),
        ],
    )
    _fill_benchmark(db, peer_review.id, peer_review.held_on, 0.45, readiness, rng)

    care_home = services["Willow House care home (demo)"]
    for year, (held_on, progress) in enumerate(YEARLY_BENCHMARKS):
        benchmark = benchmarks.start_benchmark(
            db, care_home.id, held_on, Purpose.SELF_AUDIT, PARTICIPANTS
        )
        _fill_benchmark(db, benchmark.id, held_on, progress, readiness, rng)
        _attach_demo_evidence(db, benchmark.id, held_on)
        # A week after the meeting, or today if that week is not over yet: a sign-off is never
        # dated in the future.
        signed_on = min(held_on + dt.timedelta(7), today)
        benchmarks.sign_off(db, benchmark.id, "Morgan Example", "Registered manager", signed_on)
        if year < len(YEARLY_BENCHMARKS) - 1:
            _complete_actions(db, benchmark.id, held_on)
    childrens_home = services["Kestrel Lodge children's home (demo)"]
    load_demo_restrictions(db, care_home, childrens_home, today)
    load_demo_plan(db, care_home, childrens_home, today)
    load_demo_incidents(db, care_home, childrens_home, today)
