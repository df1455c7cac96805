"""Several people on one shared PostgreSQL database: no save silently overwrites another's, each
is named in the record of changes, and the database itself keeps each to their services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import Purpose
from rrn_desktop.core import history, incidents, plan
from rrn_desktop.core.benchmarks import attach_evidence, get_benchmark, start_benchmark
from rrn_desktop.core.display_settings import set_text_size, text_size
from rrn_desktop.core.evidence import local_copy
from rrn_desktop.core.services import find_service, list_services
from rrn_desktop.core.user import set_user_name
from rrn_desktop.storage import access
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.errors import (
    CHANGED_ELSEWHERE,
    ChangedElsewhereError,
    ConnectionLostError,
)
from rrn_desktop.storage.models import Action
from rrn_desktop.storage.shared import open_shared_database
from tests.shared_server import SharedServer

WILLOW = "Willow House care home (demo)"
KESTREL = "Kestrel Lodge children's home (demo)"
Opener = Callable[..., Database]


@pytest.fixture
def shared_demo(shared_server: SharedServer, tmp_path: Path) -> str:
    """A shared database holding the demo organisation: its name."""
    return shared_server.new_database(shared_server.template("demo", tmp_path / "setup"))


@pytest.fixture
def person(shared_server: SharedServer, shared_demo: str, tmp_path: Path) -> Iterator[Opener]:
    """Opens the shared database as one person at their own machine (a folder of their own)."""
    opened: list[Database] = []

    def opener(machine: str, role: str | None = None, password: str | None = None) -> Database:
        url = shared_server.url(shared_demo, role, password)
        db = open_shared_database(url, tmp_path / machine)
        opened.append(db)
        return db

    yield opener
    for db in opened:
        db.close()


def _first_open_action(db: Database) -> plan.ActionInfo:
    return next(a for a in plan.list_actions(db) if a.is_open and a.service is not None)


def test_a_save_over_someone_else_s_newer_change_is_refused_and_nothing_is_lost(
    person: Opener,
) -> None:
    first, second, third = person("amira"), person("bryn"), person("ceri")
    set_user_name(first, "Amira Khan")
    set_user_name(second, "Bryn Ŵatkins")
    action = _first_open_action(first)
    seen_by_second = plan.get_action(second, action.id)

    plan.update_action(first, action.id, opened=action.row_version, title="Amira's <title> & aims")
    with pytest.raises(ChangedElsewhereError) as refused:
        plan.update_action(
            second, action.id, opened=seen_by_second.row_version, title="Bryn's title 🙂"
        )
    assert str(refused.value) == CHANGED_ELSEWHERE
    assert refused.value.message.startswith("Someone else changed this since you opened it")
    theirs = refused.value.theirs
    assert isinstance(theirs, plan.ActionInfo) and theirs.title == "Amira's <title> & aims"
    # Nothing of the refused save reached the database; the third person sees the first's.
    assert plan.get_action(third, action.id).title == "Amira's <title> & aims"

    # The second person keeps what they typed and saves it over the version now shown.
    plan.update_action(second, action.id, opened=theirs.row_version, title="Bryn's title 🙂")
    assert plan.get_action(third, action.id).title == "Bryn's title 🙂"
    names = [entry.by for entry in history.history_of(third, "action", action.id)[:2]]
    assert names == ["Bryn Ŵatkins", "Amira Khan"]


def test_two_saves_racing_on_the_same_record_cannot_both_win(person: Opener) -> None:
    first, second = person("amira"), person("bryn")
    action = _first_open_action(first)

    with pytest.raises(ChangedElsewhereError), first.transaction() as session:
        row = session.get(Action, action.id)
        assert row is not None
        row.title = "First, read before the second saved"  # written when this one commits
        plan.update_action(second, action.id, title="Second, saved in between")
    assert plan.get_action(second, action.id).title == "Second, saved in between"


def test_each_person_keeps_their_own_name_and_text_size(person: Opener) -> None:
    first, second = person("amira"), person("bryn")
    set_text_size(first, 175)
    assert (text_size(first), text_size(second)) == (175, 100)
    reopened = person("amira")
    assert text_size(reopened) == 175


def test_evidence_is_kept_in_the_database_and_opens_on_another_machine(
    person: Opener, tmp_path: Path
) -> None:
    first, second = person("amira"), person("bryn")
    willow = find_service(first, WILLOW)
    benchmark = start_benchmark(first, willow.id, dt.date(2026, 11, 30), Purpose.SELF_AUDIT, [])
    source = tmp_path / "minutes ŵ.txt"
    source.write_bytes("Minutes of the review <&> 🙂\n".encode())
    attached = attach_evidence(first, benchmark.id, "1.1.1", source)
    copy = next(
        e
        for e in get_benchmark(second, benchmark.id).responses["1.1.1"].evidence_files
        if e.id == attached.id
    )
    assert not copy.stored_path.exists()  # not on the second machine until opened there
    assert local_copy(second, copy.stored_path).read_bytes() == source.read_bytes()


@pytest.fixture
def roles(shared_server: SharedServer, shared_demo: str) -> Iterator[dict[str, str]]:
    """Three logins: one working at Willow House (with support records), one at Kestrel Lodge
    (without), and head office (every service, no support records)."""
    names = {kind: f"{shared_server.prefix}_{kind}" for kind in ("willow", "kestrel", "office")}
    engine = create_engine(shared_server.url(shared_demo))
    with engine.begin() as connection:
        ids = dict(connection.execute(text("SELECT name, id FROM service")).all())
        for role in names.values():
            access.add_person(connection, role, "secret ŵ")
        access.grant_service(connection, names["willow"], ids[WILLOW], sees_support=True)
        access.grant_service(connection, names["kestrel"], ids[KESTREL])
        access.make_head_office(connection, names["office"])
    engine.dispose()
    yield names
    admin = shared_server.engine()
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP OWNED BY {', '.join(names.values())} CASCADE")
        for role in names.values():
            connection.exec_driver_sql(f"DROP ROLE IF EXISTS {role}")
    admin.dispose()


def test_a_person_without_rights_to_a_service_cannot_read_its_incidents_even_directly(
    shared_server: SharedServer, shared_demo: str, roles: dict[str, str], person: Opener
) -> None:
    admin = person("it")
    everyone = {i.reference: i.service.name for i in incidents.list_incidents(admin)}
    willow_refs = {ref for ref, name in everyone.items() if name == WILLOW}
    assert willow_refs and len(everyone) > len(willow_refs)

    kestrel = person("kestrel", roles["kestrel"], "secret ŵ")
    assert [s.name for s in list_services(kestrel)] == [KESTREL]
    own = {i.reference for i in incidents.list_incidents(kestrel)}
    assert own and not willow_refs & own
    # A direct query, past the program, as that person: the database itself refuses the rows.
    direct = create_engine(shared_server.url(shared_demo, roles["kestrel"], "secret ŵ"))
    with direct.connect() as connection:
        seen = connection.execute(text("SELECT reference FROM incident")).scalars().all()
        assert not willow_refs & set(seen)
        changed = connection.execute(
            text("UPDATE incident SET place = 'changed' WHERE reference = :r"),
            {"r": sorted(willow_refs)[0]},
        )
        assert changed.rowcount == 0
        assert set(seen) == own
        willow_id = find_service(admin, WILLOW).id
        with pytest.raises(ProgrammingError, match="row-level security"):
            connection.execute(
                text("UPDATE incident SET service_id = :s WHERE reference = :r"),
                {"s": willow_id, "r": sorted(own)[0]},
            )
    direct.dispose()
    with pytest.raises(UserFacingError):  # the program does not offer what it cannot see
        incidents.record_incident(
            kestrel,
            willow_id,
            "KESTREL-INTO-WILLOW",
            dt.datetime(2026, 11, 1, 9),
            ["physical-escort"],
        )

    office = person("office", roles["office"], "secret ŵ")
    assert {i.reference for i in incidents.list_incidents(office)} == set(everyone)
    willow = person("willow", roles["willow"], "secret ŵ")
    assert {i.reference for i in incidents.list_incidents(willow)} == willow_refs


def test_support_records_stay_with_those_allowed_to_see_them(
    shared_server: SharedServer, shared_demo: str, roles: dict[str, str], person: Opener
) -> None:
    def supports(role: str | None) -> int:
        url = shared_server.url(shared_demo, role, "secret ŵ" if role else None)
        engine = create_engine(url)
        with engine.connect() as connection:
            found = connection.execute(
                text(
                    "SELECT count(*) FROM person_support JOIN incident "
                    "ON incident.id = person_support.incident_id JOIN service "
                    "ON service.id = incident.service_id WHERE service.name = :name"
                ),
                {"name": WILLOW},
            ).scalar_one()
        engine.dispose()
        return int(found)

    everyone = supports(None)
    assert everyone > 0
    assert supports(roles["willow"]) == everyone
    assert supports(roles["office"]) == 0  # head office reads everything but these


def test_a_lost_connection_saves_nothing_and_says_so(
    shared_server: SharedServer, shared_demo: str, person: Opener
) -> None:
    first = person("amira")
    action = _first_open_action(first)
    admin = shared_server.engine()
    with admin.connect() as connection:
        connection.exec_driver_sql(f"ALTER DATABASE {shared_demo} ALLOW_CONNECTIONS false")
        connection.exec_driver_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{shared_demo}' AND pid <> pg_backend_pid()"
        )
    try:
        with pytest.raises(ConnectionLostError, match="What you typed is still here"):
            plan.update_action(first, action.id, opened=action.row_version, title="Typed offline")
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"ALTER DATABASE {shared_demo} ALLOW_CONNECTIONS true")
        admin.dispose()
    assert plan.get_action(first, action.id).title == action.title
    plan.update_action(first, action.id, opened=action.row_version, title="Typed offline")
    assert plan.get_action(person("bryn"), action.id).title == "Typed offline"


def test_setup_brings_a_shared_database_of_an_earlier_version_up_to_date(
    shared_server: SharedServer, shared_demo: str, person: Opener
) -> None:
    from alembic import command
    from alembic.config import Config

    from rrn_desktop.storage.database import MIGRATIONS_DIR
    from rrn_desktop.storage.errors import StorageError
    from rrn_desktop.storage.opening import SCHEMA_HEAD
    from rrn_desktop.storage.shared import setup_shared_database

    before = len(plan.list_actions(person("it")))
    engine = create_engine(
        shared_server.url(shared_demo).replace("postgresql:", "postgresql+psycopg:")
    )
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0011")
    engine.dispose()
    with pytest.raises(StorageError, match="older data version"):
        person("bryn")
    assert setup_shared_database(shared_server.url(shared_demo)) is True
    assert setup_shared_database(shared_server.url(shared_demo)) is False
    after = person("bryn")
    assert len(plan.list_actions(after)) == before
    with after.reading() as reader:
        assert reader.rows("SELECT version_num FROM alembic_version") == [(SCHEMA_HEAD,)]


def test_the_record_of_changes_shows_only_what_the_person_may_see(
    shared_server: SharedServer, shared_demo: str, roles: dict[str, str], person: Opener
) -> None:
    admin = person("it")
    willow = {i.id: i for i in incidents.list_incidents(admin) if i.service.name == WILLOW}
    gone = next(iter(willow.values()))
    incidents.delete_incident(admin, gone.id)

    def logged(role: str | None) -> set[str]:
        url = shared_server.url(shared_demo, role, "secret ŵ" if role else None)
        engine = create_engine(url)
        with engine.connect() as connection:
            found = connection.execute(
                text("SELECT summary FROM change_log WHERE table_name = 'incident'")
            ).scalars()
            summaries = set(found)
        engine.dispose()
        return summaries

    everything = logged(None)
    assert any(gone.reference in line for line in everything)
    kestrel = logged(roles["kestrel"])
    assert kestrel and kestrel < everything
    assert not any(i.reference in line for i in willow.values() for line in kestrel)
    assert any(gone.reference in line for line in logged(roles["office"]))
    assert any(
        r in line
        for r in [i.reference for i in willow.values() if i.id != gone.id]
        for line in logged(roles["willow"])
    )
    assert not any(gone.reference in line for line in logged(roles["willow"]))
