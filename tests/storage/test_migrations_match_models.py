"""The migrations and the models describe the same tables: a model changed without a migration
(or a migration that does not match its model) would make data files differ by how they were
made, so Alembic's own comparison must find nothing to do."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from rrn_desktop.base.data_folder import DATABASE_NAME
from rrn_desktop.storage.models import Base


def test_alembic_finds_no_difference_between_the_migrations_and_the_models(
    data_dir: Path,
) -> None:
    engine = create_engine(f"sqlite:///{data_dir / DATABASE_NAME}")
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []
