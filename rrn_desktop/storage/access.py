"""Who may see and change what on a shared database, checked by PostgreSQL itself.

Each person logs in to the database as themselves (a PostgreSQL role). The table ``rrn_member``
says which services each role works in, and who is head office (sees every service). Row-level
security on every table of a service's records lets a role read and write only those rows,
whatever program or query it uses; a person's support records after an incident are visible
only to roles allowed to see them (``sees_support``), head office included.

Roles are given the group role ``rrn_user``, which holds the table rights; memberships are
changed only by the database's owner (the head office's IT), through ``grant_service`` and
``make_head_office``.
"""

from __future__ import annotations

from sqlalchemy import Connection

USERS_ROLE = "rrn_user"

_MEMBERS = """
CREATE TABLE IF NOT EXISTS rrn_member (
    role_name text NOT NULL,
    service_id integer REFERENCES service(id) ON DELETE CASCADE,
    head_office boolean NOT NULL DEFAULT false,
    sees_support boolean NOT NULL DEFAULT false,
    UNIQUE (role_name, service_id)
);
CREATE OR REPLACE FUNCTION rrn_head_office() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT EXISTS (SELECT 1 FROM rrn_member WHERE role_name = session_user AND head_office)
$$;
CREATE OR REPLACE FUNCTION rrn_may_see(sid integer) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT sid IS NULL OR EXISTS (
        SELECT 1 FROM rrn_member
        WHERE role_name = session_user AND (head_office OR service_id = sid)
    )
$$;
CREATE OR REPLACE FUNCTION rrn_sees_support(sid integer) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT EXISTS (
        SELECT 1 FROM rrn_member
        WHERE role_name = session_user AND sees_support AND (head_office OR service_id = sid)
    )
$$;
"""

# A service's own records, and how each table reaches its service.
_BY_SERVICE = {
    "service": "rrn_may_see(id)",
    "benchmark": "rrn_may_see(service_id)",
    "checklist_answer": "rrn_may_see(service_id)",
    "incident": "rrn_may_see(service_id)",
    "restriction": "rrn_may_see(service_id)",
    "service_size": "rrn_may_see(service_id)",
    "data_arrival": "rrn_may_see(service_id)",
    "action": "rrn_may_see(service_id)",  # an organisation-wide action (no service) is everyone's
}
_THROUGH = {
    "item_response": "benchmark",
    "participant": "benchmark",
    "benchmark_event": "benchmark",
    "incident_intervention": "incident",
    "incident_staff": "incident",
    "learning_review": "incident",
    "restriction_review": "restriction",
    "restriction_status_change": "restriction",
    "action_evidence_file": "action",
    "action_note": "action",
    "action_status_change": "action",
    "outcome_reading": "action",
}
_OWNER_COLUMN = {
    "benchmark": "benchmark_id",
    "incident": "incident_id",
    "restriction": "restriction_id",
    "action": "action_id",
}


def _rule(table: str) -> str:
    if table in _BY_SERVICE:
        return _BY_SERVICE[table]
    if table == "person_support":
        return (
            "EXISTS (SELECT 1 FROM incident o WHERE o.id = incident_id "
            "AND rrn_sees_support(o.service_id))"
        )
    if table == "evidence_file":
        return "EXISTS (SELECT 1 FROM item_response o WHERE o.id = response_id)"
    if table == "learning_point":
        return "EXISTS (SELECT 1 FROM learning_review o WHERE o.id = review_id)"
    owner = _THROUGH[table]
    # The owner's own rule applies inside the question: a row is seen when its owner is.
    return f'EXISTS (SELECT 1 FROM "{owner}" o WHERE o.id = {_OWNER_COLUMN[owner]})'


PROTECTED = (*_BY_SERVICE, *_THROUGH, "person_support", "evidence_file", "learning_point")

