"""The benchmark report: one benchmark, printed for managers, boards and inspectors.

Order: cover; document control; summary (section table and chart); method; change since the
previous benchmark; the items not met or partly met, one line each; action plan; sign-off;
sign-off history; finally, as an appendix, every item in detail.

The inspection pack prints the method in brief once (:func:`method_in_brief`) and, for each
service, the results under the service's own heading (:func:`service_body`), one heading level
down, with every item in detail (:func:`item_detail`) only when the appendix is asked for.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, TableStyle

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.vocabulary import NOT_RATED, AnswerKey, EventKind
from rrn_desktop.content.pack_models import ContentPack, Item
from rrn_desktop.core.benchmarks import (
    BenchmarkInfo,
    ResponseInfo,
    get_benchmark,
    previous_benchmark,
)
from rrn_desktop.core.scoring import (
    SectionScore,
    band_range,
    band_text,
    compare_items,
    describe_change,
    format_percent,
    section_scores,
)
from rrn_desktop.core.services import organisation_name
from rrn_desktop.core.wording import plural
from rrn_desktop.reports import house_style as hs
from rrn_desktop.reports import layout
from rrn_desktop.reports.catalogue import Progress, ReportRequest
from rrn_desktop.reports.charts import Series, section_score_chart
from rrn_desktop.reports.job import ReportJob
from rrn_desktop.reports.output import ReportResult
from rrn_desktop.storage.database import Database

__all__ = [
    "BenchmarkContext",
    "ReportResult",
    "benchmark_context",
    "item_detail",
    "method",
    "method_in_brief",
    "service_body",
    "write_benchmark_report",
]

APPENDIX_TITLE = "Appendix: every item in detail"


@dataclass(frozen=True)
class BenchmarkContext:
    benchmark: BenchmarkInfo
    previous: BenchmarkInfo | None
    pack: ContentPack
    organisation: str
    generated_at: dt.datetime
    in_pack: bool = False  # printed in the inspection pack, under its service's heading

    @property
    def title(self) -> str:
        return f"{self.pack.title} report"

    @property
    def level(self) -> int:
        """The heading level of the report's own sections."""
        return 2 if self.in_pack else 1

    def section(
        self, title: str, *, new_page: bool = False, room: float = 60 * mm
    ) -> list[Flowable]:
        return hs.section_start(title, new_page=new_page, level=self.level, room=room)

    def heading(self, title: str) -> Flowable:
        """A heading inside one of the report's sections."""
        return hs.heading(title, self.level + 1)

    def previous_response(self, code: str) -> ResponseInfo | None:
        return self.previous.response(code) if self.previous is not None else None


def _label(pack: ContentPack, rating: AnswerKey) -> str:
    return pack.option(rating).label


def _gap_words(pack: ContentPack) -> str:
    """The answers that show a gap, lowest score first: "not met or partly met"."""
    gaps = sorted(
        (o for o in pack.answers if pack.needs_action(o.key)), key=lambda o: o.points or 0
    )
    return " or ".join(option.label.lower() for option in gaps)


def item_label(item: Item, *, full: bool = False) -> str:
    """Official items by their published number; the pack's own prompts by their own code
    (in full, with the published standard they sit under where the pack knows it)."""
    if item.official:
        return f"Standard {item.code}"
    if full and item.standard:
        return f"{item.code} (under {item.standard})"
    return item.code


def _status(benchmark: BenchmarkInfo) -> str:
    if benchmark.signed_off_on is not None:
        who = benchmark.signed_off_by or "unknown"
        if benchmark.signed_off_role:
            who += f" ({benchmark.signed_off_role})"
        return f"Signed off on {hs.long_date(benchmark.signed_off_on)} by {who}"
    reopenings = [event for event in benchmark.events if event.kind is EventKind.REOPENED]
    if reopenings:
        last = reopenings[-1]
        return (
            f"Reopened for changes on {hs.long_date(_local(last.at).date())} by {last.by_name}; "
            "not signed off again yet"
        )
    return "In progress (not signed off yet)"


