"""Taking a data folder back to an earlier schema, as an earlier version of the app left it."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from rrn_desktop.base.data_folder import DATABASE_NAME
from rrn_desktop.storage.database import MIGRATIONS_DIR


def back_to(folder: Path, revision: str) -> None:
    """Run the migrations down to ``revision`` on the folder's data file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = create_engine(f"sqlite:///{folder / DATABASE_NAME}")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    engine.dispose()
