"""A date typed as people in the UK write it (31/12/2026), checked as it is typed, with a
calendar to pick from for anyone who would rather point.

A date field is empty or holds a date. What it holds is read with `day()`, which refuses text
that is not a date with a plain message naming the field: so a form never saves a date other
than the one typed. The message also shows below the field while the text is wrong.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.base.errors import InputError
from rrn_desktop.core.dates import FIRST_YEAR, LAST_YEAR, TYPE_A_DATE, parse_day, short_date
from rrn_desktop.gui.form_dialog import FormDialog
from rrn_desktop.gui.text_size import follow_text_size
from rrn_desktop.gui.theme import warning_style

PLACEHOLDER = "dd/mm/yyyy"
# Alt+Down is how Windows opens any drop-down from the keyboard; F4 is its older twin.
CALENDAR_KEYS = "Alt+Down or F4"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class _DateLine(QLineEdit):
    """The text box, which opens the calendar on the keys Windows uses for drop-downs."""

    calendar_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = event.key() == Qt.Key.Key_Down and (
            event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if alt_down or event.key() == Qt.Key.Key_F4:
            self.calendar_requested.emit()
            return
        super().keyPressEvent(event)


class CalendarPopup(QFrame):
    """A month to pick a day from; Enter or a click chooses, Escape leaves the date as it was."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget(self)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar.setDateRange(QDate(FIRST_YEAR, 1, 1), QDate(LAST_YEAR, 12, 31))
        self.calendar.clicked.connect(self._choose)
        self.calendar.activated.connect(self._choose)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.calendar)

    def open_at(self, day: dt.date, below: QWidget) -> None:
        self.calendar.setSelectedDate(_qdate(day))
        self.adjustSize()
        # Below the field, or above it where the screen has no room below.
        room = below.screen().availableGeometry()
        place = below.mapToGlobal(QPoint(0, below.height()))
        if place.y() + self.height() > room.bottom():
            place.setY(below.mapToGlobal(QPoint(0, 0)).y() - self.height())
        place.setX(max(room.left(), min(place.x(), room.right() - self.width())))
        self.move(place)
        self.show()
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _choose(self, date: QDate) -> None:
        self.close()
        self.chosen.emit(dt.date(date.year(), date.month(), date.day()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)


class DateField(QWidget):
    """A date to type as day/month/year, with a calendar button beside it.

    An optional field may be left empty (no date); a required one refuses to be. `changed` is
    sent whenever the text changes, typed, picked or set: `problem()` says whether it is a date.
    """

    changed = Signal()

    def __init__(self, required: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._required = required
        self._name = "Date"
        self.line = _DateLine(self)
        self.line.setPlaceholderText(PLACEHOLDER)
        self.calendar_button = QToolButton(self)
        self.calendar_button.setText("Calendar")
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet(warning_style())
        self.message.hide()
        self.popup: CalendarPopup | None = None
        follow_text_size(self.line, self._fit_line)

        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line, 0, 0)
        layout.addWidget(self.calendar_button, 0, 1)
        layout.addWidget(self.message, 1, 0, 1, 2)
        layout.setColumnStretch(0, 1)
        # Focus given to the field (by its label's Alt letter, say) goes to the text box.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFocusProxy(self.line)

        self.line.textChanged.connect(self._text_changed)
        self.line.editingFinished.connect(self._tidy)
        self.line.calendar_requested.connect(self.open_calendar)
        self.calendar_button.clicked.connect(self.open_calendar)
        self.setAccessibleName(self._name)
        self._show_problem()

    def setAccessibleName(self, name: str) -> None:
        """Name the text box and its calendar button for screen readers, after the field."""
        self._name = name
        super().setAccessibleName(name)
        self.line.setAccessibleName(name)
        self.calendar_button.setAccessibleName(f"Calendar for {name.lower()}")
        self.calendar_button.setToolTip(f"Pick the {name.lower()} from a calendar")
        self.line.setToolTip(
            f"Type the {name.lower()} as day/month/year, for example 31/12/2026, "
            f"or press {CALENDAR_KEYS} to pick it from a calendar."
        )
        self.message.setAccessibleName(f"Problem with the {name.lower()}")

    def problem(self) -> str:
        """What is wrong with the text as a date, in plain words ("" when nothing is)."""
        if self._required and not self.line.text().strip():
            return TYPE_A_DATE
        try:
            parse_day(self.line.text())
        except InputError as error:
            return error.message
        return ""

    def day(self) -> dt.date | None:
        """The date typed, or None when an optional field is left empty.

        Raises InputError, naming the field, when the text is not a date."""
        if problem := self.problem():
            raise InputError(f"{self._name}: {problem}")
        return parse_day(self.line.text())

    def set_day(self, day: dt.date | None) -> None:
        self.line.setText(short_date(day))

    def open_calendar(self) -> None:
        """At the date in the field, or today when it holds none."""
        if self.popup is None:
            self.popup = CalendarPopup(self)
            self.popup.calendar.setAccessibleName(f"Calendar for {self._name.lower()}")
            self.popup.chosen.connect(self._picked)
        start = None if self.problem() else parse_day(self.line.text())
        self.popup.open_at(start or dt.date.today(), self.line)

    def _picked(self, day: dt.date) -> None:
        self.set_day(day)
        self.line.setFocus(Qt.FocusReason.PopupFocusReason)

    def _text_changed(self) -> None:
        self._show_problem()
        self.changed.emit()

    def _show_problem(self) -> None:
        problem = self.problem()
        self.message.setText(problem)
        self.line.setAccessibleDescription(problem)
        if self.message.isVisibleTo(self) != bool(problem):
            self.message.setVisible(bool(problem))
            self._make_room()

    def _make_room(self) -> None:
        """A form sized before the message showed is fitted again so it shows whole (never
        smaller than it was: the user may have made it larger)."""
        window = self.window()
        if not isinstance(window, FormDialog) or not window.isVisible():
            return
        # Every size between the message and the dialog counted again now (a scroll area
        # holding the fields does not pass on that they grew).
        widget: QWidget | None = self
        while widget is not None and widget is not window:
            widget.updateGeometry()
            widget = widget.parentWidget()
        size = window.size()
        window.fit(size.width())
        window.resize(window.size().expandedTo(size))

    def _tidy(self) -> None:
        """Once typing stops, a date written another way is shown as 31/12/2026."""
        if not self.problem():
            tidy = short_date(parse_day(self.line.text()))
            if tidy != self.line.text():
                # The same date, so nothing to tell (an autosave would only save it again).
                self.blockSignals(True)
                try:
                    self.line.setText(tidy)
                finally:
                    self.blockSignals(False)

    def _fit_line(self) -> None:
        # Room for a whole date and a little more, at any text size.
        self.line.setMinimumWidth(self.line.fontMetrics().horizontalAdvance("31/12/2026 00"))


def optional_date_edit(parent: QWidget | None = None) -> DateField:
    """A date field that may be left empty: no date."""
    return DateField(required=False, parent=parent)


def date_edit(value: dt.date, parent: QWidget | None = None) -> DateField:
    """A date field that must hold a date, starting at value."""
    field = DateField(required=True, parent=parent)
    field.set_day(value)
    return field


def chosen_day(field: DateField) -> dt.date:
    """The date in a required field; InputError, in plain words, when the text is not one."""
    day = field.day()
    if day is None:
        raise InputError(f"{field.accessibleName()}: {TYPE_A_DATE}")
    return day