def _local(moment: dt.datetime) -> dt.datetime:
    """Events are stored in UTC; show them in the computer's own time."""
    return moment.replace(tzinfo=dt.UTC).astimezone()


# ---------------------------------------------------------------------------------------------
# Parts of the report
# ---------------------------------------------------------------------------------------------


def _facts(ctx: BenchmarkContext) -> list[tuple[str, object]]:
    b = ctx.benchmark
    return [
        ("Type of service", b.service.sector_label),
        ("Benchmark held on", hs.long_date(b.held_on)),
        ("Purpose", b.purpose_label),
        ("Measured against", f"{ctx.pack.title}, version {b.pack_version}"),
        ("Status", _status(b)),
    ]


def _cover(ctx: BenchmarkContext) -> list[Flowable]:
    b = ctx.benchmark
    return hs.cover_page(
        report_title=ctx.title,
        service=b.service.name,
        organisation=ctx.organisation,
        facts=_facts(ctx),
        participants=b.participants,
        purpose_note=(
            f"This report records how this service measures against the "
            f"{ctx.pack.title}. It is a self-assessment for planning improvement: there is no "
            "pass mark, and results are compared only with this service's own earlier "
            "benchmarks."
        ),
    )


def _document_control(ctx: BenchmarkContext) -> list[Flowable]:
    b = ctx.benchmark
    rows: list[tuple[str, object]] = [
        ("Report", ctx.title),
        ("Service", b.service.name),
        ("Benchmark", f"Held on {hs.long_date(b.held_on)} ({b.purpose_label}), record no. {b.id}"),
        ("Content pack", ctx.pack.title),
        ("Content pack version", b.pack_version),
    ]
    if b.pack_version != ctx.pack.version:
        rows.append(
            (
                "Note",
                f"This benchmark was recorded with pack version {b.pack_version}; the item "
                f"wording printed here is from the installed version {ctx.pack.version}.",
            )
        )
    rows += [
        ("Date generated", hs.long_datetime(ctx.generated_at)),
        ("Status", _status(b)),
    ]
    return hs.document_control(rows)


def _rag_table(pack: ContentPack) -> Flowable:
    rag_rows = [(band.label, band_range(band, pack.rag), band.meaning) for band in pack.rag]
    return hs.data_table(
        ["Colour", "Section score", "What it means"],
        rag_rows,
        [0.16, 0.24, 0.6],
        extra_style=[
            ("BACKGROUND", (0, row), (0, row), hs.rag_fill(band))
            for row, band in enumerate(pack.rag, start=1)
        ],
        zebra=False,
    )


def _rag(pack: ContentPack, level: int) -> list[Flowable]:
    # A short table, kept with its heading: a heading at the foot of a page and its thresholds
    # at the top of the next would be read apart.
    return [
        *layout.keep_if_short(
            [
                hs.heading("Red, amber and green", level),
                hs.para(
                    "Each section's score is given a colour from these thresholds, always "
                    "printed in words as well, so the report reads the same in black and white."
                ),
                _rag_table(pack),
            ]
        ),
        Spacer(1, 3 * mm),
        hs.text(pack.rag_note),
    ]


def method(ctx: BenchmarkContext, title: str = "How this benchmark was done") -> list[Flowable]:
    """How the benchmark was done: the pack, how items are rated and scored, and red, amber
    and green."""
    pack = ctx.pack
    points_words = {1.0: "1 point", 0.5: "half a point", 0.0: "0 points"}
    rating_rows = [
        (
            option.label,
            "Left out of the score"
            if option.points is None
            else points_words.get(option.points, f"{option.points:g} points"),
            option.description,
        )
        for option in pack.rating_scale
    ]
    return [
        *ctx.section(title),
        ctx.heading("What it measures against"),
        hs.para(
            f"Content pack: <b>{hs.safe(pack.title)}</b>, version "
            f"{hs.safe(ctx.benchmark.pack_version)}."
        ),
        hs.para(f"Source: {hs.safe(pack.source)}"),
        hs.text(pack.wording_note),
        *_official_numbers(pack),
        ctx.heading("How items are rated and scored"),
        hs.data_table(["Answer", "Counts as", "Meaning"], rating_rows, [0.2, 0.22, 0.58]),
        Spacer(1, 3 * mm),
        hs.text(pack.scoring_note),
        *_rag(pack, ctx.level + 1),
        hs.para(
            "<b>There is no pass mark and no pass or fail.</b> A first benchmark is a baseline; "
            "progress is measured against this service's own earlier benchmarks, never "
            "against other services.",
        ),
    ]


