"""The forms behind the incident screens: the record, people involved, support, the review."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from rrn_desktop.base.vocabulary import (
    ANSWER_LABELS,
    INVOLVEMENT_LABELS,
    RESTRAINT_TYPE_LABELS,
    Answer,
    PersonIdentity,
    Sector,
)
from rrn_desktop.content.incident_models import FieldKind, IncidentPack, SectorField
from rrn_desktop.content.loader import incident_pack, sector_questions
from rrn_desktop.core.incident_settings import (
    MAX_RETENTION_MONTHS,
    MIN_RETENTION_MONTHS,
    IncidentSettings,
    Removal,
)
from rrn_desktop.core.incidents import IncidentInfo, LearningPointInfo, StaffInfo
from rrn_desktop.core.service_info import ServiceInfo
from rrn_desktop.gui.date_field import DateField, date_edit, optional_date_edit
from rrn_desktop.gui.form_dialog import FormDialog
from rrn_desktop.gui.widgets import choice_combo, select_data, wrapped

KIND_ROLE = Qt.ItemDataRole.UserRole + 1


def _text_box(name: str, parent: QWidget, lines: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setAccessibleName(name)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 12)
    return edit


class IncidentValues(TypedDict):
    """The incident form, by the names the core's record_incident and update_incident take."""

    reference: str
    person_initials: str
    person_code: str
    occurred_at: dt.datetime
    kinds: list[str]
    duration_minutes: int | None
    place: str
    reason: str
    tried_first: str
    in_plan: Answer
    person_injured: Answer
    staff_injured: Answer
    injury_details: str
    who_told: str
    sector_answers: dict[str, str]
    person_details: dict[str, str]


class ReviewValues(TypedDict):
    """The learning review's form beyond its date, lead and checkbox, as save_review takes it."""

    lead_role: str
    before: str
    during: str
    after: str
    what_helped: str
    could_be_different: str


def _qt_date_time(when: dt.datetime) -> QDateTime:
    """A naive (local) date and time as Qt holds it, to the millisecond."""
    return QDateTime(
        QDate(when.year, when.month, when.day),
        QTime(when.hour, when.minute, when.second, when.microsecond // 1000),
    )


def _line(name: str, parent: QWidget, text: str = "") -> QLineEdit:
    edit = QLineEdit(text, parent)
    edit.setAccessibleName(name)
    return edit


class _SectorQuestion:
    """One of the sector's own questions, with the widget that answers it."""

    def __init__(self, field: SectorField, parent: QWidget) -> None:
        self.field = field
        if field.kind is FieldKind.LONG_TEXT:
            self.widget: QWidget = _text_box(field.label, parent)
        elif field.kind is FieldKind.TEXT:
            self.widget = _line(field.label, parent)
        elif field.kind is FieldKind.DATE:
            self.widget = optional_date_edit(parent)
        elif field.kind is FieldKind.YES_NO:
            self.widget = choice_combo({"": "Not recorded", **ANSWER_LABELS}, field.label, parent)
        else:
            self.widget = choice_combo(
                {"": "Not recorded", **{c: c for c in field.choices}}, field.label, parent
            )
        self.widget.setAccessibleName(field.label)
        self.widget.setToolTip(field.help)

    def set(self, value: str) -> None:
        widget = self.widget
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        elif isinstance(widget, QLineEdit):
            widget.setText(value)
        elif isinstance(widget, DateField):
            widget.set_day(dt.date.fromisoformat(value) if value else None)
        elif isinstance(widget, QComboBox):
            select_data(widget, value)

    def value(self) -> str:
        widget = self.widget
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, QLineEdit):
            return widget.text()
        if isinstance(widget, DateField):
            day = widget.day()
            return day.isoformat() if day else ""
        assert isinstance(widget, QComboBox)
        return str(widget.currentData() or "")


