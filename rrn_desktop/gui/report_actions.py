"""What the window does with a report: preview it, save it as PDF or Word, print it; and the
inspection pack and the spreadsheet export, which are not tied to one screen."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QMainWindow

from rrn_desktop.base.saving import save_atomically
from rrn_desktop.core.dates import add_months
from rrn_desktop.core.services import WHOLE_ORGANISATION, list_services
from rrn_desktop.core.validation import InputError
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.date_field import chosen_day, date_edit
from rrn_desktop.gui.form_dialog import FormDialog
from rrn_desktop.gui.operations import attempt
from rrn_desktop.gui.report_runner import Progress, run_with_progress
from rrn_desktop.gui.widgets import choice_combo, wrapped
from rrn_desktop.reports.output import ReportResult
from rrn_desktop.storage.database import Database

FORMATS = {
    ".pdf": ("PDF", "PDF files (*.pdf)"),
    ".docx": ("Word", "Word documents (*.docx)"),
}


@dataclass(frozen=True)
class Report:
    """A report ready to write: the file name to suggest, and how to write it anywhere."""

    name: str
    write: Callable[[Path, Progress], ReportResult]


def safe_file_name(text: str) -> str:
    return "".join(c if c.isalnum() or c in " -_()" else "_" for c in text).strip()


def _documents_folder() -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents or Path.home())


def _scope_combo(db: Database, parent: FormDialog) -> QComboBox:
    """The whole organisation, or one service."""
    services = {s.id: s.name for s in list_services(db)}
    return choice_combo({None: WHOLE_ORGANISATION, **services}, "Covers", parent)


class PackDialog(FormDialog):
    def __init__(self, db: Database, parent: QMainWindow) -> None:
        super().__init__("Inspection pack", "&Preview the pack…", parent)
        self.scope = _scope_combo(db, self)
        today = dt.date.today()
        self.date_from = date_edit(add_months(today, -12) + dt.timedelta(days=1), self)
        self.date_from.setAccessibleName("From")
        self.date_to = date_edit(today, self)
        self.date_to.setAccessibleName("To")
        # Left out unless asked for: the parts already give each record in a line.
        self.appendix = QCheckBox("Include the full &detail of every record (appendix)", self)
        self.appendix.setAccessibleName("Include the full detail of every record (appendix)")
        self.form.addRow(
            wrapped(
                "One document for an inspector: a one-page summary, then training against the "
                "standards, the restrictions register, the plan and its progress, and the "
                "incident figures with what was learned, each record in one line. The appendix "
                "adds everything recorded about each.",
                self,
            )
        )
        self.form.addRow("Co&vers:", self.scope)
        self.form.addRow("&From:", self.date_from)
        self.form.addRow("&To:", self.date_to)
        self.form.addRow(self.appendix)
        self.finish_layout(width=520)

    def period(self) -> tuple[dt.date, dt.date]:
        start, end = chosen_day(self.date_from), chosen_day(self.date_to)
        if end < start:
            raise InputError("The period's end must be on or after its start.")
        return start, end


class SpreadsheetDialog(FormDialog):
    def __init__(self, db: Database, parent: QMainWindow) -> None:
        super().__init__("Export a spreadsheet", "&Choose where to save…", parent)
        self.scope = _scope_combo(db, self)
        self.include_personal = QCheckBox(
            "Include incident &personal details (reference codes, names, free text)", self
        )
        self.form.addRow(
            wrapped(
                "One sheet for each part of the app, one row for each item, restriction, "
                "action or incident, ready to filter. Incidents are anonymised unless you "
                "include personal details.",
                self,
            )
        )
        self.form.addRow("Co&vers:", self.scope)
        self.form.addRow(self.include_personal)
        self.finish_layout()


class ReportActions:
    def __init__(self, window: QMainWindow, db: Database) -> None:
        self._window = window
        self._db = db

    def _say(self, text: str) -> None:
        self._window.statusBar().showMessage(text, 10000)

    def _run(self, label: str, write: Callable[[Progress], ReportResult]) -> ReportResult | None:
        return run_with_progress(self._window, label, write)

    def save(self, report: Report, suffix: str) -> None:
        kind, filter_text = FORMATS[suffix]
        path = dialogs.choose_save_path(
            self._window,
            f"Save report as {kind}",
            _documents_folder() / f"{report.name}{suffix}",
            filter_text,
        )
        if path is None:
            return
        if path.suffix.lower() != suffix:
            path = path.with_suffix(path.suffix + suffix)
        result = self._run(f"Writing {path.name}…", lambda p: report.write(path, p))
        if result is not None:
            self._say(f"Saved {result.summary}")

    def print(self, report: Report) -> None:
        printer = dialogs.choose_printer(self._window)
        if printer is None:
            return
        with tempfile.TemporaryDirectory() as folder:
            pdf = Path(folder) / f"{report.name}.pdf"
            if self._run("Preparing the pages…", lambda p: report.write(pdf, p)) is None:
                return
            self._print_file(pdf, printer)

    def _print_file(self, pdf: Path, printer: object) -> None:
        from rrn_desktop.gui.printing import print_pdf

        printed = attempt(
            self._window,
            "Report not printed",
            lambda: print_pdf(pdf, printer),  # type: ignore[arg-type]
        )
        if not printed.ok:
            return
        self._say(f"Sent {printed.value} pages to the printer")

    def preview(self, report: Report) -> QDialog | None:
        # PDFium loads on first use, keeping it out of start-up time.
        from rrn_desktop.gui.report_preview import ReportPreview

        folder = tempfile.TemporaryDirectory()
        pdf = Path(folder.name) / f"{report.name}.pdf"
        if self._run("Preparing the preview…", lambda p: report.write(pdf, p)) is None:
            folder.cleanup()
            return None

        def print_it() -> None:
            printer = dialogs.choose_printer(preview)
            if printer is not None:
                self._print_file(pdf, printer)

        def save_pdf() -> None:
            path = dialogs.choose_save_path(
                preview,
                "Save report as PDF",
                _documents_folder() / f"{report.name}.pdf",
                FORMATS[".pdf"][1],
            )
            if path is None:
                return
            saved = attempt(
                preview, "Report not saved", lambda: save_atomically(pdf.read_bytes(), path)
            )
            if not saved.ok:
                return
            self._say(f"Saved {saved.value}")

        preview = ReportPreview(
            pdf, report.name, print_it, save_pdf, lambda: self.save(report, ".docx"), self._window
        )
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        preview.destroyed.connect(lambda *_: folder.cleanup())
        preview.open()
        return preview

    def inspection_pack(self) -> None:
        dialog = PackDialog(self._db, self._window)

        def submit() -> None:
            start, end = dialog.period()
            service_id = dialog.scope.currentData()
            scope = dialog.scope.currentText()
            appendix = dialog.appendix.isChecked()
            report = Report(
                safe_file_name(f"Inspection pack {scope} {end:%Y-%m-%d}"),
                lambda out, progress: self._write_pack(
                    out, progress, service_id, start, end, appendix=appendix
                ),
            )
            # The preview opens once this dialog has closed.
            dialog.finished.connect(lambda _result: self.preview(report))

        dialog.submit = submit
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _write_pack(
        self,
        out: Path,
        progress: Progress,
        service_id: int | None,
        start: dt.date,
        end: dt.date,
        *,
        appendix: bool,
    ) -> ReportResult:
        from rrn_desktop.reports.pack_report import write_pack_report

        return write_pack_report(
            self._db,
            out,
            service_id=service_id,
            date_from=start,
            date_to=end,
            appendix=appendix,
            progress=progress,
        )

    def export_spreadsheet(self) -> None:
        dialog = SpreadsheetDialog(self._db, self._window)

        def submit() -> None:
            path = dialogs.choose_save_path(
                dialog,
                "Export a spreadsheet",
                _documents_folder() / safe_file_name(f"RRN Self-Audit {dt.date.today()}.xlsx"),
                "Excel workbooks (*.xlsx)",
            )
            if path is None:
                return
            if path.suffix.lower() != ".xlsx":
                path = path.with_suffix(path.suffix + ".xlsx")
            service_id = dialog.scope.currentData()
            personal = dialog.include_personal.isChecked()
            if self._export(path, service_id, personal):
                self._say(f"Saved {path}")

        dialog.submit = submit
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _export(self, path: Path, service_id: int | None, personal: bool) -> bool:
        from rrn_desktop.reports.xlsx_export import export_xlsx

        def work(progress: Progress) -> bool:
            export_xlsx(
                self._db,
                path,
                service_id=service_id,
                include_personal=personal,
                progress=progress,
            )
            return True

        return bool(run_with_progress(self._window, f"Writing {path.name}…", work))