def method_in_brief(ctx: BenchmarkContext, title: str) -> list[Flowable]:
    """What a benchmark measures against and how its scores and colours are worked out, in
    short, for the inspection pack (a top-level section, printed once for every service)."""
    pack = ctx.pack
    return [
        *hs.section_start(title),
        hs.para(
            f"Each benchmark rates practice against <b>{hs.safe(pack.title)}</b>. "
            f"Source: {hs.safe(pack.source)}"
        ),
        hs.text(pack.wording_note),
        hs.text(pack.scoring_note),
        *_rag(pack, 2),
    ]


def _official_numbers(pack: ContentPack) -> list[Flowable]:
    """How published numbers and the pack's own codes differ, for a pack that has both."""
    own = [item.code for _section, item in pack.items() if not item.official]
    if not own or len(own) == pack.item_count:
        return []
    return [
        hs.para(
            "Items printed as <b>Standard</b> followed by a number (for example Standard 1.1.1) "
            "carry the published standard's own number. Items with codes such as "
            f"{hs.safe(own[0])} are <b>the pack's own prompts</b>, written to cover the rest "
            "of each section; their codes are not official standard numbers. Where the pack "
            "knows which published standard a prompt sits under, it is shown in brackets, for "
            "example “(under 1.1)”."
        )
    ]


def _rating_counts(ctx: BenchmarkContext) -> str:
    pack, b = ctx.pack, ctx.benchmark
    counts = Counter(pack.option(b.response(item.code).rating).key for _s, item in pack.items())
    rated = pack.item_count - counts[NOT_RATED]
    parts = [f"{counts[option.key]} {option.label.lower()}" for option in pack.answers]
    text = f"<b>{rated} of {pack.item_count} items rated</b>: " + ", ".join(parts) + "."
    if counts[NOT_RATED]:
        text += f" {counts[NOT_RATED]} not yet rated."
    actions = sum(1 for response in b.responses.values() if response.needs_action)
    text += f" {plural(actions, 'action')} recorded."
    return text