class IncidentDialog(FormDialog):
    """Record a new incident, or correct one. Only what is known needs filling in now."""

    def __init__(
        self,
        service: ServiceInfo,
        reference: str,
        settings: IncidentSettings,
        parent: QWidget | None = None,
        incident: IncidentInfo | None = None,
    ) -> None:
        title = "Record an incident" if incident is None else f"Edit incident {reference}"
        super().__init__(title, "&Save incident", parent)
        pack = incident_pack()
        self.reference = _line("Reference code", self, reference)
        self.initials = _line("The person's initials", self)
        self.initials.setMaxLength(10)
        self.person_code = _line("The person's code", self)
        self.person_code.setMaxLength(40)
        self.person_code.setToolTip(
            "A code your service gives the person, never their name, the same on each of their "
            "incidents, so that repeated use on one person shows in the figures."
        )
        self.about_person = [_SectorQuestion(q.as_field(), self) for q in pack.person_questions]
        now = dt.datetime.now().replace(second=0, microsecond=0)
        self.occurred_at = QDateTimeEdit(_qt_date_time(now), self)
        self.occurred_at.setAccessibleName("Date and time")
        self.occurred_at.setCalendarPopup(True)
        self.occurred_at.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.duration = QSpinBox(self)
        self.duration.setAccessibleName("Duration in minutes")
        self.duration.setRange(-1, 24 * 60)
        self.duration.setSpecialValueText("Not recorded")
        self.duration.setSuffix(" minutes")
        self.duration.setValue(-1)
        self.place = _line("Place", self)
        self.kinds = self._kind_list(pack)
        self.reason = _text_box("Why it was used", self)
        self.tried_first = _text_box("What was tried first to avoid it", self)
        self.in_plan = choice_combo(ANSWER_LABELS, "In the person's plan", self)
        self.person_injured = choice_combo(ANSWER_LABELS, "The person was injured", self)
        self.staff_injured = choice_combo(ANSWER_LABELS, "Staff were injured", self)
        for combo in (self.in_plan, self.person_injured, self.staff_injured):
            select_data(combo, Answer.UNKNOWN)
        self.injury_details = _text_box("Injury details", self, lines=2)
        self.who_told = _text_box("Who was told, and when", self, lines=2)
        record = pack.sector_record(service.sector)
        self.questions = [
            _SectorQuestion(f, self) for f in sector_questions(service.sector, service.jurisdiction)
        ]

        form = self.form
        # Labels above their fields: the questions are long and the answers need the width.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.addRow(
            wrapped(
                "The person is known by the reference code, never by name. Fill in what you "
                "know now; you can come back to add the rest.",
                self,
            )
        )
        form.addRow("&Reference code:", self.reference)
        if settings.identity is PersonIdentity.INITIALS:
            form.addRow("The person's &initials:", self.initials)
        else:
            self.initials.hide()  # reference codes only: the field is not offered
        form.addRow("The person's &code (the same on each of their incidents):", self.person_code)
        form.addRow("&Date and time:", self.occurred_at)
        form.addRow("D&uration:", self.duration)
        form.addRow("&Place:", self.place)
        form.addRow("&Kinds of intervention (tick all used):", self.kinds)
        form.addRow("W&hy it was used:", self.reason)
        form.addRow("What was &tried first:", self.tried_first)
        form.addRow("In the person's p&lan:", self.in_plan)
        form.addRow("The person was in&jured:", self.person_injured)
        form.addRow("Sta&ff were injured:", self.staff_injured)
        form.addRow("Injury details:", self.injury_details)
        form.addRow("Who was t&old, and when:", self.who_told)
        if record is not None:
            form.addRow(wrapped(f"{record.title}: {record.summary}", self))
        for question in self.questions:
            form.addRow(f"{question.field.label}:", question.widget)
        if self.about_person:
            form.addRow(
                wrapped(
                    "About the person (optional, only as their records already hold it). "
                    "These are counted only in figures by group, where no number under 5 is "
                    "ever shown.",
                    self,
                )
            )
            for question in self.about_person:
                form.addRow(f"{question.field.label}:", question.widget)
        self.finish_layout(width=720)
        if incident is not None:
            self._fill(incident)

    def _kind_list(self, pack: IncidentPack) -> QListWidget:
        kinds = QListWidget(self)
        kinds.setAccessibleName("Kinds of intervention")
        for kind in pack.interventions:
            item = QListWidgetItem(f"{RESTRAINT_TYPE_LABELS[kind.restraint_type]}: {kind.label}")
            item.setData(KIND_ROLE, kind.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            if kind.description:
                item.setToolTip(kind.description)
            kinds.addItem(item)
        kinds.setMinimumHeight(kinds.fontMetrics().lineSpacing() * 12)
        return kinds

    def _fill(self, incident: IncidentInfo) -> None:
        self.initials.setText(incident.person_initials)
        self.person_code.setText(incident.person_code)
        self.occurred_at.setDateTime(_qt_date_time(incident.occurred_at))
        self.duration.setValue(
            -1 if incident.duration_minutes is None else incident.duration_minutes
        )
        self.place.setText(incident.place)
        chosen = {i.kind_code for i in incident.interventions}
        for row in range(self.kinds.count()):
            item = self.kinds.item(row)
            checked = item.data(KIND_ROLE) in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.reason.setPlainText(incident.reason)
        self.tried_first.setPlainText(incident.tried_first)
        select_data(self.in_plan, incident.in_plan)
        select_data(self.person_injured, incident.person_injured)
        select_data(self.staff_injured, incident.staff_injured)
        self.injury_details.setPlainText(incident.injury_details)
        self.who_told.setPlainText(incident.who_told)
        for question in self.questions:
            question.set(incident.sector_answers.get(question.field.id, ""))
        for question in self.about_person:
            question.set(incident.person_details.get(question.field.id, ""))

    def check_kind(self, code: str) -> None:
        for row in range(self.kinds.count()):
            if self.kinds.item(row).data(KIND_ROLE) == code:
                self.kinds.item(row).setCheckState(Qt.CheckState.Checked)

    def values(self) -> IncidentValues:
        """Everything in the form, as the core's record_incident and update_incident take it."""
        kinds = [
            self.kinds.item(row).data(KIND_ROLE)
            for row in range(self.kinds.count())
            if self.kinds.item(row).checkState() == Qt.CheckState.Checked
        ]
        duration = self.duration.value()
        occurred_at = self.occurred_at.dateTime().toPython()
        assert isinstance(occurred_at, dt.datetime)  # a QDateTime's Python form
        return IncidentValues(
            reference=self.reference.text(),
            person_initials=self.initials.text(),
            person_code=self.person_code.text(),
            occurred_at=occurred_at,
            kinds=kinds,
            duration_minutes=None if duration < 0 else duration,
            place=self.place.text(),
            reason=self.reason.toPlainText(),
            tried_first=self.tried_first.toPlainText(),
            in_plan=self.in_plan.currentData(),
            person_injured=self.person_injured.currentData(),
            staff_injured=self.staff_injured.currentData(),
            injury_details=self.injury_details.toPlainText(),
            who_told=self.who_told.toPlainText(),
            sector_answers={q.field.id: q.value() for q in self.questions},
            person_details={q.field.id: q.value() for q in self.about_person},
        )


class PersonDialog(FormDialog):
    """A member of staff involved, or a witness."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add someone involved or a witness", "&Add", parent)
        self.name = _line("Name", self)
        self.role = _line("Role", self)
        self.involvement = choice_combo(INVOLVEMENT_LABELS, "Involvement", self)
        self.form.addRow("&Name:", self.name)
        self.form.addRow("&Role:", self.role)
        self.form.addRow("&Involvement:", self.involvement)
        self.finish_layout(width=460)


class WelfareDialog(FormDialog):
    """The welfare check offered to one member of staff or witness."""

    def __init__(self, person: StaffInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"Welfare check: {person.name}", "&Save", parent)
        self.offered_on = optional_date_edit(self)
        self.offered_on.setAccessibleName("Offered on")
        self.offered_on.set_day(person.welfare_offered_on)
        self.taken_up = choice_combo(ANSWER_LABELS, "Taken up", self)
        select_data(self.taken_up, person.welfare_taken_up)
        self.referral = _text_box("Referral", self, lines=2)
        self.referral.setPlainText(person.referral)
        self.form.addRow(
            wrapped("A welfare check should be offered within 72 hours of the incident.", self)
        )
        self.form.addRow("&Offered on:", self.offered_on)
        self.form.addRow("&Taken up:", self.taken_up)
        self.form.addRow("&Referral (for example to occupational health):", self.referral)
        self.finish_layout(width=480)


class PersonSupportDialog(FormDialog):
    """Support for the person who was restrained, in their own way and at their own pace."""

    def __init__(self, incident: IncidentInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"Support for the person: {incident.reference}", "&Save support", parent)
        support = incident.person_support
        self.offered_on = date_edit(support.offered_on if support else dt.date.today(), self)
        self.offered_on.setAccessibleName("Offered on")
        self.offered_by_role = _line("Offered by (role)", self)
        self.taken_up = choice_combo(ANSWER_LABELS, "Taken up", self)
        select_data(self.taken_up, Answer.UNKNOWN)
        self.communication = _text_box("How they chose to communicate", self, lines=2)
        self.own_account = _text_box("Their own account, in their words", self, lines=5)
        self.help_next_time = _text_box("What would help next time", self)
        if support is not None:
            self.offered_by_role.setText(support.offered_by_role)
            select_data(self.taken_up, support.taken_up)
            self.communication.setPlainText(support.communication)
            self.own_account.setPlainText(support.own_account)
            self.help_next_time.setPlainText(support.help_next_time)
        self.form.addRow(
            wrapped(
                "This is about the person's recovery, not about what went wrong: it is kept "
                "apart from the learning review. Write their account in their own words.",
                self,
            )
        )
        self.form.addRow("&Offered on:", self.offered_on)
        self.form.addRow("Offered &by (role):", self.offered_by_role)
        self.form.addRow("&Taken up:", self.taken_up)
        self.form.addRow("How they chose to &communicate:", self.communication)
        self.form.addRow("Their own &account:", self.own_account)
        self.form.addRow("What would &help next time:", self.help_next_time)
        self.finish_layout(width=620)

    def values(self) -> dict[str, object]:
        return {
            "offered_by_role": self.offered_by_role.text(),
            "taken_up": self.taken_up.currentData(),
            "communication": self.communication.toPlainText(),
            "own_account": self.own_account.toPlainText(),
            "help_next_time": self.help_next_time.toPlainText(),
        }


REVIEW_TEXTS = {
    "before": "What was happening before",
    "during": "What happened during",
    "after": "What happened after",
    "what_helped": "What helped",
    "could_be_different": "What could be different",
}


class ReviewDialog(FormDialog):
    """The learning review: a calm look at what happened, led by someone who was not there."""

    def __init__(self, incident: IncidentInfo, parent: QWidget | None = None) -> None:
        super().__init__(f"Learning review: {incident.reference}", "&Save review", parent)
        review = incident.review
        self.held_on = date_edit(review.held_on if review else dt.date.today(), self)
        self.held_on.setAccessibleName("Held on")
        self.lead_name = _line("Led by (name)", self, review.lead_name if review else "")
        self.lead_role = _line("Lead's role", self, review.lead_role if review else "")
        self.not_involved = QCheckBox(
            "The lead was &not involved in the incident and did not see it", self
        )
        self.not_involved.setChecked(review is not None)
        self.texts = {field: _text_box(label, self) for field, label in REVIEW_TEXTS.items()}
        involved = ", ".join(s.name for s in incident.staff) or "nobody recorded yet"
        self.form.addRow(
            wrapped(
                "The review looks for learning, not blame. It should be led by someone who was "
                f"not involved. Recorded as involved or watching: {involved}.",
                self,
            )
        )
        self.form.addRow("&Held on:", self.held_on)
        self.form.addRow("&Led by (name):", self.lead_name)
        self.form.addRow("Lead's &role:", self.lead_role)
        self.form.addRow(self.not_involved)
        for field, label in REVIEW_TEXTS.items():
            if review is not None:
                self.texts[field].setPlainText(getattr(review, field))
            self.form.addRow(f"{label}:", self.texts[field])
        self.finish_layout(width=640)

    def values(self) -> ReviewValues:
        text = {field: edit.toPlainText() for field, edit in self.texts.items()}
        return ReviewValues(
            lead_role=self.lead_role.text(),
            before=text["before"],
            during=text["during"],
            after=text["after"],
            what_helped=text["what_helped"],
            could_be_different=text["could_be_different"],
        )


class LearningPointDialog(FormDialog):
    """A new learning point, or (given one) a change to its words or theme."""

    def __init__(
        self, parent: QWidget | None = None, point: LearningPointInfo | None = None
    ) -> None:
        if point is None:
            super().__init__("Add a learning point", "&Add", parent)
        else:
            super().__init__("Change the learning point", "&Save", parent)
        pack = incident_pack()
        self.text = _text_box("Learning point", self)
        self.theme = choice_combo(
            {"": "No theme", **{t.id: t.label for t in pack.learning_themes}}, "Theme", self
        )
        if point is not None:
            self.text.setPlainText(point.text)
            select_data(self.theme, point.theme)
        self.form.addRow("&What was learned, or should change:", self.text)
        self.form.addRow("&Theme:", self.theme)
        self.finish_layout(width=560)


class IncidentSettingsDialog(FormDialog):
    def __init__(
        self,
        settings: IncidentSettings,
        removals: list[Removal],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Incident settings", "&Save settings", parent)
        self.initials = QCheckBox("Allow the person's &initials on incident records", self)
        self.initials.setChecked(settings.identity is PersonIdentity.INITIALS)
        self.retention = QSpinBox(self)
        self.retention.setAccessibleName("Keep records for (months)")
        self.retention.setRange(MIN_RETENTION_MONTHS, MAX_RETENTION_MONTHS)
        self.retention.setSuffix(" months")
        self.retention.setValue(settings.retention_months)
        self.form.addRow(
            wrapped(
                "These apply to every service. Without initials, the person is known only by "
                "the reference code. Records older than the retention period are listed for "
                "you to review and delete; where the law asks for records to be kept longer "
                "(three years for a mental health unit in England, say), they are kept that "
                "long.",
                self,
            )
        )
        self.form.addRow(self.initials)
        self.form.addRow("&Keep records for:", self.retention)
        self.history = wrapped(
            "Deleted at the end of the retention period so far:\n"
            + ("\n".join(removal.describe() for removal in removals) or "nothing yet"),
            self,
        )
        self.history.setAccessibleName("Records deleted so far")
        self.form.addRow(self.history)
        self.finish_layout(width=520)


def add_support_choice(dialog: FormDialog) -> QCheckBox:
    """Whether an incident's copy includes its support records, with why to leave them out."""
    include_support = QCheckBox(
        "Include &support records (the person's own account and staff welfare)", dialog
    )
    dialog.form.addRow(
        wrapped(
            "Support records are personal. Leave them out unless the reader needs them; "
            "the copy then says only whether support was offered in time.",
            dialog,
        )
    )
    dialog.form.addRow(include_support)
    return include_support


class SaveIncidentDialog(FormDialog):
    def __init__(self, incident: IncidentInfo, parent: QWidget | None = None) -> None:
        super().__init__(
            f"Save incident {incident.reference} as PDF", "&Choose where to save…", parent
        )
        self.include_support = add_support_choice(self)
        # A school gives the pupil's parents or carers a copy of the record.
        self.parents_copy = QCheckBox(
            "A copy for the pupil's &parents or carers (no one else's details)", self
        )
        self.parents_copy.toggled.connect(lambda on: self.include_support.setDisabled(on))
        if incident.service.sector is Sector.EDUCATION:
            self.form.addRow(self.parents_copy)
        else:
            self.parents_copy.hide()
        self.finish_layout()
