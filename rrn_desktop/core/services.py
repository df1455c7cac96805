"""The organisation and its services (care home, school, ward, training team...)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rrn_desktop.base.vocabulary import SECTOR_LABELS, Sector
from rrn_desktop.core.validation import Input, InputError, Name, validated
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import Organisation, Service

DEFAULT_ORGANISATION_NAME = "My organisation"
# What a record or report that belongs to no one service is shown against.
WHOLE_ORGANISATION = "Whole organisation"


@dataclass(frozen=True)
class ServiceInfo:
    id: int
    name: str
    sector: Sector

    @property
    def sector_label(self) -> str:
        return SECTOR_LABELS[self.sector]


class _ServiceInput(Input):
    name: Name
    sector: Sector


class _OrganisationInput(Input):
    name: Name


def service_info(service: Service) -> ServiceInfo:
    return ServiceInfo(id=service.id, name=service.name, sector=service.sector)


def the_organisation(session: Session) -> Organisation:
    organisation = session.scalars(select(Organisation).order_by(Organisation.id)).first()
    if organisation is None:
        organisation = Organisation(name=DEFAULT_ORGANISATION_NAME)
        session.add(organisation)
        session.flush()
    return organisation


def organisation_name(db: Database) -> str:
    with db.transaction() as session:
        return the_organisation(session).name


def rename_organisation(db: Database, name: str) -> None:
    data = validated(_OrganisationInput, name=name)
    with db.transaction() as session:
        the_organisation(session).name = data.name


def list_services(db: Database) -> list[ServiceInfo]:
    with db.transaction() as session:
        services = session.scalars(select(Service).order_by(Service.name)).all()
        return [service_info(service) for service in services]


def create_service(db: Database, name: str, sector: Sector) -> ServiceInfo:
    data = validated(_ServiceInput, name=name, sector=sector)
    with db.transaction() as session:
        return add_service(session, data.name, data.sector)


def add_service(session: Session, name: str, sector: Sector) -> ServiceInfo:
    """Add a service with an already checked name, as part of the caller's transaction;
    InputError if the organisation has one of that name already."""
    organisation = the_organisation(session)
    clash = session.scalars(
        select(Service).where(Service.organisation_id == organisation.id, Service.name == name)
    ).first()
    if clash is not None:
        raise InputError(f"There is already a service called '{name}'.")
    service = Service(organisation=organisation, name=name, sector=sector)
    session.add(service)
    session.flush()
    return service_info(service)


def find_service(db: Database, name: str) -> ServiceInfo:
    """Find a service by name, ignoring case, for the command line."""
    wanted = name.strip().casefold()
    matches = [service for service in list_services(db) if service.name.casefold() == wanted]
    if not matches:
        known = ", ".join(service.name for service in list_services(db)) or "none yet"
        raise InputError(f"No service is called '{name}'. Services: {known}.")
    return matches[0]
