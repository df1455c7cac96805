"""The restore journal: how a restore swaps new data into the data folder so that a crash
part-way is finished the next time the data is opened. Kept below the database module, which
finishes an interrupted restore before it opens anything.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from rrn_desktop.base.data_folder import DATABASE_NAME, EVIDENCE_DIR
from rrn_desktop.base.saving import fsync_dir

# A restore in progress (see restore.py): the new data waits in the staging folder, and
# once the marker exists the swap is finished by whoever opens the folder next.
RESTORE_MARKER = "restore-pending.json"
RESTORE_STAGING_DIR = ".restore-staging"
RESTORE_OLD_DIR = ".restore-old"


_DATABASE_FILES = (DATABASE_NAME, f"{DATABASE_NAME}-wal", f"{DATABASE_NAME}-shm")


def damaged_name(name: str, stamp: str) -> str:
    if name == EVIDENCE_DIR:
        return f"{EVIDENCE_DIR}.damaged-{stamp}"
    return name.replace(DATABASE_NAME, f"rrn-desktop.damaged-{stamp}.sqlite3")


def write_marker(data_dir: Path, plan: dict[str, object]) -> None:
    marker = data_dir / RESTORE_MARKER
    partial = marker.with_name(marker.name + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        json.dump(plan, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, marker)
    fsync_dir(data_dir)


def _aside(path: Path, folder: Path) -> None:
    target = folder / path.name
    number = 2
    while target.exists():
        target = folder / f"{path.name}-{number}"
        number += 1
    os.replace(path, target)


def finish_interrupted_restore(data_dir: Path) -> bool:
    """Complete a restore that was stopped part-way (the caller holds the folder's lock).

    Before the marker is written nothing in the data folder has been touched, so leftovers are
    removed. After it, every step below can run again from any point: each moves a file only if
    it is still where that step expects it."""
    marker = data_dir / RESTORE_MARKER
    staging = data_dir / RESTORE_STAGING_DIR
    old = data_dir / RESTORE_OLD_DIR
    if not marker.exists():
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
        return False
    plan = json.loads(marker.read_text(encoding="utf-8"))
    old.mkdir(exist_ok=True)
    new_db = staging / DATABASE_NAME
    if new_db.exists():
        # The old file's journal goes with it: left behind, it would be replayed into the new one.
        for name in reversed(_DATABASE_FILES):
            if (data_dir / name).exists():
                _aside(data_dir / name, old)
        os.replace(new_db, data_dir / DATABASE_NAME)
    new_evidence = staging / EVIDENCE_DIR
    if new_evidence.exists():
        if (data_dir / EVIDENCE_DIR).exists():
            _aside(data_dir / EVIDENCE_DIR, old)
        os.replace(new_evidence, data_dir / EVIDENCE_DIR)
    stamp = plan.get("keep_damaged_as")
    if stamp:
        for name in (*_DATABASE_FILES, EVIDENCE_DIR):
            if (old / name).exists():
                os.replace(old / name, data_dir / damaged_name(name, str(stamp)))
    fsync_dir(data_dir)
    marker.unlink()
    fsync_dir(data_dir)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
    return True
