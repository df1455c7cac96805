"""The benchmark report PDF, checked by the text a reader (or an inspector) gets out of it."""

from __future__ import annotations

import datetime as dt
import errno
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from rrn_desktop.base import saving
from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import Rating
from rrn_desktop.content.pack_models import ContentPack
from rrn_desktop.core.benchmarks import attach_evidence, reopen, sign_off, update_response
from rrn_desktop.reports.benchmark_report import ReportResult, write_benchmark_report
from rrn_desktop.storage.database import Database
from tests.reports.helpers import rate_all, read_pdf
from tests.reports.page_fill import emptier_than_a_third

EARLIER = dt.date(2024, 3, 5)
LATER = dt.date(2025, 3, 12)


@pytest.fixture
def two_benchmarks(
    db: Database, pack: ContentPack, new_benchmark: Callable[..., int]
) -> tuple[int, int]:
    """A signed-off baseline and a later benchmark that improves on it."""
    first = new_benchmark(EARLIER)
    rate_all(db, first, pack, [Rating.NOT_MET, Rating.PARTLY_MET, Rating.NOT_APPLICABLE])
    sign_off(db, first, "Alex Manager", "Registered manager", EARLIER)
    second = new_benchmark(LATER)
    rate_all(db, second, pack, [Rating.MET, Rating.PARTLY_MET, Rating.NOT_APPLICABLE])
    return first, second


def test_report_lists_every_section_and_item_with_page_numbers(
    db: Database, pack: ContentPack, two_benchmarks: tuple[int, int], tmp_path: Path
) -> None:
    _first, second = two_benchmarks
    out = tmp_path / "reports" / "benchmark.pdf"
    out.parent.mkdir()

    result = write_benchmark_report(db, second, out)

    assert isinstance(result, ReportResult)
    assert result.path == out and out.is_file()
    pdf = read_pdf(out)
    assert result.page_count == len(pdf.pages) > 5
    for section in pack.sections:
        assert section.title in pdf.flat
    for code in ("1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.4.4"):
        assert f"Standard {code}" in pdf.flat
    for _section, item in pack.items():
        assert item.code in pdf.flat, item.code
    assert "the pack's own prompts" in pdf.flat
    total = len(pdf.pages)
    for number, page in enumerate(pdf.pages, start=1):
        assert f"Page {number} of {total}" in page
        if number < total:
            assert "report continues" in page and "End of report" not in page
    assert "End of report" in pdf.pages[-1]
    # No temporary file is left beside the report.
    assert [p.name for p in out.parent.iterdir()] == ["benchmark.pdf"]


def test_report_contains_cover_method_and_document_control(
    db: Database, two_benchmarks: tuple[int, int], tmp_path: Path
) -> None:
    _first, second = two_benchmarks
    out = tmp_path / "report.pdf"
    write_benchmark_report(db, second, out)
    pdf = read_pdf(out)

    cover = re.sub(r"\s+", " ", pdf.pages[0])
    assert "Willow House" in cover
    assert "12 March 2025" in cover
    assert "Self-audit" in cover
    assert "Sam Voice" in cover and "Expert by experience" in cover
    assert "1 person with lived experience" in cover
    text = pdf.flat
    assert "Document control" in text
    assert "Content pack version" in text
    assert "RRN Self-Audit version" in text
    assert "In progress (not signed off yet)" in text
    assert "There is no pass mark" in text
    assert "Amber (50% to under 80%)" in text  # the section colour, in words
    assert "80% or more" in text  # the thresholds, written down
    assert "Not signed off yet" in text


def test_report_compares_with_the_previous_benchmark(
    db: Database, two_benchmarks: tuple[int, int], tmp_path: Path
) -> None:
    _first, second = two_benchmarks
    out = tmp_path / "report.pdf"
    write_benchmark_report(db, second, out)
    text = read_pdf(out).flat

    assert "Change since the previous benchmark (5 March 2024)" in text
    assert "Previously: Not met" in text
    assert "Improved" in text
    assert "so it is the baseline" not in text
    # The section table gives the earlier score and the change in points.
    assert "Previous (5 Mar 2024)" in text
    assert "points" in text


def test_first_benchmark_is_called_the_baseline(
    db: Database, pack: ContentPack, two_benchmarks: tuple[int, int], tmp_path: Path
) -> None:
    first, _second = two_benchmarks
    out = tmp_path / "baseline.pdf"
    write_benchmark_report(db, first, out)
    text = read_pdf(out).flat

    assert "so it is the baseline" in text
    assert "Previously:" not in text
    assert "Change since the previous benchmark (" not in text
    assert "Signed off on 5 March 2024 by Alex Manager (Registered manager)" in text


