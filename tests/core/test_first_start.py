"""The first start: three names saved together, or nothing saved at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from rrn_desktop.base.vocabulary import Sector
from rrn_desktop.core import history
from rrn_desktop.core.first_start import KnownNames, known_names, save_first_start
from rrn_desktop.core.services import (
    DEFAULT_ORGANISATION_NAME,
    create_service,
    list_services,
    organisation_name,
    rename_organisation,
)
from rrn_desktop.core.user import set_user_name, user_name
from rrn_desktop.core.validation import InputError
from rrn_desktop.storage.database import Database, open_database

ORGANISATION = "Gofal Ŵyn Cyf"
PERSON = "Siân Roberts"
SERVICE = "Tŷ Gwyn care home"


def _nothing_saved(db: Database) -> None:
    assert organisation_name(db) == DEFAULT_ORGANISATION_NAME
    assert user_name(db) == ""
    assert list_services(db) == []


def test_the_three_names_are_saved_and_every_change_is_under_the_users_name(
    data_dir: Path,
) -> None:
    with open_database(data_dir) as db:
        # Opening the window only reads: naming the organisation is its first record.
        assert organisation_name(db) == DEFAULT_ORGANISATION_NAME
        service = save_first_start(
            db, f" {ORGANISATION} ", "  Siân\t Roberts ", SERVICE, Sector.HEALTH
        )
    assert (service.name, service.sector_label) == (SERVICE, "Health")

    with open_database(data_dir) as db:
        assert organisation_name(db) == ORGANISATION
        assert user_name(db) == PERSON
        assert list_services(db) == [service]
        newest = history.recent_changes(db, limit=2)
        assert sorted(entry.summary for entry in newest) == [
            f"Organisation '{ORGANISATION}' added",
            f"Service '{SERVICE}' added",
        ]
        assert {entry.by_label for entry in newest} == {PERSON}


def test_an_empty_organisation_name_is_explained_and_nothing_is_saved(db: Database) -> None:
    with pytest.raises(InputError) as raised:
        save_first_start(db, "   ", PERSON, SERVICE, Sector.HEALTH)
    assert raised.value.message == "The organisation's name cannot be left empty."
    _nothing_saved(db)


def test_every_empty_name_is_named_in_one_message(db: Database) -> None:
    with pytest.raises(InputError) as raised:
        save_first_start(db, "", "", "", Sector.EDUCATION)
    assert raised.value.message == (
        "The organisation's name cannot be left empty. Your name cannot be left empty. "
        "The service's name cannot be left empty."
    )
    _nothing_saved(db)


def test_a_service_that_cannot_be_added_leaves_both_names_as_they_were(db: Database) -> None:
    rename_organisation(db, "Old name")
    set_user_name(db, "Old user")
    create_service(db, SERVICE, Sector.HEALTH)
    with pytest.raises(InputError) as raised:
        save_first_start(db, ORGANISATION, PERSON, SERVICE, Sector.HEALTH)
    assert raised.value.message == f"There is already a service called '{SERVICE}'."
    assert organisation_name(db) == "Old name"
    assert user_name(db) == "Old user"
    assert [service.name for service in list_services(db)] == [SERVICE]


def test_names_already_set_are_known_and_the_placeholder_organisation_name_is_not(
    db: Database,
) -> None:
    assert known_names(db) == KnownNames(organisation="", user="")
    rename_organisation(db, ORGANISATION)
    set_user_name(db, PERSON)
    assert known_names(db) == KnownNames(organisation=ORGANISATION, user=PERSON)
