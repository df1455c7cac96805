"""What a data folder holds, by name, and which of its files nothing may ever write over."""

from __future__ import annotations

from pathlib import Path

from rrn_desktop.base.logs import LOG_DIR

DATABASE_NAME = "rrn-desktop.sqlite3"
SQLITE_HEADER = b"SQLite format 3\x00"
# SQLite's own files beside the data file, which hold its latest changes.
SIDECARS = ("-wal", "-shm", "-journal")
LOCK_NAME = "rrn-desktop.lock"
EVIDENCE_DIR = "evidence"
BACKUP_DIR = "backups"


def data_folder_file(path: Path) -> str | None:
    """In words, which of a data folder's own files writing to ``path`` would destroy (the data
    file, its journal, the lock, its small settings files, a stored evidence file, a log, a
    backup, or any other database), or None.

    Worked out from the path alone, so it holds for every data folder, open or not. A path the
    system cannot even look up (a name too long for the disk) holds nothing to protect."""

    def in_data_folders(name: str) -> bool:
        return any(
            folder.name == name and (folder.parent / DATABASE_NAME).exists()
            for folder in path.parents
        )

    try:
        path = path.expanduser().resolve()
        beside_data = (path.parent / DATABASE_NAME).exists()
        if beside_data and path.name in {DATABASE_NAME, *(DATABASE_NAME + s for s in SIDECARS)}:
            return "RRN Self-Audit's own data file"
        if beside_data and path.name == LOCK_NAME:
            return "the lock that keeps a second copy of RRN Self-Audit out of the data"
        if beside_data and path.suffix.casefold() == ".json":
            # The restore journal, the signing key, the last check's stamp, and any added later.
            return "one of the files RRN Self-Audit keeps beside its data"
        if in_data_folders(EVIDENCE_DIR):
            return "in the folder where RRN Self-Audit keeps its evidence files"
        if in_data_folders(LOG_DIR):
            return "in the folder where RRN Self-Audit keeps its log"
        # A new backup belongs there (the app writes its own); an existing one must not be lost.
        if path.exists() and in_data_folders(BACKUP_DIR):
            return "one of RRN Self-Audit's backups of the data"
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER:
                return "a database file"
    except OSError:
        pass  # nothing there yet, or nothing readable: nothing to protect
    return None
