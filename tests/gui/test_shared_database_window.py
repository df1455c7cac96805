"""The window on a shared database: connecting from File, and an edit refused because someone
else saved the same action first, with what was typed kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from rrn_desktop.base.connection_choice import REMEMBERED
from rrn_desktop.base.vocabulary import Sector
from rrn_desktop.core import incidents, plan, restrictions
from rrn_desktop.core.services import create_service
from rrn_desktop.gui.action_editor import ActionEditor
from rrn_desktop.gui.incident_dialogs import IncidentDialog
from rrn_desktop.gui.main_window import MainWindow
from rrn_desktop.gui.shared_dialog import SHARED_REQUEST, SharedDatabaseDialog
from rrn_desktop.storage.shared import open_shared_database
from tests.gui.conftest import select_service
from tests.shared_server import SharedServer


def test_connecting_from_the_file_menu_tries_first_and_keeps_no_password_in_a_file(
    qtbot, open_window, answers, demo_dir: Path, shared_server: SharedServer, tmp_path: Path
) -> None:
    name = shared_server.new_database(shared_server.template("demo", tmp_path / "setup"))
    admin = shared_server.admin
    window = open_window(demo_dir)
    dialog = SharedDatabaseDialog(demo_dir, None, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.server.setText(admin.host or "")
    dialog.port.setValue(admin.port or 5432)
    dialog.database.setText(name)
    dialog.login.setText(admin.username or "")
    dialog.password.setText("not the password")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.problem.isVisible()
    assert "did not accept the name and password" in dialog.problem.text()
    assert not (demo_dir / REMEMBERED).exists()  # nothing kept from a try that failed

    dialog.password.setText(admin.password or "")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted
    remembered = (demo_dir / REMEMBERED).read_text(encoding="utf-8")
    assert name in remembered and str(admin.password) not in remembered
    file_menu = window.menuBar().actions()[0].menu()
    assert window.shared_action in file_menu.actions()
    window.setProperty(SHARED_REQUEST, dialog.chosen)
    assert window.property(SHARED_REQUEST).endswith(f"/{name}")


def test_a_save_over_someone_else_s_change_shows_theirs_and_keeps_what_was_typed(
    qtbot, answers, shared_server: SharedServer, tmp_path: Path
) -> None:
    name = shared_server.new_database(shared_server.template("demo", tmp_path / "setup"))
    mine = open_shared_database(shared_server.url(name), tmp_path / "me")
    theirs = open_shared_database(shared_server.url(name), tmp_path / "them")
    try:
        window = MainWindow(mine)
        qtbot.addWidget(window)
        assert window.statusBar().currentMessage().startswith("Shared database: postgresql://")
        editor = window.plan_page.editor
        assert isinstance(editor, ActionEditor)
        action = next(a for a in plan.list_actions(mine) if a.is_open)
        editor.show_action(plan.get_action(mine, action.id))
        plan.update_action(theirs, action.id, title="Their title, saved first")

        answers.confirm = False  # take theirs
        editor.title.setFocus()
        editor.title.setText("My title ŵ <&>")
        editor.flush()
        assert answers.questions[-1] == "Changed by someone else"
        assert editor.title.text() == "Their title, saved first"
        assert plan.get_action(theirs, action.id).title == "Their title, saved first"

        plan.update_action(theirs, action.id, title="Their second title")
        answers.confirm = True  # save mine over theirs
        editor.title.setText("My title ŵ <&>")
        editor.flush()
        assert plan.get_action(theirs, action.id).title == "My title ŵ <&>"

        # Someone else adds a service: F5 shows it here.
        create_service(theirs, "Ty Ŵyn <new> & open", Sector.ADULT_SOCIAL_CARE)
        listed = [window.services.item(r).text() for r in range(window.services.count())]
        assert not any("Ty Ŵyn" in text for text in listed)
        window.refresh_action.trigger()
        listed = [window.services.item(r).text() for r in range(window.services.count())]
        assert any(text.startswith("Ty Ŵyn <new> & open") for text in listed)
        window.close()
    finally:
        mine.close()
        theirs.close()


def test_a_register_entry_changed_elsewhere_asks_before_saving_over_it(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    select_service(window, "Willow House")
    page = window.service_page
    page.tabs.setCurrentWidget(page.restrictions)
    panel = page.restrictions
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.proxy.index(0, 0))
    editor = panel.editor
    shown = editor.entry
    assert shown is not None
    # The same entry saved meanwhile (on a shared database: by someone else).
    restrictions.update_restriction(
        window._db, shown.id, opened=shown.row_version, rationale="Theirs, saved first"
    )
    answers.confirm = False
    editor.texts["rationale"].setPlainText("Mine ŵ <&>")
    editor.flush()
    assert answers.questions[-1] == "Changed by someone else"
    assert editor.texts["rationale"].toPlainText() == "Theirs, saved first"

    restrictions.update_restriction(window._db, shown.id, rationale="Theirs again")
    answers.confirm = True
    editor.texts["rationale"].setPlainText("Mine ŵ <&>")
    editor.flush()
    assert restrictions.get_restriction(window._db, shown.id).rationale == "Mine ŵ <&>"


def test_an_incident_changed_elsewhere_is_saved_over_only_on_a_second_save(
    qtbot, open_window, answers, demo_dir: Path
) -> None:
    window = open_window(demo_dir)
    select_service(window, "Willow House")
    page = window.service_page
    page.tabs.setCurrentWidget(page.incidents)
    panel = page.incidents
    shown = incidents.list_incidents(window._db, page.service.id)[0]
    panel.select(shown.id)
    assert panel.view.incident is not None and panel.view.incident.id == shown.id
    panel.edit_incident()
    dialog = window.findChild(IncidentDialog)
    assert dialog is not None
    # Saved meanwhile (on a shared database: by someone else).
    incidents.update_incident(window._db, shown.id, opened=shown.row_version, place="Theirs")
    dialog.place.setText("Mine ŵ <&>")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.problem.text().startswith("Someone else changed this since you opened it.")
    assert dialog.place.text() == "Mine ŵ <&>"  # nothing typed is lost
    assert incidents.get_incident(window._db, shown.id).place == "Theirs"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert incidents.get_incident(window._db, shown.id).place == "Mine ŵ <&>"
