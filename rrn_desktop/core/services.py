"""The organisation and its services (care home, school, ward, training team...)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rrn_desktop.base.vocabulary import Jurisdiction, Sector
from rrn_desktop.core.service_info import DEFAULT_ORGANISATION_NAME as DEFAULT_ORGANISATION_NAME
from rrn_desktop.core.service_info import WHOLE_ORGANISATION as WHOLE_ORGANISATION
from rrn_desktop.core.service_info import ServiceInfo as ServiceInfo
from rrn_desktop.core.service_info import organisation_name_in, services_by_name
from rrn_desktop.core.validation import Input, InputError, Name, validated
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import Organisation, Service


class _ServiceInput(Input):
    name: Name
    sector: Sector
    jurisdiction: Jurisdiction


class _OrganisationInput(Input):
    name: Name


def service_info(service: Service) -> ServiceInfo:
    return ServiceInfo(service.id, service.name, service.sector, service.jurisdiction)


def the_organisation(session: Session) -> Organisation:
    organisation = session.scalars(select(Organisation).order_by(Organisation.id)).first()
    if organisation is None:
        organisation = Organisation(name=DEFAULT_ORGANISATION_NAME)
        session.add(organisation)
        session.flush()
    return organisation


def organisation_name(db: Database) -> str:
    with db.reading() as reader:
        return organisation_name_in(reader)


def rename_organisation(db: Database, name: str) -> None:
    data = validated(_OrganisationInput, name=name)
    with db.transaction() as session:
        the_organisation(session).name = data.name


def list_services(db: Database) -> list[ServiceInfo]:
    with db.reading() as reader:
        return services_by_name(reader)


def create_service(
    db: Database, name: str, sector: Sector, jurisdiction: Jurisdiction = Jurisdiction.ENGLAND
) -> ServiceInfo:
    data = validated(_ServiceInput, name=name, sector=sector, jurisdiction=jurisdiction)
    with db.transaction() as session:
        return add_service(session, data.name, data.sector, data.jurisdiction)


def set_jurisdiction(db: Database, service_id: int, jurisdiction: Jurisdiction) -> ServiceInfo:
    """Say whose recording law the service works under; its records are checked against it."""
    with db.transaction() as session:
        service = session.get(Service, service_id)
        if service is None:
            raise InputError("That service no longer exists.")
        service.jurisdiction = Jurisdiction(jurisdiction)
        return service_info(service)


def add_service(
    session: Session,
    name: str,
    sector: Sector,
    jurisdiction: Jurisdiction = Jurisdiction.ENGLAND,
) -> ServiceInfo:
    """Add a service with an already checked name, as part of the caller's transaction;
    InputError if the organisation has one of that name already."""
    organisation = the_organisation(session)
    clash = session.scalars(
        select(Service).where(Service.organisation_id == organisation.id, Service.name == name)
    ).first()
    if clash is not None:
        raise InputError(f"There is already a service called '{name}'.")
    service = Service(
        organisation=organisation, name=name, sector=sector, jurisdiction=jurisdiction
    )
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
