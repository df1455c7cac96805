"""Moving data between laptops in the window: write a bundle, or bring one in after seeing what
it would add, update and skip. Both are plain functions for a menu item to call."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from PySide6.QtWidgets import QWidget

from rrn_desktop.core.bundle import (
    BUNDLE_SUFFIX,
    BundleSummary,
    ImportPlan,
    apply_import,
    export_bundle,
    plan_import,
    read_bundle,
)
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.import_conflicts import choose_versions
from rrn_desktop.gui.operations import Changed, Changes, run_operation
from rrn_desktop.gui.signing_dialog import accepts_origin
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.signing_key import load_signing


def _flush(parent: QWidget) -> None:
    """What is still being typed is saved first, so it travels (or is compared) too."""
    window = parent.window()
    flush = getattr(window, "flush", None)
    if callable(flush):
        flush()


def suggested_name(label: str, today: dt.date) -> str:
    """'willow-house-care-home-2026-11-24.rrnbundle': safe on every file system."""
    slug = re.sub(r"[^0-9a-z]+", "-", label.casefold()).strip("-")[:60] or "bundle"
    return f"{slug}-{today.isoformat()}{BUNDLE_SUFFIX}"


def export_bundle_from_window(
    parent: QWidget, db: Database, service_id: int | None = None, label: str = "every-service"
) -> BundleSummary | None:
    """Ask where to save, then write one service's bundle (every service's without service_id).
    ``label`` names the suggested file, such as the service's name."""
    suggested = Path.home() / suggested_name(label, dt.date.today())
    target = dialogs.choose_save_path(
        parent, "Export a bundle", suggested, f"RRN Self-Audit bundle (*{BUNDLE_SUFFIX})"
    )
    if target is None:
        return None
    if target.suffix.lower() != BUNDLE_SUFFIX:
        target = target.with_name(target.name + BUNDLE_SUFFIX)
    _flush(parent)
    result = run_operation(
        parent,
        f"Writing {target.name}…",
        lambda progress: export_bundle(db, target, service_id=service_id, progress=progress),
        failure_title="Bundle not made",
    )
    if result is None:
        return None
    dialogs.show_information(
        parent,
        "Bundle made",
        f"Wrote {result.summary}.\n\nOn the other laptop, choose Import a bundle and pick this "
        "file. Nothing there changes until they have seen what it adds and confirmed.",
    )
    return result


def import_bundle_from_file(parent: QWidget, db: Database) -> ImportPlan | None:
    """Ask for a bundle, show what it would change, and import it if the person confirms.
    Returns what was imported, or None if nothing was; screens hear of it through
    gui/operations' change notices."""
    chosen = dialogs.choose_open_path(parent, "Import a bundle")
    if chosen is None:
        return None
    _flush(parent)
    plan = run_operation(
        parent,
        f"Checking {chosen.name}…",
        lambda progress: plan_import(db, read_bundle(chosen, load_signing(db.data_dir), progress)),
        failure_title="Bundle not imported",
    )
    if plan is None:
        return None
    if not plan.changes and not plan.conflicts:
        dialogs.show_information(
            parent,
            "Nothing to import",
            f"{plan.bundle.origin.line}\n\n{plan.describe()}\n\n"
            "This laptop already has everything in the bundle.",
        )
        return None
    if not accepts_origin(parent, plan.bundle.origin):
        return None
    if plan.conflicts and not choose_versions(parent, plan):
        return None
    question = f"{plan.bundle.origin.line}\n\n{plan.describe()}\n\nImport these changes?"
    if not dialogs.ask_confirmation(parent, "Import a bundle", question, "Import"):
        return None
    # Cancel stays safe to the end: apply_import copies the evidence first, and stopping it
    # there removes what it copied and rolls the records back.
    result = run_operation(
        parent,
        f"Importing {chosen.name}…",
        lambda progress: apply_import(db, plan, progress),
        failure_title="Bundle not imported",
        changes=Changes.of(db.data_dir, Changed.SERVICES, Changed.RECORDS, Changed.EVIDENCE),
    )
    if result is None:
        return None
    dialogs.show_information(parent, "Bundle imported", result.summary)
    return result
