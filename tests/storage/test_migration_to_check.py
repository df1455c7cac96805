"""Data written before "to check" existed: a register entry opened by a "Not sure" answer and
never confirmed becomes one to check; a confirmed or changed one keeps its status."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from rrn_desktop.base.data_folder import DATABASE_NAME
from rrn_desktop.base.vocabulary import RestrictionStatus
from rrn_desktop.core import restrictions
from rrn_desktop.storage.database import MIGRATIONS_DIR, open_database

_ENTRY = (
    "INSERT INTO restriction (id, uid, service_id, checklist_code, category_id, title, "
    "restraint_type, description, applies_to, applies_to_detail, rationale, risk, legal_basis, "
    "alternatives, consulted, informed, authorised_by_role, review_frequency, reduction_plan, "
    "status, identified_on, child_view, created_at, updated_at) VALUES ({id}, '{id}', 1, '{code}', "
    "'routine', 'Entry {code}', 'blanket', '', 'everyone', '', '', '', '', '', '', '', '', "
    "'monthly', '', '{status}', '2026-01-05', '', '2026-01-05', '2026-01-05')"
)
_CHANGE = (
    "INSERT INTO restriction_status_change (uid, restriction_id, status, changed_on, note, "
    "recorded_at) VALUES ('c{id}{status}', {id}, '{status}', '{on}', '', '2026-01-05')"
)
_ANSWER = (
    "INSERT INTO checklist_answer (uid, service_id, item_code, answer, answered_on) "
    "VALUES ('a{code}', 1, '{code}', '{answer}', '2026-01-05')"
)


def test_unconfirmed_not_sure_entries_become_to_check(tmp_path: Path) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = create_engine(f"sqlite:///{tmp_path / DATABASE_NAME}")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
        run = connection.exec_driver_sql
        run("INSERT INTO organisation (id, uid, name, created_at) VALUES (1, 'o', 'Org', '2025')")
        run(
            "INSERT INTO service (id, uid, organisation_id, name, sector, created_at) "
            "VALUES (1, 's', 1, 'Willow', 'adult_social_care', '2025-01-01')"
        )
        # 1: not sure, never touched; 2: not sure, then reduced; 3: a yes.
        for number, code, answer, statuses in [
            (1, "BR-SAF-03", "not_sure", ["active"]),
            (2, "BR-ROU-02", "not_sure", ["active", "reducing"]),
            (3, "BR-ROU-03", "yes", ["active"]),
        ]:
            run(_ENTRY.format(id=number, code=code, status=statuses[-1]))
            run(_ANSWER.format(code=code, answer=answer))
            for index, status in enumerate(statuses):
                run(_CHANGE.format(id=number, status=status, on=f"2026-01-0{5 + index}"))
    engine.dispose()

    with open_database(tmp_path) as db:
        entries = {e.id: e for e in restrictions.list_restrictions(db)}
    assert entries[1].status is RestrictionStatus.TO_CHECK
    assert [c.status for c in entries[1].status_changes] == [RestrictionStatus.TO_CHECK]
    assert entries[2].status is RestrictionStatus.REDUCING
    assert entries[3].status is RestrictionStatus.ACTIVE
