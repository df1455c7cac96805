"""A shared database on PostgreSQL: one set of records for many people and services.

The app opens either its data folder (SQLite, one person at a time) or, when a connection is
given (``--database postgresql://…``, ``RRN_DESKTOP_DATABASE`` or File → Connect to a shared
database…), a PostgreSQL database that the organisation's IT set up once with
``rrn-desktop shared setup``. The same models, operations and plain questions serve both; the
few SQLite functions the models use as column defaults are given to PostgreSQL under the same
names, so every record counts its versions alike on both.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import Engine, create_engine, exc, insert, inspect
from sqlalchemy.engine import URL, make_url

from rrn_desktop.base.data_folder import EVIDENCE_DIR
from rrn_desktop.storage import access
from rrn_desktop.storage.database import Database, _known_revisions
from rrn_desktop.storage.errors import NewerDatabaseError, StorageError, explain_server_error
from rrn_desktop.storage.opening import SCHEMA_HEAD

SHARED_FOLDER = "shared-databases"  # under the user's data folder: one folder per database

# SQLite's json_object, json_set and json_extract, as the version vectors use them
# (models.versions_column): a one-key object, setting one key, reading one key as a number.
_SQLITE_JSON = """
CREATE OR REPLACE FUNCTION json_object(k text, v integer) RETURNS json
    LANGUAGE sql IMMUTABLE AS $$ SELECT json_build_object(k, v) $$;
CREATE OR REPLACE FUNCTION rrn_json_key(path text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT trim(both '"' from substr(path, 3)) $$;
CREATE OR REPLACE FUNCTION json_extract(doc json, path text) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT (doc ->> rrn_json_key(path))::integer $$;
CREATE OR REPLACE FUNCTION json_set(doc json, path text, v integer) RETURNS json
    LANGUAGE sql IMMUTABLE AS $$
    SELECT (coalesce(doc::jsonb, '{}'::jsonb) || jsonb_build_object(rrn_json_key(path), v))::json
$$;
"""


def is_shared(text: str | None) -> bool:
    return bool(text) and str(text).startswith(("postgresql:", "postgresql+", "postgres:"))


def parse_url(text: str) -> URL:
    """The connection as SQLAlchemy takes it, always through psycopg (version 3)."""
    try:
        url = make_url(text)
    except exc.ArgumentError as error:
        raise StorageError(
            f"'{text}' is not a database address. It looks like postgresql://name@server/database."
        ) from error
    if url.get_backend_name() != "postgresql":
        raise StorageError(f"Only PostgreSQL databases can be shared, not '{url.drivername}'.")
    return url.set(drivername="postgresql+psycopg")


def shown(url: URL) -> str:
    """The address as people see it: never the password."""
    return url.set(drivername="postgresql").render_as_string(hide_password=True)


def _engine(url: URL) -> Engine:
    return create_engine(
        url,
        pool_pre_ping=True,  # a connection the server dropped is replaced, not failed on
        connect_args={"connect_timeout": 10, "application_name": "rrn-desktop"},
    )


def local_folder(user_data: Path, url: URL) -> Path:
    """This person's own folder for one shared database: their settings and evidence copies."""
    key = hashlib.sha256(shown(url).encode("utf-8")).hexdigest()[:16]
    return user_data / SHARED_FOLDER / key


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _update(engine: Engine, revision: str) -> None:
    """Bring a shared database from an earlier data version up to this one, access rules
    included, in one transaction."""
    from alembic import command
    from alembic.config import Config

    from rrn_desktop.storage.database import MIGRATIONS_DIR
    from rrn_desktop.storage.models import Base

    if revision not in _known_revisions():
        raise NewerDatabaseError(
            f"The shared database was last updated by a newer version of RRN Self-Audit "
            f"(data version {revision}). Install the newer version."
        )
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        connection.exec_driver_sql(_SQLITE_JSON)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        access.install(connection, [t.name for t in Base.metadata.sorted_tables])


def setup_shared_database(url_text: str) -> bool:
    """Make the tables, the access rules and the data version in an empty database, or bring
    one set up by an earlier version up to date; run by the database's owner. Returns False
    (and changes nothing) when it was already set up and up to date."""
    from rrn_desktop.storage.models import LAPTOP_ID_KEY, AppSetting, Base, new_laptop_id, new_uid

    engine = _engine(parse_url(url_text))
    try:
        revision = _revision(engine)
        if revision == SCHEMA_HEAD:
            return False
        if revision is not None:
            _update(engine, revision)
            return True
        with engine.begin() as connection:
            connection.exec_driver_sql(_SQLITE_JSON)
            Base.metadata.create_all(connection)
            connection.execute(
                insert(AppSetting).values(uid=new_uid(), key=LAPTOP_ID_KEY, value=new_laptop_id())
            )
            connection.exec_driver_sql(
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL "
                "CONSTRAINT alembic_version_pkc PRIMARY KEY)"
            )
            connection.exec_driver_sql(
                "INSERT INTO alembic_version (version_num) VALUES (%(head)s)", {"head": SCHEMA_HEAD}
            )
            access.install(connection, [t.name for t in Base.metadata.sorted_tables])
        return True
    except exc.DBAPIError as error:
        raise StorageError(explain_server_error(error) or str(error.orig)) from error
    finally:
        engine.dispose()


def open_shared_database(url_text: str, user_data: Path) -> Database:
    """Open a shared database that was set up, or say plainly why not."""
    url = parse_url(url_text)
    engine = _engine(url)
    try:
        revision = _revision(engine)
    except exc.DBAPIError as error:
        engine.dispose()
        message = explain_server_error(error) or str(error.orig).strip()
        raise StorageError(f"Could not open the shared database {shown(url)}: {message}") from error
    if revision is None:
        engine.dispose()
        raise StorageError(
            f"The shared database {shown(url)} has not been set up for RRN Self-Audit yet: "
            "its owner runs `rrn-desktop shared setup` once (see the README)."
        )
    if revision != SCHEMA_HEAD:
        engine.dispose()
        if revision not in _known_revisions():
            raise NewerDatabaseError(
                f"The shared database was last updated by a newer version of RRN Self-Audit "
                f"(data version {revision}). Install the newer version to open it."
            )
        raise StorageError(
            f"The shared database holds an older data version ({revision}): its owner "
            "updates it with `rrn-desktop shared setup` before anyone opens it."
        )
    folder = local_folder(user_data, url)
    (folder / EVIDENCE_DIR).mkdir(parents=True, exist_ok=True)
    return Database(data_dir=folder, engine=engine, shared=shown(url))
