"""One incident in three tabs that are never mixed: the record, support, and the learning review.

Support records stay hidden until someone asks to see them, so they are not read over a
shoulder while the record or the review is being worked on.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.base.vocabulary import ANSWER_LABELS
from rrn_desktop.content.loader import incident_pack, rule_pack_for
from rrn_desktop.core import plan
from rrn_desktop.core.dates import long_date, long_moment
from rrn_desktop.core.deadlines import within_72_hours
from rrn_desktop.core.incidents import IncidentInfo
from rrn_desktop.core.recording_duties import DeadlineState
from rrn_desktop.core.wording import plural
from rrn_desktop.gui.history_dialog import show_record_history
from rrn_desktop.gui.incident_dialogs import REVIEW_TEXTS
from rrn_desktop.gui.reflow import button_row, size_by_shown_page
from rrn_desktop.gui.text_size import follow_text_size
from rrn_desktop.gui.theme import warning_colour
from rrn_desktop.gui.widgets import heading, wrapped
from rrn_desktop.storage.database import Database

ID_ROLE = Qt.ItemDataRole.UserRole + 1
NOT_RECORDED = "Not recorded"


def _rows(pairs: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<tr><td style='padding-right:12px'><b>{html.escape(label)}</b></td>"
        f"<td>{html.escape(value or NOT_RECORDED).replace(chr(10), '<br>')}</td></tr>"
        for label, value in pairs
    )
    return f"<table cellspacing='2'>{cells}</table>"


def _in_time(incident: IncidentInfo, on: dt.date | None) -> str:
    if on is None:
        return "Not offered yet"
    timing = "within" if within_72_hours(incident.occurred_at, on) else "after"
    return f"{long_date(on)} ({timing} 72 hours)"


def record_html(incident: IncidentInfo) -> str:
    minutes = incident.duration_minutes
    duration = "" if minutes is None else plural(minutes, "minute")
    pairs = [
        ("Reference", incident.reference),
        ("When", long_moment(incident.occurred_at)),
        ("Duration", duration),
        ("Place", incident.place),
        ("Types", incident.types_text),
        ("Kinds", incident.kinds_text),
        ("Why it was used", incident.reason),
        ("What was tried first", incident.tried_first),
        ("In the person's plan", ANSWER_LABELS[incident.in_plan]),
        ("The person was injured", ANSWER_LABELS[incident.person_injured]),
        ("Staff were injured", ANSWER_LABELS[incident.staff_injured]),
        ("Injury details", incident.injury_details),
        ("Who was told", incident.who_told),
    ]
    if incident.person_code:
        pairs.insert(1, ("The person's code", incident.person_code))
    if incident.person_initials:
        pairs.insert(1, ("Initials", incident.person_initials))
    pack = incident_pack()
    pairs += [
        (question.label, incident.person_details[question.id])
        for question in pack.person_questions
        if question.id in incident.person_details
    ]
    record = pack.sector_record(incident.service.sector)
    extra = ""
    if record is not None:
        answers = [(a.label, a.value) for a in incident.answers_for()]
        extra = f"<h4>{html.escape(record.title)}</h4>" + (
            _rows(answers) if answers else "<p>No answers yet.</p>"
        )
    return _rows(pairs) + extra


def duties_html(incident: IncidentInfo, today: dt.date) -> str:
    """What the recording rules of the service's nation and sector still need of the record."""
    rules = rule_pack_for(incident.service.jurisdiction, incident.service.sector)
    if rules is None:
        return ""
    title = f"<h4>What the law asks: {html.escape(rules.title)}</h4>"
    check = incident.legal_check(today)
    if check is None:
        when = long_date(rules.in_force_from) if rules.in_force_from else "later"
        return title + f"<p>These rules apply to incidents from {when}.</p>"
    warn = warning_colour().name()
    lines = [
        f"<li style='color:{warn}'>Missing: {html.escape(fact.label)}</li>"
        for fact in check.missing
    ]
    for deadline in check.deadlines:
        late = deadline.state in (DeadlineState.OVERDUE, DeadlineState.LATE)
        style = f" style='color:{warn}'" if late else ""
        lines.append(f"<li{style}>{html.escape(deadline.text)}</li>")
    lines += [
        f"<li>{html.escape(fact.label)}: {html.escape(fact.kept_elsewhere)}</li>"
        for fact in check.kept_elsewhere
    ]
    verdict = "Complete." if check.complete else "Not complete yet."
    keep = (
        f" Keep the record for {plural(rules.retention_years, 'year')}."
        if rules.retention_years
        else ""
    )
    return title + f"<p>{verdict}{keep}</p><ul>{''.join(lines)}</ul>"


