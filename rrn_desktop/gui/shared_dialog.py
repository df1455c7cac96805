"""File → Connect to a shared database…: where head office's database is and who you are; the
connection is tried before anything is kept, the address is remembered on this machine and the
password only in its keyring. The window then reopens on the shared database."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QDialog, QLineEdit, QPushButton, QSpinBox, QWidget
from sqlalchemy.engine import URL

from rrn_desktop.base.connection_choice import remembered_database
from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.form_dialog import FormDialog
from rrn_desktop.gui.operations import Progress, run_operation
from rrn_desktop.gui.widgets import wrapped
from rrn_desktop.storage.connect import remember_database, save_password, saved_password
from rrn_desktop.storage.errors import StorageError
from rrn_desktop.storage.shared import open_shared_database, parse_url

# The window property that asks the app to reopen on another database ("": the data folder).
SHARED_REQUEST = "rrn_shared_request"


class SharedDatabaseDialog(FormDialog):
    def __init__(self, data_dir: Path, current: str | None, parent: QWidget | None = None) -> None:
        super().__init__("Connect to a shared database", "&Connect", parent)
        self._data_dir = data_dir
        self.chosen: str | None = None  # the address connected to, once it worked
        self.form.addRow(
            wrapped(
                "Your organisation's IT gives you these. While connected, everyone works on the "
                "same records, and you see the services you are given. Your name, text size "
                "and contrast stay on this computer.",
                self,
            )
        )
        known = parse_url(current or remembered_database(data_dir) or "postgresql:///")
        self.server = QLineEdit(known.host or "", self)
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(known.port or 5432)
        self.database = QLineEdit(known.database or "", self)
        self.login = QLineEdit(known.username or "", self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.keep = QCheckBox("&Remember the password in this computer's keyring", self)
        self.keep.setChecked(True)
        for label, widget in (
            ("&Server:", self.server),
            ("P&ort:", self.port),
            ("&Database:", self.database),
            ("Your &login:", self.login),
            ("&Password:", self.password),
        ):
            widget.setAccessibleName(label.replace("&", "").rstrip(":"))
            self.form.addRow(label, widget)
        self.form.addRow(self.keep)
        if current:
            self.local = QPushButton("Use this computer's &own data folder", self)
            self.local.clicked.connect(self._use_local)
            self.form.addRow(self.local)
        self.submit = self._connect
        self.finish_layout(width=520)

    def has_changes(self) -> bool:
        return bool(self.password.text())

    def _address(self) -> URL:
        fields = ((self.server, "server"), (self.database, "database"), (self.login, "login"))
        for field, name in fields:
            if not field.text().strip():
                field.setFocus()
                raise StorageError(f"Fill in the {name}.")
        return URL.create(
            "postgresql",
            username=self.login.text().strip(),
            host=self.server.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
        )

    def _connect(self) -> None:
        """Tried first; only a connection that worked is remembered (a refusal stays in the
        dialog's problem line, with everything typed still there)."""
        url = self._address()
        address = url.render_as_string(hide_password=False)
        password = self.password.text() or saved_password(address)
        full = (url.set(password=password) if password else url).render_as_string(
            hide_password=False
        )

        def tried(_progress: Progress) -> UserFacingError | None:
            # Off the GUI thread: a server that does not answer takes seconds to give up.
            try:
                open_shared_database(full, self._data_dir).close()
            except UserFacingError as error:
                return error  # shown in the dialog's problem line, with everything kept
            return None

        refused = run_operation(
            self,
            "Connecting to the shared database…",
            tried,
            failure_title="Not connected",
            can_cancel=False,
        )
        if refused is not None:
            raise refused
        remember_database(self._data_dir, address)
        typed = self.password.text()
        if typed and self.keep.isChecked() and not save_password(address, typed):
            dialogs.show_information(
                self,
                "Password not remembered",
                "This computer has no keyring to keep the password in, so you will be "
                "asked for it next time.",
            )
        self.chosen = address

    def _use_local(self) -> None:
        remember_database(self._data_dir, None)
        self.chosen = ""
        QDialog.accept(self)  # nothing to try: back to this computer's data folder
