"""A real PostgreSQL server for the tests of the shared database.

``RRN_TEST_POSTGRES`` gives the address of a role that may create databases and roles
(`.ci/run` starts Debian's PostgreSQL and sets it). Each test gets a database of its own, copied
from a template made once per test process (``CREATE DATABASE … TEMPLATE``, a file copy on the
server), and dropped afterwards. Without the variable, the PostgreSQL half of the tests is
skipped with a reason on a developer's machine, and fails under CI, where it must run.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL, make_url

from rrn_desktop.storage.database import Database
from rrn_desktop.storage.shared import open_shared_database, setup_shared_database

SERVER_VARIABLE = "RRN_TEST_POSTGRES"
_numbers = itertools.count(1)


@dataclass
class SharedServer:
    admin: URL  # a role that may create databases and roles
    prefix: str  # this test process's databases all start with it
    _templates: dict[str, str] = field(default_factory=dict)
    _made: list[str] = field(default_factory=list)

    def engine(self, database: str = "postgres") -> Engine:
        """The admin's connection, outside any transaction (CREATE DATABASE needs that)."""
        return create_engine(self.admin.set(database=database), isolation_level="AUTOCOMMIT")

    def url(self, database: str, role: str | None = None, password: str | None = None) -> str:
        url = self.admin.set(database=database)
        if role is not None:
            url = url.set(username=role, password=password)
        return url.render_as_string(hide_password=False)

    def new_database(self, template: str | None = None) -> str:
        """An empty database (not set up), or a copy of a template: its name."""
        name = f"{self.prefix}_{next(_numbers)}"
        engine = self.engine()
        try:
            with engine.connect() as connection:
                copy = f" TEMPLATE {template}" if template else ""
                connection.exec_driver_sql(f"CREATE DATABASE {name}{copy}")
        finally:
            engine.dispose()
        self._made.append(name)
        return name

    def template(self, kind: str, folder: Path) -> str:
        if kind not in self._templates:
            name = self.new_database()
            setup_shared_database(self.url(name))
            if kind == "demo":
                from rrn_desktop.demo.organisation import load_demo

                with open_shared_database(self.url(name), folder / "template-person") as db:
                    load_demo(db)
            self._templates[kind] = name
        return self._templates[kind]

    def database_from(self, kind: str, folder: Path) -> Database:
        """A set-up shared database of its own ("empty" or "demo"), opened as the admin; this
        person's own folder is ``folder``."""
        name = self.new_database(self.template(kind, folder))
        return open_shared_database(self.url(name), folder)

    def drop_all(self) -> None:
        engine = self.engine()
        try:
            with engine.connect() as connection:
                for name in reversed(self._made):
                    connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def shared_server() -> Iterator[SharedServer]:
    address = os.environ.get(SERVER_VARIABLE)
    if not address:
        message = f"no PostgreSQL server: set {SERVER_VARIABLE} (see README, For developers)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    server = SharedServer(make_url(address), f"rrn_test_{os.getpid()}")
    yield server
    server.drop_all()