def _summary(ctx: BenchmarkContext) -> list[Flowable]:
    pack, b, previous = ctx.pack, ctx.benchmark, ctx.previous
    scores = section_scores(pack, b.ratings())
    earlier: list[SectionScore | None] = (
        list(section_scores(pack, previous.ratings()))
        if previous is not None
        else [None] * len(scores)
    )
    previous_title = (
        f"Previous ({hs.short_date(previous.held_on)})" if previous is not None else "Previous"
    )
    rows = []
    for now, then in zip(scores, earlier, strict=True):
        if previous is None or then is None:
            previous_text, change_text = hs.NOTHING, "Baseline"
        else:
            previous_text = format_percent(then.percent)
            change_text = describe_change(now.percent, then.percent)
        rows.append(
            (
                now.section.heading,
                f"{now.rated} of {now.total}",
                format_percent(now.percent),
                band_text(now.band, pack.rag),
                previous_text,
                change_text,
            )
        )
    table = hs.data_table(
        ["Section", "Items rated", "Score", "Colour (RAG)", previous_title, "Change"],
        rows,
        [0.25, 0.1, 0.08, 0.28, 0.13, 0.16],
        extra_style=[
            ("BACKGROUND", (3, row), (3, row), hs.rag_fill(score.band))
            for row, score in enumerate(scores, start=1)
        ],
    )
    chart = section_score_chart(
        [s.section.heading for s in scores],
        Series(f"This benchmark ({hs.long_date(b.held_on)})", [s.percent for s in scores]),
        (
            Series(
                f"Previous ({hs.long_date(previous.held_on)})",
                [s.percent if s is not None else None for s in earlier],
            )
            if previous is not None
            else None
        ),
    )
    caption = (
        "Section scores, this benchmark and the previous one. "
        if previous is not None
        else "Section scores. There is no earlier benchmark to compare with yet. "
    ) + "Not applicable and not yet rated items are left out of each score."
    scores_note = "Colours are worked out from the thresholds under “Red, amber and green”" + (
        " above." if ctx.in_pack else " in the method below."
    )
    flowables: list[Flowable] = [
        *ctx.section("Summary"),
        hs.para(_rating_counts(ctx)),
        ctx.heading("Scores by section"),
        table,
        Spacer(1, 2 * mm),
        hs.para(scores_note, hs.styles().small_muted),
    ]
    if ctx.in_pack:
        # The pack's summary page and this table already give each score and its change.
        return flowables
    # The chart moves with its heading; the caption may follow it onto the next page.
    return [
        *flowables,
        ctx.heading("Progress chart"),
        chart,
        hs.para(caption, hs.styles().small_muted),
    ]


def _direction(pack: ContentPack, earlier: AnswerKey, later: AnswerKey) -> str:
    """Between two scored answers, up or down by their points; otherwise just changed."""
    before, after = pack.option(earlier).points, pack.option(later).points
    if before is not None and after is not None and before != after:
        return "Improved" if after > before else "Declined"
    return "Changed"


def _changes(ctx: BenchmarkContext) -> list[Flowable]:
    pack, previous = ctx.pack, ctx.previous
    if previous is None:
        # Two lines: they need less room at the foot of a page than a section that runs on.
        return [
            *ctx.section("Change since the previous benchmark", room=30 * mm),
            hs.para(
                "This is the first benchmark of this service against this content pack, so it "
                "is the <b>baseline</b>. Later benchmarks will be compared with it, item by item."
            ),
        ]
    title = f"Change since the previous benchmark ({hs.long_date(previous.held_on)})"
    changed = [
        c for c in compare_items(pack, previous.ratings(), ctx.benchmark.ratings()) if c.changed
    ]
    flowables: list[Flowable] = [*ctx.section(title)]
    if not changed:
        flowables.append(
            hs.para(
                f"No item's rating has changed since the benchmark held on "
                f"{hs.long_date(previous.held_on)}."
            )
        )
        return flowables
    items = {item.code: item for _section, item in pack.items()}
    directions = [_direction(pack, c.earlier, c.later) for c in changed]
    counts = ", ".join(
        f"{directions.count(word)} {word.lower()}"
        for word in ("Improved", "Declined", "Changed")
        if word in directions
    )
    # The pack lists only what did not improve: the appendix gives every item's earlier rating.
    listed = [
        (c, direction)
        for c, direction in zip(changed, directions, strict=True)
        if not ctx.in_pack or direction != "Improved"
    ]
    what = "Those that did not improve are listed below." if ctx.in_pack and listed else ""
    flowables.append(
        hs.para(
            f"{len(changed)} of {pack.item_count} items have a different rating from the "
            f"benchmark held on {hs.long_date(previous.held_on)} "
            f"({hs.safe(previous.purpose_label)}): {counts}. {what}"
        )
    )
    if not listed:
        return flowables
    flowables.append(
        hs.data_table(
            ["Item", "What it asks", "Previously", "Now", "Change"],
            [
                (
                    item_label(items[c.code]),
                    c.text,
                    _label(pack, c.earlier),
                    _label(pack, c.later),
                    direction,
                )
                for c, direction in listed
            ],
            [0.16, 0.45, 0.13, 0.13, 0.13],
        )
    )
    return flowables