# The record of changes names records and, for deletions, keeps what they held: an entry is seen
# by whoever may see its record now (the record's own rule decides: the question runs as the
# person), by everyone for records that belong to no service, and for a record since deleted
# only by head office.
_CHANGES = """
CREATE OR REPLACE FUNCTION rrn_change_visible(t text, u text) RETURNS boolean
    LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
    seen boolean;
BEGIN
    IF rrn_head_office() OR NOT (t = ANY (ARRAY[{protected}])) THEN
        RETURN true;
    END IF;
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM ' || quote_ident(t) || ' WHERE uid = $1)'
        INTO seen USING u;
    RETURN seen;
END
$$;
ALTER TABLE change_log ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS members ON change_log;
CREATE POLICY members ON change_log USING (rrn_change_visible(table_name, record_uid))
    WITH CHECK (true);
"""


def install(connection: Connection, tables: list[str]) -> None:
    """The memberships table, the checks and a policy on each protected table; rights on every
    table for the users' group role. Run as the database's owner, once, when it is set up."""
    connection.exec_driver_sql(_MEMBERS)
    connection.exec_driver_sql(
        f"DO $$ BEGIN CREATE ROLE {USERS_ROLE} NOLOGIN; "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
    )
    for table in PROTECTED:
        rule = _rule(table)
        connection.exec_driver_sql(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
        connection.exec_driver_sql(f'DROP POLICY IF EXISTS members ON "{table}"')
        connection.exec_driver_sql(
            f'CREATE POLICY members ON "{table}" USING ({rule}) WITH CHECK ({rule})'
        )
    # The names are this module's own constants, not anyone's input.
    connection.exec_driver_sql(
        _CHANGES.replace("{protected}", ", ".join(f"'{t}'" for t in PROTECTED))
    )
    listed = ", ".join(f'"{t}"' for t in tables)
    connection.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {listed} TO {USERS_ROLE}")
    connection.exec_driver_sql(f"GRANT SELECT ON rrn_member TO {USERS_ROLE}")
    connection.exec_driver_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {USERS_ROLE}")
    connection.exec_driver_sql(f"GRANT SELECT ON alembic_version TO {USERS_ROLE}")


def _quoted(role: str) -> str:
    return '"' + role.replace('"', '""') + '"'


def add_person(connection: Connection, role: str, password: str | None = None) -> None:
    """A login for one person, in the users' group (made if it does not exist yet)."""
    exists = connection.exec_driver_sql(
        "SELECT 1 FROM pg_roles WHERE rolname = %(role)s", {"role": role}
    ).first()
    if exists is None:
        connection.exec_driver_sql(f"CREATE ROLE {_quoted(role)} LOGIN")
    if password is not None:
        # The password is sent to the server once, here, and never kept by the program.
        quoted = connection.exec_driver_sql(
            "SELECT quote_literal(%(p)s)", {"p": password}
        ).scalar_one()
        connection.exec_driver_sql(f"ALTER ROLE {_quoted(role)} PASSWORD {quoted}")
    connection.exec_driver_sql(f"GRANT {USERS_ROLE} TO {_quoted(role)}")


def grant_service(
    connection: Connection, role: str, service_id: int, *, sees_support: bool = False
) -> None:
    connection.exec_driver_sql(
        "INSERT INTO rrn_member (role_name, service_id, sees_support) "
        "VALUES (%(role)s, %(service)s, %(support)s) "
        "ON CONFLICT (role_name, service_id) DO UPDATE SET sees_support = EXCLUDED.sees_support",
        {"role": role, "service": service_id, "support": sees_support},
    )


def make_head_office(connection: Connection, role: str, *, sees_support: bool = False) -> None:
    """Head office reads and edits every service; support records only when allowed."""
    connection.exec_driver_sql(
        "DELETE FROM rrn_member WHERE role_name = %(role)s AND service_id IS NULL", {"role": role}
    )
    connection.exec_driver_sql(
        "INSERT INTO rrn_member (role_name, head_office, sees_support) "
        "VALUES (%(role)s, true, %(support)s)",
        {"role": role, "support": sees_support},
    )