def support_html(incident: IncidentInfo) -> str:
    support = incident.person_support
    if support is None:
        person = "<p>No support for the person recorded yet.</p>"
    else:
        person = _rows(
            [
                ("Offered", _in_time(incident, support.offered_on)),
                ("Offered by", support.offered_by_role),
                ("Taken up", support.taken_up_label),
                ("How they chose to communicate", support.communication),
                ("Their own account", support.own_account),
                ("What would help next time", support.help_next_time),
            ]
        )
    staff = [
        (
            f"{s.name} ({s.involvement_label.lower()})",
            f"{_in_time(incident, s.welfare_offered_on)}; taken up: "
            f"{s.taken_up_label.lower()}" + (f"; referral: {s.referral}" if s.referral else ""),
        )
        for s in incident.staff
    ]
    staff_html = _rows(staff) if staff else "<p>No staff or witnesses recorded yet.</p>"
    return (
        "<h4>The person</h4>" + person + "<h4>Staff and witnesses: welfare checks</h4>" + staff_html
    )


def review_html(incident: IncidentInfo, now: dt.datetime) -> str:
    review = incident.review
    if review is None:
        due = long_moment(incident.review_due_by)
        if incident.review_overdue(now):
            return (
                f"<p style='color:{warning_colour().name()}'>"
                f"<b>MISSING: the review was due by {due}.</b></p>"
            )
        return f"<p>Not held yet. It should be held by {due}.</p>"
    timing = "within 72 hours" if incident.review_within_72_hours else "after 72 hours"
    pairs = [
        ("Held", f"{long_date(review.held_on)} ({timing})"),
        ("Led by", ", ".join(p for p in (review.lead_name, review.lead_role) if p)),
    ] + [(label, getattr(review, field)) for field, label in REVIEW_TEXTS.items()]
    return _rows(pairs)