def _field(label: str, value: str) -> Flowable:
    return hs.para(f"<b>{label}:</b> {hs.safe(value)}", hs.styles().indented)


def _item_header(ctx: BenchmarkContext, item: Item) -> hs.HouseTable:
    st = hs.styles()
    pack = ctx.pack
    response = ctx.benchmark.response(item.code)
    earlier = ctx.previous_response(item.code)
    rating_markup = f"<b>{hs.safe(_label(pack, response.rating))}</b>"
    if earlier is not None:
        rating_markup += f"<br/>Previously: {hs.safe(_label(pack, earlier.rating))}"
    header = hs.HouseTable(
        [
            [
                [
                    hs.para(f"<b>{hs.safe(item_label(item, full=True))}</b>", st.small),
                    hs.para(hs.safe(item.text), st.small),
                ],
                [hs.para(rating_markup, st.small)],
            ]
        ],
        colWidths=[0.76 * hs.CONTENT_WIDTH, 0.24 * hs.CONTENT_WIDTH],
        splitByRow=1,
        splitInRow=hs.MIN_ROW_PIECE,
        hAlign="LEFT",
    )
    header.setStyle(
        TableStyle(
            [
                *hs.table_style(header_rows=0, zebra=False),
                ("BACKGROUND", (0, 0), (-1, -1), hs.LABEL_FILL),
                ("LINEBEFORE", (1, 0), (1, 0), 0.4, hs.RULE),
            ]
        )
    )
    return header


def _item_details(response: ResponseInfo) -> list[Flowable]:
    """What was recorded against the item: nothing at all when nothing was."""
    details: list[Flowable] = []
    if response.notes.strip():
        details.append(_field("Notes", response.notes))
    if response.evidence_refs.strip():
        details.append(_field("Evidence references", response.evidence_refs))
    if response.evidence_files:
        names = "; ".join(evidence.original_name for evidence in response.evidence_files)
        details.append(_field("Evidence files attached", names))
    if response.needs_action:
        action = response.action_text.strip() or "needed, not written yet"
        extras = []
        if response.action_owner.strip():
            extras.append(f"owner: {response.action_owner.strip()}")
        if response.action_due is not None:
            extras.append(f"due {hs.long_date(response.action_due)}")
        suffix = f" ({'; '.join(extras)})" if extras else ""
        details.append(_field("Action", action + suffix))
    return details


def _item_block(ctx: BenchmarkContext, item: Item) -> list[Flowable]:
    """The item with its rating, then whatever was recorded against it: kept on one page when
    short, otherwise free to carry on to the next (never starting in the last lines of one)."""
    header = _item_header(ctx, item)
    details = _item_details(ctx.benchmark.response(item.code))
    block = [header, Spacer(1, 1.5 * mm), *details] if details else [header]
    kept = layout.keep_if_short(block)
    if len(kept) == 1:
        return [*kept, Spacer(1, 3 * mm)]
    return [CondPageBreak(35 * mm), *kept, Spacer(1, 3 * mm)]


def item_detail(ctx: BenchmarkContext) -> list[Flowable]:
    """Every item of the content pack, section by section, with what was recorded against it:
    the benchmark's appendix."""
    pack = ctx.pack
    scores = {s.section.id: s for s in section_scores(pack, ctx.benchmark.ratings())}
    flowables: list[Flowable] = [
        hs.para(
            "Every item of the content pack, section by section: the rating given"
            + (", the rating at the previous benchmark" if ctx.previous is not None else "")
            + ", and any notes, evidence references, attached evidence files and actions."
        ),
    ]
    for section in pack.sections:
        score = scores[section.id]
        flowables += [
            *layout.loose_heading(
                f"Section {section.id}: {section.title}" if section.numbered else section.title,
                ctx.level + 1,
            ),
            hs.text(section.summary, hs.styles().body_muted),
            hs.para(
                f"Score: <b>{format_percent(score.percent)}</b> · "
                f"{hs.safe(band_text(score.band, pack.rag))} · "
                f"{score.rated} of {score.total} items rated"
            ),
            Spacer(1, 1 * mm),
        ]
        for item in section.items:
            flowables += _item_block(ctx, item)
    return flowables