def test_user_text_prints_exactly_as_typed(
    db: Database, new_benchmark: Callable[..., int], tmp_path: Path
) -> None:
    benchmark = new_benchmark()
    update_response(db, benchmark, "1.1.1", notes="<b>Tom & Jerry</b> <script>")
    update_response(db, benchmark, "1.1.2", evidence_refs="Dŵr ŷ Gŵyl")
    update_response(
        db,
        benchmark,
        "S1-Q01",
        notes="Scores ≥ 80% → keep going\nSecond line",
        needs_action=True,
        action_text="Fix <this> & that",
        action_owner="Siân Owen",
        action_due=dt.date(2025, 6, 30),
    )
    out = tmp_path / "report.pdf"
    write_benchmark_report(db, benchmark, out)
    text = read_pdf(out).flat

    assert "<b>Tom & Jerry</b> <script>" in text
    assert "Dŵr ŷ Gŵyl" in text
    assert "Scores ≥ 80% → keep going Second line" in text
    assert "Fix <this> & that" in text
    assert "Siân Owen" in text
    assert "30 June 2025" in text  # in the item detail
    assert "30 Jun 2025" in text  # in the action plan


def test_characters_the_font_lacks_do_not_break_the_report(
    db: Database, new_benchmark: Callable[..., int], tmp_path: Path
) -> None:
    benchmark = new_benchmark()
    update_response(
        db,
        benchmark,
        "1.1.1",
        notes="Great work 👍🏽 😀 \x07 bell, tab\there, zero\u200bwidth \U0001d400 A",
    )
    out = tmp_path / "report.pdf"
    write_benchmark_report(db, benchmark, out)
    text = read_pdf(out).flat

    # Emoji print as emoji; a character no report font has (a mathematical bold A) is marked
    # as one the report cannot print; the rest of the line is there to read, copy and search.
    assert "Great work 👍🏽 😀 bell, tab here, zero" in text
    assert "\ufffd A" in text


def test_very_long_text_flows_across_pages(
    db: Database, new_benchmark: Callable[..., int], tmp_path: Path
) -> None:
    benchmark = new_benchmark()
    long_note = " ".join(f"word{i}" for i in range(3000))[:20_000] + " END-OF-NOTE"
    long_word = "x" * 3000
    update_response(db, benchmark, "1.1.1", notes=long_note)
    update_response(db, benchmark, "1.1.2", notes=long_word + " AFTER-THE-WORD")
    update_response(db, benchmark, "1.1.3", evidence_refs=long_word)
    update_response(
        db,
        benchmark,
        "1.1.4",
        needs_action=True,
        action_text=long_note,
        action_owner="y" * 200,
    )
    update_response(db, benchmark, "1.1.5", needs_action=True, action_text=long_word)
    out = tmp_path / "long.pdf"

    result = write_benchmark_report(db, benchmark, out)

    pdf = read_pdf(out)
    assert result.page_count == len(pdf.pages)
    assert pdf.flat.count("END-OF-NOTE") == 3  # notes, the item's action, the action plan
    assert "AFTER-THE-WORD" in pdf.flat
    assert "End of report" in pdf.pages[-1]
    # Nothing was lost: every character of the unbroken word is printed, split across lines
    # and pages, four times: notes, evidence references, the item's action, the action plan.
    runs = re.findall(r"x{20,}", re.sub(r"\s+", "", pdf.all))
    assert sum(len(run) for run in runs) == 4 * 3000


def test_evidence_files_sign_off_and_reopening_are_recorded(
    db: Database, new_benchmark: Callable[..., int], tmp_path: Path
) -> None:
    benchmark = new_benchmark()
    evidence = tmp_path / "TNA summary & plan.txt"
    evidence.write_text("evidence", encoding="utf-8")
    attach_evidence(db, benchmark, "1.1.1", evidence)
    sign_off(db, benchmark, "Alex Manager", "Registered manager", dt.date(2025, 3, 20))
    reopen(db, benchmark, "Alex Manager", "Wrong rating for 1.1.4")
    out = tmp_path / "report.pdf"
    write_benchmark_report(db, benchmark, out)
    text = read_pdf(out).flat

    assert "TNA summary & plan.txt" in text
    assert "Reopened for changes" in text
    assert "Wrong rating for 1.1.4" in text
    assert "Sign-off history" in text
    assert "Not signed off yet" in text


def test_signed_off_report_names_who_signed(
    db: Database, new_benchmark: Callable[..., int], tmp_path: Path
) -> None:
    benchmark = new_benchmark()
    sign_off(db, benchmark, "Jo Lead", "Head of care", dt.date(2025, 4, 1))
    out = tmp_path / "report.pdf"
    write_benchmark_report(db, benchmark, out)
    text = read_pdf(out).flat

    assert "Signed off on 1 April 2025 by Jo Lead (Head of care)" in text
    assert "Not signed off yet" not in text


