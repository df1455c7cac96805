"""The blanket restrictions register through the core operations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rrn_desktop.base.vocabulary import (
    ChecklistAnswer,
    Jurisdiction,
    RestraintType,
    RestrictionStatus,
    ReviewFrequency,
    Sector,
)
from rrn_desktop.content.loader import shipped_checklist
from rrn_desktop.core import restrictions
from rrn_desktop.core.restrictions import monthly_active_counts, next_review_after, summarise
from rrn_desktop.core.services import create_service
from rrn_desktop.core.validation import InputError
from rrn_desktop.storage.database import Database, open_database
from rrn_desktop.storage.errors import ChangedElsewhereError

DAY = dt.date(2026, 1, 31)


def _service(db: Database, sector: Sector = Sector.ADULT_SOCIAL_CARE) -> int:
    return create_service(db, f"Service {sector}", sector).id


def test_the_checklist_pack_is_complete_and_tagged() -> None:
    pack = shipped_checklist()
    assert len(pack.items()) >= 30
    assert [c.title for c in pack.categories] == [
        "Contact with the outside world",
        "Daily routine and food",
        "Personal possessions and money",
        "The building and outdoor space",
        "Safety and surveillance",
    ]
    assert any(item.children_prompt for _c, item in pack.items())
    assert any(item.childrens_services_only for _c, item in pack.items())
    assert len({item.restraint_type for _c, item in pack.items()}) >= 5


def test_yes_and_not_sure_open_one_register_entry_and_no_opens_none(db: Database) -> None:
    service_id = _service(db)
    first = restrictions.answer_checklist(db, service_id, "BR-ROU-02", ChecklistAnswer.YES, DAY)
    again = restrictions.answer_checklist(
        db, service_id, "BR-ROU-02", ChecklistAnswer.NOT_SURE, DAY
    )
    assert first is not None and again == first
    assert (
        restrictions.answer_checklist(db, service_id, "BR-ROU-03", ChecklistAnswer.NO, DAY) is None
    )
    unsure = restrictions.answer_checklist(
        db, service_id, "BR-SAF-03", ChecklistAnswer.NOT_SURE, DAY
    )
    entries = restrictions.list_restrictions(db, service_id)
    assert [e.title for e in entries] == ["Set bedtimes and lights out", "Cameras in the building"]
    assert entries[1].id == unsure and entries[1].status is RestrictionStatus.TO_CHECK
    assert entries[0].status is RestrictionStatus.ACTIVE
    assert [c.status for c in entries[0].status_changes] == [RestrictionStatus.ACTIVE]
    assert restrictions.checklist_answers(db, service_id) == {
        "BR-ROU-02": ChecklistAnswer.NOT_SURE,
        "BR-ROU-03": ChecklistAnswer.NO,
        "BR-SAF-03": ChecklistAnswer.NOT_SURE,
    }


def test_not_sure_is_to_check_and_not_in_place_until_a_yes_confirms_it(db: Database) -> None:
    service_id = _service(db)
    unsure = restrictions.answer_checklist(
        db, service_id, "BR-SAF-03", ChecklistAnswer.NOT_SURE, DAY
    )
    [entry] = restrictions.list_restrictions(db, service_id)
    assert entry.status is RestrictionStatus.TO_CHECK and entry.status_label == "To check"
    assert not entry.in_place and not entry.ended and entry.ended_on() is None
    summary = summarise([entry], DAY)
    assert (summary.active, summary.to_check, summary.ended_last_12_months) == (0, 1, 0)
    assert [c.active for c in monthly_active_counts([entry], DAY, months=1)] == [0]

    later = DAY + dt.timedelta(days=3)
    confirmed = restrictions.answer_checklist(
        db, service_id, "BR-SAF-03", ChecklistAnswer.YES, later
    )
    [entry] = restrictions.list_restrictions(db, service_id)
    assert confirmed == unsure and entry.in_place
    assert [(c.status, c.changed_on) for c in entry.status_changes] == [
        (RestrictionStatus.TO_CHECK, DAY),
        (RestrictionStatus.ACTIVE, later),
    ]
    assert summarise([entry], later).to_check == 0


def test_the_trend_starts_with_the_registers_first_record() -> None:
    found = dt.date(2026, 12, 2)
    entry = _fake(
        [restrictions.StatusChangeInfo(RestrictionStatus.ACTIVE, found, "")],
        next_review=dt.date(2027, 1, 2),
    )
    counts = monthly_active_counts([entry], dt.date(2026, 12, 4), months=24)
    assert [(c.month, c.active) for c in counts] == [(dt.date(2026, 12, 1), 1)]
    words = restrictions.describe_trend(counts, dt.date(2026, 12, 4))
    assert "before" not in words
    assert words == "1 blanket restriction in place at the end of December 2026."


def test_every_register_field_survives_reopening(data_dir: Path) -> None:
    with open_database(data_dir) as db:
        service_id = _service(db, Sector.CHILDRENS_SERVICES)
        entry_id = restrictions.add_custom_restriction(
            db,
            service_id,
            "Garden gate locked <at night> & weekends",
            "building",
            RestraintType.ENVIRONMENTAL,
            DAY,
        )
        restrictions.update_restriction(
            db,
            entry_id,
            rationale="Road outside; Gŵyl",
            legal_basis="Placement plan",
            individual_risk_assessment=True,
            placing_authority_agreed=True,
            in_placement_plan=False,
            child_view="Ddim yn hoffi hyn 🙁",
            review_frequency=ReviewFrequency.WEEKLY,
            authorised_on=DAY,
        )
    with open_database(data_dir) as db:
        entry = restrictions.get_restriction(db, entry_id)
    assert entry.title == "Garden gate locked <at night> & weekends"
    assert entry.category_id == "building"
    assert (entry.rationale, entry.legal_basis) == ("Road outside; Gŵyl", "Placement plan")
    assert entry.individual_risk_assessment is True
    assert (entry.placing_authority_agreed, entry.in_placement_plan) == (True, False)
    assert entry.child_view == "Ddim yn hoffi hyn 🙁"
    assert entry.review_frequency is ReviewFrequency.WEEKLY
    assert entry.authorised_on == DAY


def test_a_review_sets_the_next_date_from_the_frequency(db: Database) -> None:
    entry_id = restrictions.add_custom_restriction(
        db, _service(db), "Lounge locked at night", "building", RestraintType.BLANKET, DAY
    )
    entry = restrictions.record_review(db, entry_id, DAY, "Manager", "Still needed")
    assert entry.last_reviewed_on == DAY
    assert entry.next_review_on == dt.date(2026, 2, 28)  # a month on, at the month's end
    assert next_review_after(DAY, ReviewFrequency.QUARTERLY) == dt.date(2026, 4, 30)
    assert next_review_after(DAY, ReviewFrequency.WEEKLY) == dt.date(2026, 2, 7)


def test_next_review_can_never_be_before_the_last_review(data_dir: Path) -> None:
    with open_database(data_dir) as db:
        entry_id = restrictions.add_custom_restriction(
            db, _service(db), "Lounge locked", "building", RestraintType.BLANKET, DAY
        )
        restrictions.record_review(db, entry_id, DAY, "Manager")
        with pytest.raises(InputError) as caught:
            restrictions.update_restriction(
                db, entry_id, next_review_on=dt.date(2026, 1, 1), rationale="typed too"
            )
        assert caught.value.message == (
            "The next review (1 January 2026) cannot be before the last review "
            "(31 January 2026). Choose a later date."
        )
        with pytest.raises(InputError, match="cannot be before this review"):
            restrictions.record_review(
                db, entry_id, DAY, "Manager", next_review_on=dt.date(2026, 1, 2)
            )
    with open_database(data_dir) as db:
        entry = restrictions.get_restriction(db, entry_id)
    assert entry.next_review_on == dt.date(2026, 2, 28)
    assert entry.rationale == ""  # nothing of the refused change was saved
    assert len(entry.reviews) == 1


def test_status_history_survives_restart_and_keeps_order(data_dir: Path) -> None:
    with open_database(data_dir) as db:
        entry_id = restrictions.add_custom_restriction(
            db, _service(db), "Set bedtimes", "routine", RestraintType.BLANKET, DAY
        )
        restrictions.change_status(
            db, entry_id, RestrictionStatus.REDUCING, dt.date(2026, 3, 1), "Half the rooms"
        )
        with pytest.raises(InputError, match="cannot be before the last one"):
            restrictions.change_status(db, entry_id, RestrictionStatus.REMOVED, dt.date(2026, 2, 1))
        restrictions.change_status(db, entry_id, RestrictionStatus.REMOVED, dt.date(2026, 5, 1))
    with open_database(data_dir) as db:
        entry = restrictions.get_restriction(db, entry_id)
    assert [(c.status, c.changed_on) for c in entry.status_changes] == [
        (RestrictionStatus.ACTIVE, DAY),
        (RestrictionStatus.REDUCING, dt.date(2026, 3, 1)),
        (RestrictionStatus.REMOVED, dt.date(2026, 5, 1)),
    ]
    assert entry.ended_on() == dt.date(2026, 5, 1)
    assert entry.status_on(dt.date(2026, 4, 1)) is RestrictionStatus.REDUCING


def test_deleting_hides_an_entry_and_restoring_brings_it_back(db: Database) -> None:
    service_id = _service(db)
    entry_id = restrictions.add_custom_restriction(
        db, service_id, "Mail opened", "contact", RestraintType.BLANKET, DAY
    )
    restrictions.record_review(db, entry_id, DAY, "Manager")
    restrictions.delete_restriction(db, entry_id)
    assert restrictions.list_restrictions(db, service_id) == []
    restrictions.restore_restriction(db, entry_id)
    [entry] = restrictions.list_restrictions(db, service_id)
    assert entry.title == "Mail opened" and len(entry.reviews) == 1


def test_counts_per_month_and_summary() -> None:
    def entry(found: dt.date, *later: tuple[RestrictionStatus, dt.date]):
        changes = [restrictions.StatusChangeInfo(RestrictionStatus.ACTIVE, found, "")]
        changes += [restrictions.StatusChangeInfo(s, d, "") for s, d in later]
        return _fake(changes, next_review=dt.date(2026, 5, 1))

    today = dt.date(2026, 6, 15)
    entries = [
        entry(dt.date(2026, 1, 10)),
        entry(dt.date(2026, 1, 10), (RestrictionStatus.REMOVED, dt.date(2026, 3, 5))),
        entry(dt.date(2026, 2, 20), (RestrictionStatus.INDIVIDUALISED, dt.date(2026, 6, 1))),
    ]
    counts = monthly_active_counts(entries, today, months=6)
    assert [(c.month.month, c.active) for c in counts] == [
        (1, 2),
        (2, 3),
        (3, 2),
        (4, 2),
        (5, 2),
        (6, 1),
    ]
    summary = summarise(entries, today)
    assert (summary.active, summary.overdue) == (1, 1)
    assert (summary.removed_last_12_months, summary.ended_last_12_months) == (1, 2)


def _fake(changes: list, next_review: dt.date) -> restrictions.RestrictionInfo:
    from dataclasses import replace

    from rrn_desktop.core.services import ServiceInfo

    template = restrictions.RestrictionInfo(
        id=0,
        service=ServiceInfo(0, "x", Sector.HEALTH, Jurisdiction.ENGLAND),
        checklist_code=None,
        category_id="other",
        title="x",
        restraint_type=RestraintType.BLANKET,
        description="",
        applies_to=restrictions.AppliesTo.EVERYONE,
        applies_to_detail="",
        rationale="",
        risk="",
        individual_risk_assessment=None,
        legal_basis="",
        alternatives="",
        consulted="",
        informed="",
        authorised_by_role="",
        authorised_on=None,
        review_frequency=ReviewFrequency.MONTHLY,
        last_reviewed_on=None,
        next_review_on=next_review,
        reduction_plan="",
        status=RestrictionStatus.ACTIVE,
        identified_on=changes[0].changed_on,
        placing_authority_agreed=None,
        in_placement_plan=None,
        child_view="",
        deleted=False,
        status_changes=(),
        reviews=(),
    )
    return replace(template, status_changes=tuple(changes), status=changes[-1].status)


def test_a_save_made_from_an_older_copy_of_an_entry_is_refused(db: Database) -> None:
    service_id = _service(db)
    entry_id = restrictions.add_custom_restriction(
        db, service_id, "Mail opened", "contact", RestraintType.BLANKET, DAY
    )
    shown = restrictions.get_restriction(db, entry_id)
    restrictions.update_restriction(db, entry_id, opened=shown.row_version, rationale="Theirs")
    with pytest.raises(ChangedElsewhereError) as refused:
        restrictions.update_restriction(db, entry_id, opened=shown.row_version, rationale="Mine")
    assert refused.value.theirs.rationale == "Theirs"
    assert restrictions.get_restriction(db, entry_id).rationale == "Theirs"
    newer = refused.value.theirs.row_version
    restrictions.update_restriction(db, entry_id, opened=newer, rationale="Mine")
    assert restrictions.get_restriction(db, entry_id).rationale == "Mine"