def _short(text: str, limit: int = 160) -> str:
    value = " ".join(text.split())
    if len(value) <= limit:
        return value
    return value[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def _not_met(ctx: BenchmarkContext) -> list[Flowable]:
    """Each item whose answer shows a gap (not met or partly met), in one line, in the order
    of the pack."""
    pack = ctx.pack
    st = hs.styles()
    words = _gap_words(pack)
    rows = []
    for _section, item in pack.items():
        response = ctx.benchmark.response(item.code)
        if not pack.needs_action(response.rating):
            continue
        rating: list[Flowable] = [hs.para(hs.safe(_label(pack, response.rating)), st.small)]
        earlier = ctx.previous_response(item.code)
        if earlier is not None and earlier.rating != response.rating:
            rating.append(hs.muted(f"was {_label(pack, earlier.rating).lower()}"))
        what: list[Flowable] = [hs.para(hs.safe(item.text), st.small)]
        if response.notes.strip():
            what.append(hs.text(_short(response.notes), st.small_muted))
        rows.append((item_label(item), what, rating))
    flowables: list[Flowable] = ctx.section(f"Items {words}", room=40 * mm)
    if not rows:
        flowables.append(hs.para(f"No item is rated {words}."))
        return flowables
    flowables += [
        hs.para(
            f"{plural(len(rows), 'item')} rated {words}, in the order of the "
            "content pack, each with the start of any note recorded against it."
        ),
        hs.data_table(["Item", "What it asks", "Rating"], rows, [0.16, 0.68, 0.16]),
    ]
    return flowables


def _actions(ctx: BenchmarkContext) -> list[Flowable]:
    pack = ctx.pack
    rows: list[tuple[str, str, str, str, str]] = []
    for _section, item in pack.items():
        response = ctx.benchmark.response(item.code)
        if not response.needs_action:
            continue
        rows.append(
            (
                f"A{len(rows) + 1}",
                item_label(item),
                response.action_text.strip() or "Needed, not written yet",
                response.action_owner.strip() or hs.NOTHING,
                hs.short_date(response.action_due) or hs.NOTHING,
            )
        )
    flowables: list[Flowable] = [*ctx.section("Action plan", room=40 * mm)]
    if not rows:
        flowables.append(hs.para("No actions have been recorded in this benchmark."))
        return flowables
    flowables += [
        hs.para(
            f"{plural(len(rows), 'action')} recorded against items in this "
            "benchmark, in the order of the items."
        ),
        hs.data_table(
            ["Ref", "Item", "Action", "Owner", "Due"],
            rows,
            [0.07, 0.17, 0.47, 0.15, 0.14],
        ),
    ]
    return flowables


def _history(ctx: BenchmarkContext) -> list[Flowable]:
    events = ctx.benchmark.events
    if not events or [event.kind for event in events] == [EventKind.SIGNED_OFF]:
        return []  # nothing the sign-off above does not already say
    rows = []
    for event in events:
        who = event.by_name + (f" ({event.by_role})" if event.by_role else "")
        what = "Signed off" if event.kind is EventKind.SIGNED_OFF else "Reopened for changes"
        rows.append((hs.long_datetime(_local(event.at)), what, who, event.reason or hs.NOTHING))
    return [
        Spacer(1, 4 * mm),
        *layout.keep_if_short(
            [
                ctx.heading("Sign-off history"),
                hs.para(
                    "Every sign-off and every reopening of this benchmark, oldest first.",
                    hs.styles().small_muted,
                ),
                hs.data_table(
                    ["Recorded", "What", "Who", "Reason"], rows, [0.22, 0.18, 0.27, 0.33]
                ),
            ]
        ),
    ]


def _sign_off(ctx: BenchmarkContext) -> list[Flowable]:
    b = ctx.benchmark
    if b.signed_off_on is None:
        # One sentence: a table of dashes would only say the same thing three times.
        return [
            Spacer(1, 6 * mm),
            ctx.heading("Sign-off"),
            hs.para(
                "<b>Not signed off yet.</b> Until it is signed off, this benchmark shows work in "
                "progress and may still change.",
            ),
            *_history(ctx),
        ]
    return [
        Spacer(1, 6 * mm),
        *hs.sign_off_block(
            b.signed_off_by,
            b.signed_off_role,
            b.signed_off_on,
            what="this benchmark",
            level=ctx.level + 1,
        ),
        *_history(ctx),
    ]


def _findings(ctx: BenchmarkContext) -> list[Flowable]:
    """What changed, what is not met yet and what will be done, then the sign-off."""
    return [*_changes(ctx), *_not_met(ctx), *_actions(ctx), *_sign_off(ctx)]


def _who_took_part(ctx: BenchmarkContext) -> Flowable:
    """Everyone who took part, in one paragraph, those with lived experience marked."""
    people = ctx.benchmark.participants
    if not people:
        return hs.para("No one was recorded as taking part.", hs.styles().small_muted)
    named = []
    for person in people:
        words = hs.safe(person.name) + (f" ({hs.safe(person.role)})" if person.role else "")
        if person.lived_experience:
            words += ", <i>with lived experience of restrictive practice</i>"
        named.append(words)
    return hs.para("; ".join(named), hs.styles().small)


def service_body(ctx: BenchmarkContext) -> list[Flowable]:
    """For the inspection pack, under the service's heading: the benchmark's key facts and who
    took part (the report's cover, in short), then its results, without the method or the
    appendix."""
    facts = [*_facts(ctx), ("Who took part", _who_took_part(ctx))]
    return [hs.key_value_table(facts, label_width=0.28), *_summary(ctx), *_findings(ctx)]


def build_story(ctx: BenchmarkContext) -> list[Flowable]:
    return [
        *_cover(ctx),
        *_document_control(ctx),
        *_summary(ctx),
        *method(ctx),
        *_findings(ctx),
        *hs.section_start(APPENDIX_TITLE, new_page=True),
        *item_detail(ctx),
    ]


def benchmark_context(
    db: Database,
    benchmark: BenchmarkInfo,
    *,
    organisation: str,
    generated_at: dt.datetime,
    in_pack: bool = False,
) -> BenchmarkContext:
    return BenchmarkContext(
        benchmark=benchmark,
        previous=previous_benchmark(db, benchmark),
        pack=benchmark.pack(),
        organisation=organisation,
        generated_at=generated_at,
        in_pack=in_pack,
    )


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def write_benchmark_report(
    db: Database,
    benchmark_id: int,
    out: Path,
    *,
    progress: Callable[[float], None] | None = None,
) -> ReportResult:
    """Write the benchmark report as a PDF at ``out`` (replacing any file there) and say how
    many pages it has and how long it took. ``progress`` receives fractions from 0 to 1."""
    job = ReportJob(out, progress)
    benchmark = get_benchmark(db, benchmark_id)
    ctx = benchmark_context(
        db,
        benchmark,
        organisation=organisation_name(db),
        generated_at=dt.datetime.now().replace(microsecond=0),
    )
    job.step(0.1)
    story = build_story(ctx)
    return job.finish(
        story,
        title=ctx.title,
        header=f"{benchmark.service.name} · {ctx.title}",
        footer_note=f"held {hs.long_date(benchmark.held_on)}",
        author=ctx.organisation,
        subject=f"{benchmark.service.name}: benchmark held on {hs.long_date(benchmark.held_on)}",
    )


def write_report(
    db: Database, request: ReportRequest, out: Path, progress: Progress | None
) -> ReportResult:
    """The catalogue's way in: the benchmark the request names."""
    if request.benchmark_id is None:
        raise UserFacingError("Choose a benchmark for the report.")
    return write_benchmark_report(db, request.benchmark_id, out, progress=progress)
