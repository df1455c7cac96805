"""Restored data counts its changes under an id of its own, so two laptops holding the same
backup (or one laptop before and after a restore) never count different changes alike."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from rrn_desktop.base.data_folder import DATABASE_NAME
from rrn_desktop.base.vocabulary import Sector
from rrn_desktop.core import services
from rrn_desktop.storage.backups import back_up
from rrn_desktop.storage.database import open_database
from rrn_desktop.storage.models import LAPTOP_ID_KEY
from rrn_desktop.storage.restore import restore_backup


def _laptop_id(data: Path) -> str:
    connection = sqlite3.connect(data / DATABASE_NAME)
    try:
        query = "SELECT value FROM app_setting WHERE key = ?"
        return connection.execute(query, (LAPTOP_ID_KEY,)).fetchone()[0]
    finally:
        connection.close()


def test_a_restore_gives_the_data_a_new_laptop_id_and_keeps_the_records(tmp_path: Path) -> None:
    home, other = tmp_path / "home", tmp_path / "other"
    with open_database(home) as db:
        services.create_service(db, "Tŷ Gwyn", Sector.ADULT_SOCIAL_CARE)
        backup = back_up(db).path
    open_database(other).close()
    restore_backup(other, backup)
    assert _laptop_id(other) != _laptop_id(home)
    with open_database(other) as db:
        assert [s.name for s in services.list_services(db)] == ["Tŷ Gwyn"]
        services.create_service(db, "Willow House", Sector.ADULT_SOCIAL_CARE)
    assert not (other / ".restore-staging").exists()
