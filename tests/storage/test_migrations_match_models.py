"""The migrations and the models describe the same tables.

An old data file is brought up to date by running the migrations; a new one is made straight
from the models (quicker by far). A model changed without a migration, or a migration that does
not match its model, would make data files differ by how they were made: Alembic's own comparison
must find nothing to do, and a new file must have the same tables, column for column, as one
made by running every migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from rrn_desktop.base.data_folder import DATABASE_NAME
from rrn_desktop.storage.database import SCHEMA_HEAD, _migrate, open_database
from rrn_desktop.storage.models import LAPTOP_ID_KEY, Base


def migrated_file(folder: Path) -> Path:
    """An empty data file made the long way: every migration from the first."""
    path = folder / "migrated.sqlite3"
    _migrate(path)
    return path


def test_alembic_finds_no_difference_between_the_migrations_and_the_models(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite:///{migrated_file(tmp_path)}")
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def tables(path: Path) -> dict[str, object]:
    """Every table as SQLite describes it: its columns (name, type, not null, default, key),
    foreign keys and indexes (unique or not, over which columns), and the names of any views or
    triggers; leaving out only what differs by the order things were added (column positions,
    SQLite's own names for the indexes of unique constraints)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        described: dict[str, object] = {}
        for name in names:
            columns = {row[1:] for row in connection.execute(f"PRAGMA table_info('{name}')")}
            foreign = {row[2:] for row in connection.execute(f"PRAGMA foreign_key_list('{name}')")}
            indexes = set()
            for _seq, index, unique, origin, partial in connection.execute(
                f"PRAGMA index_list('{name}')"
            ):
                over = tuple(row[2] for row in connection.execute(f"PRAGMA index_info('{index}')"))
                indexes.add((unique, origin, partial, over))
            described[name] = (columns, foreign, indexes)
        described["views and triggers"] = sorted(
            connection.execute(
                "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger')"
            ).fetchall()
        )
        return described
    finally:
        connection.close()


def test_a_new_data_file_has_the_same_tables_as_one_made_by_every_migration(
    tmp_path: Path,
) -> None:
    open_database(tmp_path / "new").close()
    new = tmp_path / "new" / DATABASE_NAME
    migrated = migrated_file(tmp_path)

    assert tables(new) == tables(migrated)
    for path in (new, migrated):
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
                (SCHEMA_HEAD,)
            ]
            (laptop,) = connection.execute(
                "SELECT value FROM app_setting WHERE key = ?", (LAPTOP_ID_KEY,)
            ).fetchall()
            assert len(laptop[0]) == 32
            assert connection.execute("SELECT count(*) FROM app_setting").fetchone() == (1,)
        finally:
            connection.close()
