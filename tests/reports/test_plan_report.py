"""The restraint reduction plan PDF, checked by the text an inspector gets out of it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import STRATEGY_LABELS, ActionStatus, Purpose, Sector, Strategy
from rrn_desktop.core import benchmarks, plan
from rrn_desktop.core.services import ServiceInfo, create_service
from rrn_desktop.reports.house_style import long_date
from rrn_desktop.reports.plan_report import ReportResult, write_plan_report
from rrn_desktop.storage.database import Database
from tests.reports.helpers import FILLER, PEOPLE, PdfText, read_pdf
from tests.reports.page_fill import emptier_than_a_third

TODAY = dt.date(2026, 11, 20)
PLEDGE_MADE = dt.date(2025, 1, 10)  # the period ends on 10 January 2027, 51 days on
STATEMENT = "We will <b>halve</b> restraint & seclusion by 2027 at Tŷ Gŵyn and every home."

BOARD_LEAD = "Name a board lead for restraint reduction"
FIGURES = "Review restraint figures every month"
TRAINING = "Train every member of staff in de-escalation"
SENSORY = "Sensory room at Willow House"
ASPEN_ONLY = "Aspen Court garden project"
BENCHMARK_ACTION = "Anonymise every person's data in the training needs analysis"

BOARD_DUE = dt.date(2026, 3, 1)
TRAINING_DONE = dt.date(2026, 9, 15)
HELD_ON = dt.date(2026, 11, 10)


@dataclass(frozen=True)
class Plan:
    willow: ServiceInfo
    aspen: ServiceInfo


def _days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


@pytest.fixture
def full_plan(db: Database, service: ServiceInfo) -> Plan:
    """A pledge, one staff pledge and actions of every kind over two services."""
    aspen = create_service(db, "Aspen Court", Sector.HEALTH)
    plan.make_pledge(
        db,
        STATEMENT,
        PLEDGE_MADE,
        signed_by="Morgan Chief",
        signed_role="Chief executive",
        published=True,
        published_where="Our website and the RRN members' pledge page",
    )
    plan.add_staff_pledge(
        db,
        "Siân Owen",
        "Lead a debrief after every restraint on my shift.",
        dt.date(2025, 2, 1),
        review_on=dt.date(2026, 2, 1),
    )

    # Whole organisation, planned and long past its due date.
    plan.create_action(
        db,
        BOARD_LEAD,
        Strategy.LEADERSHIP,
        dt.date(2025, 2, 1),
        owner_name="Morgan Chief",
        owner_role="Chief executive",
        due_on=BOARD_DUE,
    )
    # Measured, in progress, with a progress log.
    figures = plan.create_action(
        db,
        FIGURES,
        Strategy.DATA,
        dt.date(2025, 3, 1),
        service_id=service.id,
        owner_name="Alex Manager",
        due_on=dt.date(2027, 3, 1),
        outcome_measure="Restraints a month",
        outcome_baseline=12,
        outcome_target=4,
        description="Figures by shift and by person, looked at in the monthly meeting.",
    )
    plan.move_forward(db, figures.id, dt.date(2025, 4, 1))
    plan.add_reading(db, figures.id, 9, dt.date(2026, 5, 1), "After the new rota")
    plan.add_reading(db, figures.id, 7, dt.date(2026, 10, 1), "Quieter summer")
    plan.add_note(db, figures.id, dt.date(2026, 6, 2), "First report went to the board.")
    # Done in the period.
    training = plan.create_action(
        db, TRAINING, Strategy.WORKFORCE, dt.date(2025, 3, 1), due_on=dt.date(2026, 12, 1)
    )
    plan.move_forward(db, training.id, dt.date(2025, 6, 1))
    plan.move_forward(db, training.id, TRAINING_DONE)
    # Dropped, with the reason.
    sensory = plan.create_action(
        db, SENSORY, Strategy.TOOLS, dt.date(2025, 3, 1), service_id=service.id
    )
    plan.set_status(
        db,
        sensory.id,
        ActionStatus.DROPPED,
        dt.date(2026, 1, 5),
        "The room is needed as a bedroom.",
    )
    # Another service's action.
    plan.create_action(
        db, ASPEN_ONLY, Strategy.INVOLVEMENT, dt.date(2025, 3, 1), service_id=aspen.id
    )
    # From a benchmark item.
    benchmark = benchmarks.start_benchmark(db, service.id, HELD_ON, Purpose.SELF_AUDIT, PEOPLE)
    benchmarks.update_response(
        db, benchmark.id, "1.1.2", needs_action=True, action_text=BENCHMARK_ACTION
    )
    return Plan(willow=service, aspen=aspen)


def _write(
    db: Database, out: Path, service_id: int | None = None, **options: object
) -> tuple[ReportResult, PdfText]:
    result = write_plan_report(db, out, service_id=service_id, today=TODAY, **options)
    return result, read_pdf(out)


def _between(text: str, start: str, end: str) -> str:
    begin = text.index(start)
    return text[begin : text.index(end, begin + len(start))]


def test_whole_plan_prints_every_part(db: Database, full_plan: Plan, tmp_path: Path) -> None:
    seen: list[float] = []
    result, pdf = _write(db, tmp_path / "plan.pdf", progress=seen.append)
    text = pdf.flat

    assert result.page_count == len(pdf.pages)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    assert "Page 1 of" in pdf.pages[0] and "Restraint reduction plan" in pdf.pages[0]
    assert "End of report" in pdf.pages[-1]
    assert all("End of report" not in page for page in pdf.pages[:-1])

    # Every strategy is printed; those with no actions are named once, in one sentence.
    for label in STRATEGY_LABELS.values():
        assert label in text, label
    assert "No actions yet under 6. Debriefing and learning after incidents." in text
    assert "Training Standard 1.4.4" in text
    assert "1 of the 6 actions has a measurable outcome." in text

    # The pledge, verbatim, with its renewal line and the individual pledge.
    assert STATEMENT in text
    assert "Morgan Chief" in text and "Chief executive" in text
    assert "Our website and the RRN members' pledge page" in text
    assert "The pledge period ends on 10 January 2027: time to renew it." in text
    assert "Siân Owen" in text and "Lead a debrief after every restraint on my shift." in text

    # The overdue action is listed first, marked in words, with the days overdue.
    late = f"OVERDUE by {(TODAY - BOARD_DUE).days} days"
    overdue = _between(text, "Overdue actions", "Actions by strategy")
    assert BOARD_LEAD in overdue and late in overdue and long_date(BOARD_DUE) in overdue
    assert FIGURES not in overdue
    assert text.count(late) >= 4  # the table, the action's line, its entry's heading and due

    # The measured outcome: baseline, latest and target, and the readings.
    assert "Restraints a month: baseline 12 → latest 7 (1 October 2026) → target 4" in text
    assert "Quieter summer" in text and "After the new rota" in text
    assert "First report went to the board." in text
    assert "Figures by shift and by person" in text

    # Dropped with its reason; every status change dated.
    assert "The room is needed as a bedroom." in text
    assert "Why it was dropped" in text
    assert f"{long_date(TRAINING_DONE)} · Done" in text

    # Where actions came from: counted in the summary, named down to the benchmark item in the
    # action's full entry.
    assert (
        "Where the actions came from: 1 from benchmarks of training (1 still open); and 5 added "
        "to the plan directly (3 still open)." in text
    )
    assert f"Benchmark item 1.1.2, benchmark of {long_date(HELD_ON)} (Willow House)" in text

    # Achieved in the period: the done action with its date, and the outcome that improved.
    achieved = _between(text, "Actions completed", "To be signed by")
    assert TRAINING in achieved and long_date(TRAINING_DONE) in achieved
    assert FIGURES in achieved and "62% of the way to the target of 4" in achieved
    assert BOARD_LEAD not in achieved

    # The whole organisation includes every service's actions.
    assert ASPEN_ONLY in text
    assert "Name Role Signature Date" in text[text.index("To be signed by") :]
    # The appendix follows the sign-off, with every action in full.
    appendix = text[text.index("Appendix: every action in full") :]
    for title in (BOARD_LEAD, FIGURES, TRAINING, SENSORY, ASPEN_ONLY, BENCHMARK_ACTION):
        assert title in appendix, title


def test_summary_counts_by_strategy(db: Database, full_plan: Plan, tmp_path: Path) -> None:
    _result, pdf = _write(db, tmp_path / "plan.pdf")
    summary = _between(pdf.flat, "Summary", "Overdue actions")

    # Planned, in progress, done, dropped, overdue, total.
    assert "1. Leadership towards organisational change 1 0 0 0 1 1" in summary
    assert "2. Using data to inform practice 0 1 0 0 0 1" in summary
    assert "3. Workforce development 1 0 1 0 0 2" in summary  # the training and the benchmark
    assert "4. Using restraint reduction tools 0 0 0 1 0 1" in summary
    assert "6. Debriefing and learning after incidents 0 0 0 0 0 0" in summary
    assert "All strategies 3 1 1 1 1 6" in summary
    assert "4 open (1 overdue), 1 done" in summary


def test_a_service_report_leaves_out_other_services(
    db: Database, full_plan: Plan, tmp_path: Path
) -> None:
    _result, pdf = _write(db, tmp_path / "willow.pdf", full_plan.willow.id)
    text = pdf.flat

    assert ASPEN_ONLY not in text
    assert BOARD_LEAD in text  # organisation-wide actions are everyone's
    assert FIGURES in text and BENCHMARK_ACTION in text
    assert "Willow House" in pdf.pages[0]
    assert "Whole organisation" in text  # the board lead's service


def test_without_a_pledge_the_period_is_the_last_twelve_months(
    db: Database, service: ServiceInfo, tmp_path: Path
) -> None:
    action = plan.create_action(db, TRAINING, Strategy.WORKFORCE, _days_ago(600))
    plan.move_forward(db, action.id, _days_ago(500))
    plan.move_forward(db, action.id, _days_ago(400))  # done more than 12 months ago

    _result, pdf = _write(db, tmp_path / "plan.pdf")
    text = pdf.flat
    assert "No pledge recorded yet" in text
    assert "No member of staff has made an individual pledge yet." in text
    assert "the last 12 months" in text
    assert "no action was completed, and no measured outcome had a reading" in text
    assert "Actions completed" not in text
    assert "No actions are overdue" in text

    _result, pdf = _write(db, tmp_path / "longer.pdf", period_start=_days_ago(365 * 2))
    achieved = _between(pdf.flat, "Actions completed", "To be signed by")
    assert TRAINING in achieved and long_date(_days_ago(400)) in achieved


def test_an_empty_plan_is_a_plain_error(db: Database, service: ServiceInfo, tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    with pytest.raises(UserFacingError, match="There is no pledge or action on the plan"):
        write_plan_report(db, out, today=TODAY)
    with pytest.raises(UserFacingError, match="no longer exists"):
        write_plan_report(db, out, service_id=service.id + 99, today=TODAY)
    assert not out.exists()


def test_a_pledge_alone_prints(db: Database, tmp_path: Path) -> None:
    plan.make_pledge(db, STATEMENT, PLEDGE_MADE)
    _result, pdf = _write(db, tmp_path / "plan.pdf")
    text = pdf.flat
    assert STATEMENT in text and "Not published yet" in text
    # The strategies with nothing under them are named once, not given a line each.
    assert text.count("No actions yet under") == 1
    assert all(label in text for label in STRATEGY_LABELS.values())


def test_very_long_text_flows_across_pages(
    db: Database, service: ServiceInfo, tmp_path: Path
) -> None:
    description = " ".join(f"word{i}" for i in range(3000))[:20_000] + " END-OF-DESCRIPTION"
    long_word = "x" * 3000
    action = plan.create_action(
        db,
        "Long action",
        Strategy.DEBRIEFING,
        TODAY,
        service_id=service.id,
        description=description,
        outcome_measure="Debriefs held within 72 hours",
        outcome_baseline=0,
        outcome_target=100,
    )
    plan.add_note(db, action.id, TODAY, long_word + " AFTER-THE-WORD")
    plan.add_reading(db, action.id, 40, TODAY, description[:8000] + " END-OF-NOTE")
    # A benchmark action's title can be as long as any note.
    benchmark = benchmarks.start_benchmark(db, service.id, HELD_ON, Purpose.SELF_AUDIT, PEOPLE)
    long_title = "Rewrite " + " ".join(f"part{i}" for i in range(1500)) + " END-OF-TITLE"
    benchmarks.update_response(db, benchmark.id, "1.1.2", needs_action=True, action_text=long_title)

    result, pdf = _write(db, tmp_path / "long.pdf")

    assert result.page_count == len(pdf.pages) > 8
    text = pdf.flat
    for marker in ("END-OF-DESCRIPTION", "AFTER-THE-WORD", "END-OF-NOTE", "END-OF-TITLE"):
        assert marker in text, marker
    runs = re.findall(r"x{20,}", re.sub(r"\s+", "", pdf.all))
    assert sum(len(run) for run in runs) == 3000
    # The entry's heading repeats on the pages it runs onto, never twice on one page.
    entry_pages = [page for page in pdf.pages if "Long action Planned" in " ".join(page.split())]
    assert len(entry_pages) > 3
    assert all(page.count("Long action") <= 1 for page in entry_pages)
    assert "End of report" in pdf.pages[-1]


def test_empty_fields_are_left_out_not_printed_as_filler(
    db: Database, full_plan: Plan, tmp_path: Path
) -> None:
    _result, pdf = _write(db, tmp_path / "plan.pdf")
    text = pdf.flat
    for filler in FILLER:
        assert filler not in text, filler
    # The board lead has no description, outcome, note or file: its entry says only what it has.
    entry = _between(text, f"{BOARD_LEAD} Planned", STRATEGY_LABELS[Strategy.DATA])
    assert "Owner Morgan Chief" in entry and "Due" in entry
    for label in ("Description", "Measurable outcome", "Progress log", "Evidence attached"):
        assert label not in entry, label
    # A status note that repeats its status is printed once ("Done: Done; ..." reads "Done: ...").
    assert not re.search(r"\b(\w+): \1\b", text)


def test_no_page_is_left_more_than_a_third_empty(
    db: Database, full_plan: Plan, tmp_path: Path
) -> None:
    for number in range(12):  # enough actions to fill pages, of very different lengths
        action = plan.create_action(
            db,
            f"Extra action {number}",
            list(Strategy)[number % 6],
            TODAY,
            description=" ".join(["A sentence about what will change."] * (number * 6)),
        )
        for day in range(number):
            plan.add_note(db, action.id, TODAY, f"Progress on day {day}.")
    result, pdf = _write(db, tmp_path / "plan.pdf")

    appendix = next(i for i, page in enumerate(pdf.pages, 1) if "Appendix: every" in page)
    assert emptier_than_a_third(result.path, {appendix - 1}) == []
