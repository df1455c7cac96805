"""Moving a data folder's records into a shared database, all or nothing.

Going the other way needs nothing new: a backup made from the shared database is an ordinary
backup file, which `rrn-desktop restore` puts into any data folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, create_engine, exc, func, insert, select

from rrn_desktop.base.wording import plural
from rrn_desktop.storage.database import open_database
from rrn_desktop.storage.errors import StorageError, explain_server_error
from rrn_desktop.storage.models import LAPTOP_ID_KEY, AppSetting, Base, EvidenceContent
from rrn_desktop.storage.shared import parse_url

_CHUNK = 500
# The settings that belong to the laptop or the person, not to the records.
_LOCAL_SETTINGS = (LAPTOP_ID_KEY, "user_name", "text_size_percent", "high_contrast")
_EVIDENCE_TABLES = ("evidence_file", "action_evidence_file")


@dataclass(frozen=True)
class Copied:
    records: int
    services: int
    evidence_files: int

    @property
    def summary(self) -> str:
        return (
            f"{plural(self.records, 'record')} of {plural(self.services, 'service')} and "
            f"{plural(self.evidence_files, 'evidence file')}"
        )


def _copy_rows(source: Connection, target: Connection) -> int:
    copied = 0
    for table in Base.metadata.sorted_tables:
        query = select(table)
        if table.name == AppSetting.__tablename__:
            query = query.where(table.c.key.not_in(_LOCAL_SETTINGS))
        rows = [dict(row._mapping) for row in source.execute(query)]
        for start in range(0, len(rows), _CHUNK):
            target.execute(insert(table), rows[start : start + _CHUNK])
        copied += len(rows)
        if "id" in table.c and rows:
            # Rows came with their ids: the server's counter must start after them.
            target.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                f'(SELECT MAX(id) FROM "{table.name}"))'
            )
    return copied


def _copy_evidence(source: Connection, target: Connection, evidence_dir: Path) -> int:
    names = {
        name
        for table in _EVIDENCE_TABLES
        for name in source.execute(select(Base.metadata.tables[table].c.stored_name)).scalars()
    }
    for name in sorted(names):
        path = evidence_dir / name
        try:
            content = path.read_bytes()
        except OSError as error:
            raise StorageError(
                f"The evidence file {path} could not be read ({error.strerror}). "
                "Nothing was copied; run `rrn-desktop check` on the folder."
            ) from error
        target.execute(insert(EvidenceContent).values(stored_name=name, content=content))
    return len(names)


def load_folder(folder: Path, address: str) -> Copied:
    """Copy every record and evidence file of the data folder into the shared database, which
    must be set up and hold no records yet. Nothing is copied if anything fails."""
    engine = create_engine(parse_url(address))
    try:
        with open_database(folder) as db, db.engine.connect() as source, engine.begin() as target:
            services = Base.metadata.tables["service"]
            if target.execute(select(func.count()).select_from(services)).scalar():
                raise StorageError(
                    "The shared database already holds records, so a data folder cannot "
                    "be copied in whole: bring its records in with a bundle instead "
                    "(rrn-desktop export bundle, then import). Nothing was copied."
                )
            records = _copy_rows(source, target)
            evidence = _copy_evidence(source, target, db.evidence_dir)
            count = source.execute(select(func.count()).select_from(services)).scalar()
        return Copied(records, int(count or 0), evidence)
    except exc.DBAPIError as error:
        raise StorageError(
            (explain_server_error(error) or str(error.orig).strip()) + " Nothing was copied."
        ) from error
    finally:
        engine.dispose()
