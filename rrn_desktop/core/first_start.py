"""The first start: the organisation's name, the user's name and the first service, saved together.

All three are checked before anything is saved, and saved in one transaction: a problem with
any of them leaves the data as it was, never a name saved without its service.
"""

from __future__ import annotations

from dataclasses import dataclass

from rrn_desktop.base.vocabulary import Sector
from rrn_desktop.core.services import (
    DEFAULT_ORGANISATION_NAME,
    ServiceInfo,
    add_service,
    organisation_name,
    the_organisation,
)
from rrn_desktop.core.user import store_user_name, tidy_name, user_name
from rrn_desktop.core.validation import Input, Name, validated
from rrn_desktop.storage.database import Database


@dataclass(frozen=True)
class KnownNames:
    """What the first start can fill in already: "" for a name not set yet."""

    organisation: str
    user: str


class _FirstStartInput(Input):
    organisation_name: Name
    your_name: Name
    service_name: Name
    sector: Sector


def known_names(db: Database) -> KnownNames:
    organisation = organisation_name(db)
    return KnownNames(
        organisation="" if organisation == DEFAULT_ORGANISATION_NAME else organisation,
        user=user_name(db),
    )


def save_first_start(
    db: Database, organisation: str, your_name: str, service: str, sector: Sector
) -> ServiceInfo:
    """Name the organisation and the user, and add the first service; the service added.

    Raises InputError naming every problem at once (an empty name, a service that exists)."""
    data = validated(
        _FirstStartInput,
        organisation_name=organisation,
        your_name=tidy_name(your_name),
        service_name=service,
        sector=sector,
    )
    with db.transaction() as session:
        # The user's name first, so the other two changes are recorded under it.
        store_user_name(session, data.your_name)
        the_organisation(session).name = data.organisation_name
        return add_service(session, data.service_name, data.sector)
