"""Bundle signing in the window: the organisation's passphrase, the key's fingerprint, and what
an import does with a bundle not signed with it (core/bundle_signing); and the extra question
an import asks when that policy is to warn."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QButtonGroup, QLineEdit, QPushButton, QRadioButton, QWidget

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.core.bundle_signing import (
    MIN_PASSPHRASE,
    POLICY_EXPLANATIONS,
    Origin,
    describe_signing,
    set_passphrase,
    set_policy,
)
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.form_dialog import FormDialog
from rrn_desktop.gui.operations import attempt
from rrn_desktop.gui.text_size import applied_text_size
from rrn_desktop.gui.widgets import busy, wrapped
from rrn_desktop.storage.signing_key import (
    Policy,
    SigningSettingsError,
    clear_signing,
    load_signing,
)

POLICY_LABELS = {Policy.REFUSE: "&Refuse it", Policy.WARN: "&Warn, then ask"}


def accepts_origin(parent: QWidget, origin: Origin) -> bool:
    """True, unless the bundle is one this laptop's policy warns about and the person does
    not choose to go on; the preview's own question follows."""
    if not origin.needs_confirmation:
        return True
    return dialogs.ask_confirmation(
        parent,
        "Bundle not signed by your organisation",
        f"{origin.line}\n\nGo on to see what it would import, then decide?",
        "&Go on",
    )


class SigningDialog(FormDialog):
    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__("Bundle signing", "&Save", parent)
        self._data_dir = data_dir
        self.state = wrapped("", self)
        self.state.setAccessibleName("Bundle signing now")
        self.form.addRow(self.state)
        self.form.addRow(
            wrapped(
                "Bundles made on this laptop are signed with a key made from your "
                "organisation's passphrase, and bundles brought in are checked against it. Set "
                "the same passphrase on every laptop and check that each shows the same "
                "fingerprint. Only the key is kept, never the passphrase; anyone who knows the "
                f"passphrase can sign. Use at least {MIN_PASSPHRASE} characters.",
                self,
            )
        )
        self.passphrase = self._secret("Passphrase")
        self.repeated = self._secret("The same passphrase again")
        self.form.addRow("New &passphrase:", self.passphrase)
        self.form.addRow("Type it &again:", self.repeated)
        self.form.addRow(wrapped("When a bundle is not signed with this key:", self))
        self.policy_group = QButtonGroup(self)
        self.policy_buttons: dict[Policy, QRadioButton] = {}
        for policy in Policy:
            button = QRadioButton(POLICY_LABELS[policy], self)
            button.setAccessibleDescription(POLICY_EXPLANATIONS[policy])
            self.policy_group.addButton(button)
            self.policy_buttons[policy] = button
            self.form.addRow(button)
            self.form.addRow(wrapped(POLICY_EXPLANATIONS[policy], self))
        self.clear_button = QPushButton("&Clear the key…", self)
        self.clear_button.clicked.connect(self.clear)
        self.form.addRow(self.clear_button)
        self.submit = self.save
        self._show(self._current())
        # Wider as the text grows, so its long explanation wraps into as many lines as at normal
        # size, not twice as many, and the choices below it are not scrolled out of sight.
        self.finish_layout(width=560 * applied_text_size() // 100)

    def _secret(self, name: str) -> QLineEdit:
        field = QLineEdit(self)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setAccessibleName(name)
        return field

    def _current(self) -> Policy | None:
        """The policy, or None with no key; a damaged settings file shows as a problem."""
        try:
            signing = load_signing(self._data_dir)
        except SigningSettingsError as error:
            self.state.setText(error.message)
            self.clear_button.setEnabled(True)
            return None
        self.state.setText("\n".join(describe_signing(signing)))
        self.clear_button.setEnabled(signing is not None)
        return signing.policy if signing else None

    def _show(self, policy: Policy | None) -> None:
        self.policy_buttons[policy or Policy.REFUSE].setChecked(True)

    def chosen_policy(self) -> Policy:
        return next(policy for policy, button in self.policy_buttons.items() if button.isChecked())

    def save(self) -> None:
        """Set the key when a passphrase was typed, then the policy; says what is now set."""
        if self.passphrase.text() or self.repeated.text():
            with busy():  # deriving the key takes about a second, on purpose
                set_passphrase(self._data_dir, self.passphrase.text(), self.repeated.text())
        elif self._current() is None:
            raise UserFacingError(
                "Type your organisation's passphrase twice to set the key. Nothing was changed."
            )
        set_policy(self._data_dir, self.chosen_policy())
        dialogs.show_information(
            self, "Bundle signing", "\n".join(describe_signing(load_signing(self._data_dir)))
        )

    def clear(self) -> None:
        question = (
            "Remove the bundle signing key from this laptop? Bundles made here will no longer "
            "be signed, and where bundles brought in came from will not be checked. Setting it "
            "again needs the passphrase."
        )
        if not dialogs.ask_confirmation(self, "Clear the key", question, "&Remove the key"):
            return
        if not attempt(self, "Key not removed", lambda: clear_signing(self._data_dir)).ok:
            return
        self._show(self._current())
