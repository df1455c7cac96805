"""The organisation's name and its services as the screens list them, read with plain SQL so
that the start screen can show them before the ORM loads (see storage.plain_reading)."""

from __future__ import annotations

from dataclasses import dataclass

from rrn_desktop.base.vocabulary import JURISDICTION_LABELS, SECTOR_LABELS, Jurisdiction, Sector
from rrn_desktop.storage.plain_reading import PlainReader

DEFAULT_ORGANISATION_NAME = "My organisation"
# What a record or report that belongs to no one service is shown against.
WHOLE_ORGANISATION = "Whole organisation"


@dataclass(frozen=True)
class ServiceInfo:
    id: int
    name: str
    sector: Sector
    jurisdiction: Jurisdiction

    @property
    def sector_label(self) -> str:
        return SECTOR_LABELS[self.sector]

    @property
    def jurisdiction_label(self) -> str:
        return JURISDICTION_LABELS[self.jurisdiction]


def services_by_name(reader: PlainReader) -> list[ServiceInfo]:
    return [
        ServiceInfo(service_id, name, Sector(sector), Jurisdiction(jurisdiction))
        for service_id, name, sector, jurisdiction in reader.rows(
            "SELECT id, name, sector, jurisdiction FROM service ORDER BY name"
        )
    ]


def organisation_name_in(reader: PlainReader) -> str:
    """The organisation's name (the default one until it is named)."""
    found = reader.rows("SELECT name FROM organisation ORDER BY id LIMIT 1")
    return str(found[0][0]) if found else DEFAULT_ORGANISATION_NAME