class IncidentView(QWidget):
    edit_requested = Signal()
    delete_requested = Signal()
    save_requested = Signal()
    add_person_requested = Signal()
    remove_person_requested = Signal(int)
    support_requested = Signal()
    welfare_requested = Signal(int)
    review_requested = Signal()
    add_point_requested = Signal()
    point_to_action_requested = Signal(int)
    edit_point_requested = Signal(int)
    remove_point_requested = Signal(int)
    open_action_requested = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db  # read only, to show where each learning point's action has got to
        self._incident: IncidentInfo | None = None
        self.now = dt.datetime.now
        self.heading = heading("", self, level=2)
        self.tabs = QTabWidget(self)

        # The record.
        self.record = QTextBrowser(self)
        self.record.setAccessibleName("The incident record")
        self.edit_button = QPushButton("Ed&it incident…", self)
        self.add_person_button = QPushButton("Add &someone involved or a witness…", self)
        self.people = QListWidget(self)
        self.people.setAccessibleName("Staff involved and witnesses")
        follow_text_size(
            self.people, lambda: self.people.setMaximumHeight(self.fontMetrics().lineSpacing() * 5)
        )
        self.remove_person_button = QPushButton("Remove the chosen &person", self)
        self.save_button = QPushButton("Save as &PDF…", self)
        self.delete_button = QPushButton("De&lete incident…", self)
        self.edit_button.clicked.connect(self.edit_requested)
        self.add_person_button.clicked.connect(self.add_person_requested)
        self.remove_person_button.clicked.connect(self._remove_person)
        self.save_button.clicked.connect(self.save_requested)
        self.delete_button.clicked.connect(self.delete_requested)
        self.history_button = QPushButton("Histor&y…", self)
        self.history_button.clicked.connect(self._show_history)
        record_tab = QWidget(self)
        record_layout = QVBoxLayout(record_tab)
        record_layout.addLayout(
            button_row(self.edit_button, self.save_button, self.delete_button, self.history_button)
        )
        record_layout.addWidget(self.record, stretch=1)
        record_layout.addWidget(wrapped("Staff involved and witnesses:", record_tab))
        record_layout.addWidget(self.people)
        record_layout.addLayout(button_row(self.add_person_button, self.remove_person_button))

        # Support, behind a deliberate step.
        self.support_veil = wrapped(
            "Support records are private: the person's own account and staff welfare. "
            "They are kept apart from the learning review and shown only when you ask.",
            self,
        )
        self.show_support_button = QPushButton("S&how support records", self)
        self.show_support_button.clicked.connect(lambda: self._reveal_support(True))
        self.support = QTextBrowser(self)
        self.support.setAccessibleName("Support records")
        self.person_support_button = QPushButton("Record support for the &person…", self)
        self.person_support_button.clicked.connect(self.support_requested)
        self.welfare_button = QPushButton("Record a &welfare check…", self)
        self.welfare_button.clicked.connect(self._welfare)
        self.hide_support_button = QPushButton("Hide support records", self)
        self.hide_support_button.clicked.connect(lambda: self._reveal_support(False))
        support_tab = QWidget(self)
        support_layout = QVBoxLayout(support_tab)
        support_layout.addWidget(self.support_veil)
        support_layout.addWidget(self.show_support_button, alignment=Qt.AlignmentFlag.AlignLeft)
        support_layout.addLayout(
            button_row(self.person_support_button, self.welfare_button, self.hide_support_button)
        )
        support_layout.addWidget(self.support, stretch=1)

        # The learning review.
        self.review = QTextBrowser(self)
        self.review.setAccessibleName("The learning review")
        self.review_button = QPushButton("Record the learning &review…", self)
        self.review_button.clicked.connect(self.review_requested)
        self.points = QListWidget(self)
        self.points.setAccessibleName("Learning points")
        self.points.setWordWrap(True)
        self.points.currentItemChanged.connect(lambda *_: self._point_chosen())
        self.points.itemActivated.connect(lambda _item: self._open_or_make_action())
        self.add_point_button = QPushButton("Add a learning &point…", self)
        self.add_point_button.clicked.connect(self.add_point_requested)
        self.to_action_button = QPushButton("Make it an &action on the plan", self)
        self.to_action_button.clicked.connect(self._to_action)
        self.open_action_button = QPushButton("Show the action in the p&lan", self)
        self.open_action_button.clicked.connect(self._open_action)
        self.edit_point_button = QPushButton("Chan&ge the learning point…", self)
        self.edit_point_button.clicked.connect(
            lambda: self._point_request(self.edit_point_requested)
        )
        self.remove_point_button = QPushButton("Remove the learning poin&t…", self)
        self.remove_point_button.clicked.connect(
            lambda: self._point_request(self.remove_point_requested)
        )
        review_tab = QWidget(self)
        review_layout = QVBoxLayout(review_tab)
        review_layout.addLayout(button_row(self.review_button))
        review_layout.addWidget(self.review, stretch=1)
        review_layout.addWidget(wrapped("Learning points (Enter makes or opens the action):"))
        review_layout.addWidget(self.points)
        review_layout.addLayout(
            button_row(
                self.add_point_button,
                self.edit_point_button,
                self.remove_point_button,
                self.to_action_button,
                self.open_action_button,
            )
        )

        self.tabs.addTab(record_tab, "The &incident")
        self.tabs.addTab(support_tab, "S&upport")
        self.tabs.addTab(review_tab, "&Learning review")
        size_by_shown_page(self.tabs)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, stretch=1)
        self.show_incident(None)

    @property
    def incident(self) -> IncidentInfo | None:
        return self._incident

    def show_incident(self, incident: IncidentInfo | None) -> None:
        changed = incident is None or self._incident is None or self._incident.id != incident.id
        self._incident = incident
        self.tabs.setEnabled(incident is not None)
        if changed:
            self._reveal_support(False)
        if incident is None:
            self.heading.setText("Choose an incident to see it, or record a new one.")
            for browser in (self.record, self.support, self.review):
                browser.clear()
            self.people.clear()
            self.points.clear()
            return
        self.heading.setText(
            f"{incident.reference}: {long_date(incident.occurred_at)} ({incident.types_text})"
        )
        self.record.setHtml(duties_html(incident, self.now().date()) + record_html(incident))
        self.support.setHtml(support_html(incident))
        self.review.setHtml(review_html(incident, self.now()))
        self.people.clear()
        for person in incident.staff:
            item = QListWidgetItem(
                f"{person.name}{', ' + person.role if person.role else ''} "
                f"({person.involvement_label.lower()})"
            )
            item.setData(ID_ROLE, person.id)
            self.people.addItem(item)
        self.remove_person_button.setEnabled(bool(incident.staff))
        self.welfare_button.setEnabled(bool(incident.staff))
        self.review_button.setText(
            "Edit the learning &review…" if incident.review else "Record the learning &review…"
        )
        self._show_points(incident)

    def _show_points(self, incident: IncidentInfo) -> None:
        current = self.points.currentRow()
        self.points.clear()
        points = incident.review.points if incident.review else ()
        for point in points:
            theme = f" [{point.theme_label}]" if point.theme_label else ""
            where = ""
            if point.action_id is not None:
                action = plan.get_action(self._db, point.action_id)
                where = f" → on the plan ({action.status_label})"
            item = QListWidgetItem(f"{point.text}{theme}{where}")
            item.setData(ID_ROLE, point.id)
            item.setData(ID_ROLE + 1, point.action_id)
            self.points.addItem(item)
        if points:
            self.points.setCurrentRow(min(max(current, 0), len(points) - 1))
        self.add_point_button.setEnabled(incident.review is not None)
        self._point_chosen()

    def _point_chosen(self) -> None:
        item = self.points.currentItem()
        has_action = item is not None and item.data(ID_ROLE + 1) is not None
        self.to_action_button.setEnabled(item is not None and not has_action)
        self.edit_point_button.setEnabled(item is not None)
        self.remove_point_button.setEnabled(item is not None)
        self.open_action_button.setEnabled(has_action)

    def _reveal_support(self, shown: bool) -> None:
        self.support_veil.setVisible(not shown)
        self.show_support_button.setVisible(not shown)
        for widget in (
            self.support,
            self.person_support_button,
            self.welfare_button,
            self.hide_support_button,
        ):
            widget.setVisible(shown)

    def support_shown(self) -> bool:
        return not self.support.isHidden()

    def _show_history(self) -> None:
        if self._incident is not None:
            name = f"incident {self._incident.reference}"
            show_record_history(self, self._db, "incident", self._incident.id, name)

    def _remove_person(self) -> None:
        item = self.people.currentItem()
        if item is not None:
            self.remove_person_requested.emit(item.data(ID_ROLE))

    def _welfare(self) -> None:
        if self._incident is None or not self._incident.staff:
            return
        item = self.people.currentItem()
        chosen = item.data(ID_ROLE) if item is not None else self._incident.staff[0].id
        self.welfare_requested.emit(chosen)

    def _point_request(self, request: SignalInstance) -> None:
        item = self.points.currentItem()
        if item is not None:
            request.emit(item.data(ID_ROLE))

    def _to_action(self) -> None:
        item = self.points.currentItem()
        if item is not None and item.data(ID_ROLE + 1) is None:
            self.point_to_action_requested.emit(item.data(ID_ROLE))

    def _open_action(self) -> None:
        item = self.points.currentItem()
        if item is not None and item.data(ID_ROLE + 1) is not None:
            self.open_action_requested.emit(item.data(ID_ROLE + 1))

    def _open_or_make_action(self) -> None:
        item = self.points.currentItem()
        if item is None:
            return
        if item.data(ID_ROLE + 1) is None:
            self._to_action()
        else:
            self._open_action()
