"""Opening the data folder safely: one copy at a time, version checked, migrated, WAL on.

Only a missing data file is made new, and it is made whole under a name of its own before it
takes the data file's name: a file found under that name was always a finished one, so anything
there that is not recognisably RRN Self-Audit's data is refused and left alone (file_check)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import filelock
from sqlalchemy import Engine, create_engine, event, exc, insert
from sqlalchemy.orm import Session, sessionmaker

from rrn_desktop.base.data_folder import (
    BACKUP_DIR,
    DATABASE_NAME,
    EVIDENCE_DIR,
    LOCK_NAME,
    SIDECARS,
)
from rrn_desktop.base.saving import fsync_dir
from rrn_desktop.base.wording import plural
from rrn_desktop.storage import change_log, check_stamp
from rrn_desktop.storage.errors import (
    DataInUseError,
    NewerDatabaseError,
    StorageError,
    explain_sqlite_error,
)
from rrn_desktop.storage.file_check import EarlyCheck, stored_revision
from rrn_desktop.storage.restore_journal import (
    RESTORE_MARKER,
    RESTORE_OLD_DIR,
    RESTORE_STAGING_DIR,
    finish_interrupted_restore,
)

# The newest migration this version knows. A test checks it against the migration scripts, so
# the common start-up (already up to date) need not load Alembic at all.
SCHEMA_HEAD = "0007"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# A new data file while it is being made; renamed to DATABASE_NAME once whole.
CREATING_NAME = ".rrn-desktop.creating.sqlite3"


def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a confirmed edit survives power loss, which matters more here than write speed.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


@dataclass
class Database:
    data_dir: Path
    engine: Engine
    _lock: filelock.BaseFileLock
    _sessions: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        change_log.install(self._sessions)  # who changed what, and when

    @property
    def path(self) -> Path:
        return self.data_dir / DATABASE_NAME

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / EVIDENCE_DIR

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: all of it is saved, or (on any error) none of it."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except exc.OperationalError as error:
            session.rollback()
            message = explain_sqlite_error(error)
            if message is None:
                raise
            raise StorageError(message) from error
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()
        if self._lock.is_locked:
            # Everything written since the check at opening went through SQLite, so the file is
            # as sound as it was then: the next start need not read every page again.
            check_stamp.renew(self.path)
            self._lock.release()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _prepare_folder(data_dir: Path) -> None:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        (data_dir / EVIDENCE_DIR).mkdir(exist_ok=True)
    except OSError as error:
        raise StorageError(
            f"The data folder {data_dir} could not be created or used ({error.strerror})."
        ) from error


def _take_lock(data_dir: Path) -> filelock.BaseFileLock:
    lock = filelock.FileLock(data_dir / LOCK_NAME, timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout as error:
        raise DataInUseError(
            f"The data in {data_dir} is already open in another copy of RRN Self-Audit. "
            "Switch to that window, or close it and try again."
        ) from error
    except OSError as error:
        raise StorageError(
            f"The data folder {data_dir} cannot be written to ({error.strerror})."
        ) from error
    return lock


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return {revision.revision for revision in script.walk_revisions()}


def _backup_before_migration(db_path: Path, revision: str) -> None:
    backups = db_path.parent / BACKUP_DIR
    backups.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backups / f"before-migration-{revision}-{stamp}.sqlite3"
    source = sqlite3.connect(db_path)
    try:
        destination = sqlite3.connect(target)
        with destination:
            source.backup(destination)
        destination.close()
    finally:
        source.close()


def _manual_transactions(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's BEGIN, not pysqlite's own


def _one_transaction_engine(db_path: Path) -> Engine:
    """An engine whose ``begin()`` is one real transaction, schema changes included: pysqlite
    would otherwise commit each CREATE TABLE on its own, and a crash part-way would leave tables
    with no version stamp."""
    engine = create_engine(f"sqlite:///{db_path}")
    event.listen(engine, "connect", _manual_transactions)
    event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN IMMEDIATE"))
    return engine


def _migrate(db_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Foreign keys stay off while batch mode rebuilds tables, and are checked once afterwards.
    engine = _one_transaction_engine(db_path)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        with engine.connect() as connection:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise StorageError(
                f"Updating the data file left {plural(len(broken), 'broken link')} between "
                "records; the previous copy is kept in the backups folder."
            )
    finally:
        engine.dispose()


# Alembic's own record of the data version, as its upgrade makes it.
_VERSION_TABLE_DDL = (
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
)


def _build_new(db_path: Path) -> None:
    """The tables as the models define them, this laptop's id, and the newest data version.

    Running every migration on an empty file gives the same tables (a test compares the two
    column by column), but rebuilding each table for each change takes seconds on a tired
    laptop, at the moment a new user is deciding whether the program works."""
    from rrn_desktop.storage.models import LAPTOP_ID_KEY, AppSetting, Base, new_laptop_id, new_uid

    engine = _one_transaction_engine(db_path)
    try:
        with engine.begin() as connection:
            Base.metadata.create_all(connection)
            connection.execute(
                insert(AppSetting).values(uid=new_uid(), key=LAPTOP_ID_KEY, value=new_laptop_id())
            )
            connection.exec_driver_sql(_VERSION_TABLE_DDL)
            connection.exec_driver_sql(
                "INSERT INTO alembic_version (version_num) VALUES (?)", (SCHEMA_HEAD,)
            )
    finally:
        engine.dispose()


def _create(db_path: Path) -> None:
    """Make a new data file at db_path (which must not exist), all or nothing."""

    creating = db_path.with_name(CREATING_NAME)
    _build_new(creating)
    os.replace(creating, db_path)
    fsync_dir(db_path.parent)


def _remove_unfinished(data_dir: Path) -> None:
    """What a first start stopped part-way left (the folder's lock is held: nothing else is
    writing there)."""
    creating = data_dir / CREATING_NAME
    for path in (creating, *(creating.with_name(creating.name + s) for s in SIDECARS)):
        path.unlink(missing_ok=True)


def open_database(data_dir: Path, early_check: EarlyCheck | None = None) -> Database:
    """Open (creating or migrating as needed) the data in data_dir, or explain why not.

    early_check: the file's check, begun while the program loaded (its answer is used only if
    the file has not changed since)."""
    data_dir = data_dir.expanduser().resolve()
    _prepare_folder(data_dir)
    lock = _take_lock(data_dir)
    try:
        leftovers = (RESTORE_MARKER, RESTORE_STAGING_DIR, RESTORE_OLD_DIR)
        if any((data_dir / name).exists() for name in leftovers):
            if early_check is not None:
                early_check.wait()  # its reading of the old file ends before the file moves
            finish_interrupted_restore(data_dir)
        _remove_unfinished(data_dir)
        db_path = data_dir / DATABASE_NAME
        revision = (
            early_check.revision(db_path) if early_check is not None else stored_revision(db_path)
        )
        if revision is None:
            _create(db_path)
        elif revision != SCHEMA_HEAD:
            if revision not in _known_revisions():
                raise NewerDatabaseError(
                    f"The data in {data_dir} was saved by a newer version of RRN Self-Audit "
                    f"(data version {revision}). Install the newer version to open it; the "
                    "file has not been changed."
                )
            _backup_before_migration(db_path, revision)
            _migrate(db_path)
        engine = create_engine(f"sqlite:///{db_path}", connect_args={"timeout": 5})
        event.listen(engine, "connect", _set_pragmas)
        with engine.connect():
            pass  # switches the file to WAL now, not at the first edit
        return Database(data_dir=data_dir, engine=engine, _lock=lock)
    except exc.OperationalError as error:
        lock.release()
        raise StorageError(explain_sqlite_error(error) or str(error)) from error
    except BaseException:
        lock.release()
        raise