def test_progress_runs_from_zero_to_one(
    db: Database, new_benchmark: Callable[..., int], tmp_path: Path
) -> None:
    seen: list[float] = []
    write_benchmark_report(db, new_benchmark(), tmp_path / "r.pdf", progress=seen.append)

    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)
    assert len(seen) > 5


def test_the_third_of_three_benchmarks_compares_with_the_second(
    db: Database, pack: ContentPack, new_benchmark: Callable[..., int], tmp_path: Path
) -> None:
    patterns = [
        [Rating.NOT_MET, Rating.PARTLY_MET],
        [Rating.PARTLY_MET, Rating.MET, Rating.NOT_MET],
        [Rating.MET, Rating.MET, Rating.PARTLY_MET, Rating.NOT_APPLICABLE],
    ]
    ids = []
    for year, pattern in zip((2023, 2024, 2025), patterns, strict=True):
        benchmark = new_benchmark(dt.date(year, 5, 1))
        rate_all(db, benchmark, pack, pattern)
        for _section, item in pack.items()[::3]:
            update_response(db, benchmark, item.code, notes=f"Checked in {year}.")
        ids.append(benchmark)

    result = write_benchmark_report(db, ids[-1], tmp_path / "r.pdf")

    assert "Change since the previous benchmark (1 May 2024)" in read_pdf(result.path).flat


# ---------------------------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------------------------


def test_missing_folder_is_a_plain_error(
    db: Database, new_benchmark: Callable[..., int], tmp_path: Path
) -> None:
    out = tmp_path / "no such folder" / "report.pdf"
    with pytest.raises(UserFacingError, match="does not exist"):
        write_benchmark_report(db, new_benchmark(), out)
    assert not out.parent.exists()


def test_folder_as_out_path_is_a_plain_error(
    db: Database, new_benchmark: Callable[..., int], tmp_path: Path
) -> None:
    with pytest.raises(UserFacingError, match="is a folder"):
        write_benchmark_report(db, new_benchmark(), tmp_path)


def test_permission_refused_is_a_plain_error(
    db: Database,
    new_benchmark: Callable[..., int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same refusal as a read-only folder, for runs as an administrator."""

    def refuse(*_args: object, **_kwargs: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(saving.Path, "write_bytes", refuse)
    with pytest.raises(UserFacingError, match="not allowed to write"):
        write_benchmark_report(db, new_benchmark(), tmp_path / "report.pdf")


def test_full_disk_keeps_the_old_report_and_leaves_no_partial_file(
    db: Database,
    new_benchmark: Callable[..., int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    benchmark = new_benchmark()
    out = tmp_path / "report.pdf"
    out.write_bytes(b"the old report")

    def disk_full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(saving.os, "fsync", disk_full)
    with pytest.raises(UserFacingError, match=r"disk .* is full"):
        write_benchmark_report(db, benchmark, out)

    assert out.read_bytes() == b"the old report"
    assert [p.name for p in tmp_path.iterdir() if p.name != "data"] == ["report.pdf"]


def test_existing_report_is_replaced(
    db: Database, new_benchmark: Callable[..., int], tmp_path: Path
) -> None:
    out = tmp_path / "report.pdf"
    out.write_bytes(b"old")
    write_benchmark_report(db, new_benchmark(), out)
    assert out.read_bytes().startswith(b"%PDF")


def test_items_not_met_are_listed_in_a_line_each_and_nothing_says_only_empty(
    db: Database, pack: ContentPack, two_benchmarks: tuple[int, int], tmp_path: Path
) -> None:
    _first, second = two_benchmarks
    update_response(db, second, "1.1.2", notes="Agreed at the team meeting in May.")
    result = write_benchmark_report(db, second, tmp_path / "report.pdf")
    pdf = read_pdf(result.path)
    text = pdf.flat

    # Every item rated partly met (every third item) has a line, with its note, before the
    # appendix; the items met and not applicable have none there.
    lines = _between(text, "Items not met or partly met", "Appendix: every item in detail")
    items = pack.items()
    for _section, item in items[1::3]:
        assert item.text in lines, item.code
    assert not any(item.text in lines for _section, item in items[0::3])
    assert "Agreed at the team meeting in May." in lines
    # Items with nothing recorded against them print their rating alone.
    assert "No notes or evidence recorded." not in text
    # No page is left more than a third empty but the one before the appendix.
    appendix = next(i for i, page in enumerate(pdf.pages, 1) if "Appendix: every" in page)
    assert emptier_than_a_third(result.path, {appendix - 1}) == []


def _between(text: str, start: str, end: str) -> str:
    begin = text.index(start)
    return text[begin : text.index(end, begin + len(start))]
