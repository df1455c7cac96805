"""Giving people access to a shared database: run by its owner (head office's IT)."""

from __future__ import annotations

from sqlalchemy import create_engine, exc, text

from rrn_desktop.storage import access
from rrn_desktop.storage.errors import StorageError, explain_server_error
from rrn_desktop.storage.shared import parse_url


def change_access(
    address: str,
    action: str,
    person: str,
    *,
    password: str | None = None,
    service: str | None = None,
    support: bool = False,
) -> str:
    """add-person, grant (one service) or head-office (every service); says what was done."""
    if not person.strip():
        raise StorageError("Give the person's login name.")
    engine = create_engine(parse_url(address))
    try:
        with engine.begin() as connection:
            if action == "add-person":
                if not password:
                    raise StorageError("Give the person a password. Nothing was changed.")
                access.add_person(connection, person, password)
                return f"{person} can now log in to the shared database (no services yet)."
            if action == "head-office":
                access.make_head_office(connection, person, sees_support=support)
                return f"{person} now sees every service" + (
                    ", support records included." if support else " (not the support records)."
                )
            found = connection.execute(
                text("SELECT id FROM service WHERE name = :name"), {"name": service}
            ).scalar()
            if found is None:
                raise StorageError(f"No service is called '{service}'. Nothing was changed.")
            access.grant_service(connection, person, int(found), sees_support=support)
            return f"{person} now works in {service}" + (
                ", support records included." if support else " (not the support records)."
            )
    except exc.DBAPIError as error:
        raise StorageError(explain_server_error(error) or str(error.orig).strip()) from error
    finally:
        engine.dispose()
