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
from sqlalchemy.orm import exc as orm_exc

from rrn_desktop.base.data_folder import BACKUP_DIR, DATABASE_NAME, EVIDENCE_DIR
from rrn_desktop.base.saving import fsync_dir
from rrn_desktop.base.wording import plural
from rrn_desktop.storage import change_log, check_stamp
from rrn_desktop.storage.change_log import USER_NAME_KEY
from rrn_desktop.storage.errors import (
    CHANGED_ELSEWHERE,
    CONNECTION_LOST,
    ChangedElsewhereError,
    ConnectionLostError,
    NewerDatabaseError,
    StorageError,
    explain_server_error,
    explain_sqlite_error,
)
from rrn_desktop.storage.file_check import EarlyCheck
from rrn_desktop.storage.opening import CREATING_NAME as CREATING_NAME
from rrn_desktop.storage.opening import SCHEMA_HEAD as SCHEMA_HEAD
from rrn_desktop.storage.opening import OpenFolder, open_folder
from rrn_desktop.storage.plain_reading import PlainReader, reading

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a confirmed edit survives power loss, which matters more here than write speed.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


@dataclass
class Database:
    """The data: a data folder's SQLite file, one person's at a time (the default), or a shared
    database on PostgreSQL (``shared`` names it), where ``data_dir`` is this person's own
    folder on this machine: their settings, logs and a copy of the evidence they opened."""

    data_dir: Path
    engine: Engine
    _lock: filelock.BaseFileLock | None = None
    shared: str | None = None  # the shared database, as shown to people (no password)
    _sessions: sessionmaker[Session] = field(init=False)
    # Read once: the record of changes asks for the name at every save.
    _own_name: str | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Who changed what, and when; on a shared database the name is this person's own.
        change_log.install(self._sessions, self.person_name if self.shared else None)

    @property
    def path(self) -> Path:
        if self.shared:
            raise StorageError(
                "This is a shared database, not a data file: it is backed up on its server "
                "by your IT (pg_dump). To take its records to a data folder, export a bundle."
            )
        return self.data_dir / DATABASE_NAME

    def own_name(self) -> str:
        """On a shared database, the name this person set on this machine ("" if none)."""
        if self._own_name is None:
            from rrn_desktop.storage.person_settings import personal_value

            self._own_name = personal_value(self.data_dir, USER_NAME_KEY) or ""
        return self._own_name

    def keep_own_name(self, name: str) -> None:
        from rrn_desktop.storage.person_settings import set_personal_value

        set_personal_value(self.data_dir, USER_NAME_KEY, name)
        self._own_name = name

    def person_name(self) -> str:
        """On a shared database, the name this person's changes are recorded under: the one
        they set on this machine, else their login to the database."""
        return self.own_name() or self.engine.url.username or ""

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
        except exc.DBAPIError as error:
            session.rollback()
            if self.shared:
                message = explain_server_error(error)
            elif isinstance(error, exc.OperationalError):
                message = explain_sqlite_error(error)
            else:
                raise
            if message is None:
                raise
            if message == CONNECTION_LOST:
                raise ConnectionLostError(message) from error
            raise StorageError(message) from error
        except orm_exc.StaleDataError as error:
            session.rollback()
            raise ChangedElsewhereError(CHANGED_ELSEWHERE) from error
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[PlainReader]:
        """Plain SQL questions, on one of the engine's connections (see plain_reading)."""
        if self.shared:
            with self.engine.connect() as shared, shared.begin():
                try:
                    yield PlainReader(shared.connection.driver_connection, "format")
                except exc.DBAPIError as error:
                    raise StorageError(explain_server_error(error) or str(error)) from error
            return
        pooled = self.engine.raw_connection()
        try:
            connection = pooled.driver_connection
            assert isinstance(connection, sqlite3.Connection)
            with reading(connection) as reader:
                yield reader
        except sqlite3.OperationalError as error:
            message = explain_sqlite_error(error)
            if message is None:
                raise
            raise StorageError(message) from error
        finally:
            pooled.close()

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None and self._lock.is_locked:
            # Everything written since the check at opening went through SQLite, so the file is
            # as sound as it was then: the next start need not read every page again.
            check_stamp.renew(self.path)
            self._lock.release()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


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


def open_database(
    data_dir: Path, early_check: EarlyCheck | None = None, folder: OpenFolder | None = None
) -> Database:
    """Open (creating or migrating as needed) the data in data_dir, or explain why not.

    early_check: the file's check, begun while the program loaded (its answer is used only if
    the file has not changed since). folder: the folder already opened (the start screen did)."""
    folder = folder or open_folder(data_dir, early_check)
    db_path, revision = folder.db_path, folder.revision
    try:
        if revision is None:
            _create(db_path)
        elif revision != SCHEMA_HEAD:
            if revision not in _known_revisions():
                raise NewerDatabaseError(
                    f"The data in {folder.data_dir} was saved by a newer version of RRN "
                    f"Self-Audit (data version {revision}). Install the newer version to open "
                    "it; the file has not been changed."
                )
            _backup_before_migration(db_path, revision)
            _migrate(db_path)
        engine = create_engine(f"sqlite:///{db_path}", connect_args={"timeout": 5})
        event.listen(engine, "connect", _set_pragmas)
        with engine.connect():
            pass  # switches the file to WAL now, not at the first edit
        return Database(data_dir=folder.data_dir, engine=engine, _lock=folder.lock)
    except exc.OperationalError as error:
        folder.lock.release()
        raise StorageError(explain_sqlite_error(error) or str(error)) from error
    except BaseException:
        folder.lock.release()
        raise
