"""Text of any length prints in full, in every report, as PDF and as Word.

One record of each kind has every free-text field filled with 10,000 characters (or as many as
the field takes), in varied words with ``<``, ``&``, a Welsh ŵ and emoji. Every report is
written both ways and read back: each field a report prints must be there whole, in order, once
where the Word copy has it once, however many pages it runs over. Emoji print as emoji, never as
the replacement mark, in the page header too.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from rrn_desktop.base.vocabulary import (
    ActionStatus,
    Answer,
    AppliesTo,
    Involvement,
    Purpose,
    Rating,
    RestraintType,
    RestrictionStatus,
    ReviewFrequency,
    Sector,
    Strategy,
)
from rrn_desktop.content.loader import training_standards
from rrn_desktop.core import benchmarks, incidents, plan, restrictions
from rrn_desktop.core.benchmarks import ParticipantInfo
from rrn_desktop.core.services import create_service
from rrn_desktop.reports.benchmark_report import write_benchmark_report
from rrn_desktop.reports.fonts import REPLACEMENT_CHARACTER
from rrn_desktop.reports.incident_report import write_incident_report
from rrn_desktop.reports.incidents_report import write_incidents_report
from rrn_desktop.reports.pack_report import write_pack_report
from rrn_desktop.reports.plan_report import write_plan_report
from rrn_desktop.reports.restrictions_report import REPORT_TITLE as REGISTER_TITLE
from rrn_desktop.reports.restrictions_report import write_restrictions_report
from rrn_desktop.storage.database import Database, open_database
from tests.reports.helpers import read_pdf

pytestmark = pytest.mark.slow  # every report filled to the brim: about 40 s in all

LONG = 10_000
SHORT = 200  # names, roles and other one-line fields
POINT = 5_000  # a learning point
TODAY = dt.date(2026, 3, 1)

# Words for notes, and apart from them words for names: the anonymised reports blank out every
# word of a staff member's name wherever it appears, so a name must not share a word with a note.
NOTE_WORDS = [
    "calm",
    "plan",
    "staff",
    "review",
    "quiet",
    "garden",
    "window",
    "kitchen",
    "morning",
    "evening",
    "listen",
    "trust",
    "safe",
    "choice",
    "voice",
    "rota",
    "support",
    "learning",
    "room",
    "door",
    "key",
    "walk",
    "lunch",
    "music",
    "family",
    "advocate",
    "nurse",
    "night",
    "week",
    "reason",
    "risk",
    "agree",
    "record",
    "talk",
    "breakfast",
    "sensory",
    "timetable",
    "hallway",
    "lounge",
    "dŵr",
    "gŵr",
    "cwtch",
    "hiraeth",
    "bore",
    "noswaith",
    "diolch",
    "croeso",
    "cŵn",
    "tŵr",
]
NAME_WORDS = [
    "Rhiannon",
    "Gwilym",
    "Dafydd",
    "Eluned",
    "Ŵyn",
    "Llŷr",
    "Siân",
    "Bethan",
    "Osian",
    "Ffion",
    "Iolo",
    "Heledd",
]
MARKS = ("<b>", "a<b", "&", "x&y", "&amp;", "😀", "🙂", "🐶")
NAME_MARKS = ("<", "&", "😀")


def made_up(field: str, length: int) -> str:
    """Text of exactly ``length`` characters for one field, the same every run, starting with
    the field's key so it can be told from every other."""
    rng = random.Random(field)
    is_name = length <= SHORT
    words, marks = (NAME_WORDS, NAME_MARKS) if is_name else (NOTE_WORDS, MARKS)
    parts = [f"{field.replace('_', '')}:", "Tŵr" if not is_name else "Ŵyn", "😀"]
    size = sum(len(part) + 1 for part in parts)
    count = 0
    while size < length + 20:
        count += 1
        word = rng.choice(marks) if count % 7 == 0 else rng.choice(words)
        if not is_name and count % 5 == 0:
            word += str(count)
        if not is_name and count % 90 == 0:
            word += "\n"  # a new line now and then, as people type
        parts.append(word)
        size += len(word) + 1
    text = " ".join(parts).replace("\n ", "\n")[:length]
    return text[:-1] + "z" if text[-1].isspace() else text


@dataclass
class Filled:
    """The records, and the text written into each field, by key."""

    db: Database
    texts: dict[str, str]
    benchmark_id: int
    home_id: int
    incident_id: int

    def write(self, key: str, length: int = LONG) -> str:
        self.texts[key] = made_up(key, length)
        return self.texts[key]


def _fill_benchmark(filled: Filled) -> None:
    db, text = filled.db, filled.write
    pack = training_standards()
    made = benchmarks.start_benchmark(
        db,
        filled.home_id,
        dt.date(2026, 1, 10),
        Purpose.SELF_AUDIT,
        [ParticipantInfo(text("participant", SHORT), text("participantrole", SHORT), True)],
    )
    filled.benchmark_id = made.id
    items = [item for _section, item in pack.items()]
    for item in items:
        benchmarks.set_rating(db, made.id, item.code, Rating.PARTLY_MET)
    benchmarks.update_response(
        db,
        made.id,
        items[0].code,
        notes=text("itemnotes"),
        evidence_refs=text("itemevidence"),
        needs_action=True,
        action_text=text("itemaction"),
        action_owner=text("itemowner", SHORT),
        action_due=dt.date(2026, 6, 1),
    )
    benchmarks.sign_off(
        db, made.id, text("signer", SHORT), text("signerrole", SHORT), dt.date(2026, 1, 20)
    )
    benchmarks.reopen(
        db,
        made.id,
        text("reopener", SHORT),
        text("reopenreason", SHORT),
        text("reopenerrole", SHORT),
    )


def _fill_register(filled: Filled) -> int:
    db, text = filled.db, filled.write
    entry = restrictions.add_custom_restriction(
        db,
        filled.home_id,
        text("entrytitle", SHORT),
        "other",
        RestraintType.ENVIRONMENTAL,
        dt.date(2026, 1, 5),
    )
    restrictions.update_restriction(
        db,
        entry,
        description=text("entrydescription"),
        applies_to=AppliesTo.GROUP,
        applies_to_detail=text("appliestodetail"),
        rationale=text("rationale"),
        risk=text("risk"),
        legal_basis=text("legalbasis"),
        alternatives=text("alternatives"),
        consulted=text("consulted"),
        informed=text("informed"),
        authorised_by_role=text("authorisedby", SHORT),
        reduction_plan=text("reductionplan"),
        child_view=text("childview"),
        review_frequency=ReviewFrequency.MONTHLY,
    )
    restrictions.record_review(
        db, entry, dt.date(2026, 2, 1), text("reviewer", SHORT), text("reviewnotes")
    )
    restrictions.change_status(
        db, entry, RestrictionStatus.REDUCING, dt.date(2026, 2, 2), text("entrystatusnote")
    )
    return entry


def _fill_plan(filled: Filled, entry: int) -> None:
    db, text = filled.db, filled.write
    action = plan.create_action(
        db,
        text("actiontitle", SHORT),
        Strategy.LEADERSHIP,
        dt.date(2026, 1, 2),
        service_id=filled.home_id,
        description=text("actiondescription"),
        owner_name=text("actionowner", SHORT),
        owner_role=text("actionownerrole", SHORT),
        outcome_measure=text("outcome"),
        outcome_unit=text("outcomeunit", SHORT),
        outcome_baseline=10,
        outcome_target=2,
    )
    plan.add_note(db, action.id, dt.date(2026, 1, 20), text("progressnote"))
    plan.add_reading(db, action.id, 5, dt.date(2026, 1, 25), text("readingnote"))
    plan.set_status(
        db, action.id, ActionStatus.IN_PROGRESS, dt.date(2026, 1, 26), text("actionstatusnote")
    )
    dropped = plan.create_action(
        db, "Dropped", Strategy.DATA, dt.date(2026, 1, 2), service_id=filled.home_id
    )
    plan.set_status(db, dropped.id, ActionStatus.DROPPED, dt.date(2026, 1, 27), text("dropped"))
    plan.create_action(
        db, "From the register", Strategy.TOOLS, dt.date(2026, 1, 2), restriction_id=entry
    )
    plan.make_pledge(
        db,
        text("pledge"),
        dt.date(2025, 6, 1),
        signed_by=text("pledgesigner", SHORT),
        signed_role=text("pledgesignerrole", SHORT),
        published=True,
        published_where=text("publishedwhere"),
    )
    staff = plan.add_staff_pledge(
        db, text("staffperson", SHORT), text("commitment"), dt.date(2025, 7, 1), TODAY
    )
    plan.review_staff_pledge(db, staff.id, text("staffreview"), dt.date(2026, 9, 1))


def _fill_incident(filled: Filled, ward_id: int) -> None:
    db, text = filled.db, filled.write
    record = incidents.record_incident(
        db,
        ward_id,
        "INC-2026-001",
        dt.datetime(2026, 2, 10, 14, 0),
        ["physical-standing-hold"],
        now=dt.datetime(2026, 2, 20, 9, 0),
        place=text("place", SHORT),
        reason=text("reason"),
        tried_first=text("triedfirst"),
        in_plan=Answer.YES,
        person_injured=Answer.YES,
        staff_injured=Answer.YES,
        injury_details=text("injury"),
        who_told=text("whotold"),
        sector_answers={
            "how_force_used": text("howforce"),
            "patient_outcome": text("patientoutcome"),
            "protected_characteristics": text("protected"),
        },
    )
    filled.incident_id = record.id
    incidents.add_staff(
        db,
        record.id,
        text("staffname", SHORT),
        Involvement.INVOLVED,
        role=text("staffrole", SHORT),
        welfare_offered_on=dt.date(2026, 2, 11),
        welfare_taken_up=Answer.YES,
        referral=text("referral"),
    )
    incidents.save_person_support(
        db,
        record.id,
        dt.date(2026, 2, 11),
        offered_by_role=text("supportrole", SHORT),
        taken_up=Answer.YES,
        communication=text("communication"),
        own_account=text("ownaccount"),
        help_next_time=text("helpnexttime"),
    )
    incidents.save_review(
        db,
        record.id,
        dt.date(2026, 2, 12),
        text("reviewlead", SHORT),
        lead_not_involved=True,
        today=TODAY,
        lead_role=text("reviewleadrole", SHORT),
        before=text("before"),
        during=text("during"),
        after=text("after"),
        what_helped=text("whathelped"),
        could_be_different=text("couldbedifferent"),
    )
    incidents.add_learning_point(db, record.id, text("learningpoint", POINT))


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Filled]:
    with open_database(tmp_path_factory.mktemp("long") / "data") as db:
        home = create_service(db, made_up("home", SHORT), Sector.CHILDRENS_SERVICES)
        ward = create_service(db, made_up("ward", SHORT), Sector.HEALTH)
        filled = Filled(db, {"home": home.name, "ward": ward.name}, 0, home.id, 0)
        _fill_benchmark(filled)
        _fill_plan(filled, _fill_register(filled))
        _fill_incident(filled, ward.id)
        yield filled


BENCHMARK = [
    "home",
    "participant",
    "participantrole",
    "itemnotes",
    "itemevidence",
    "itemaction",
    "itemowner",
    "signer",
    "signerrole",
    "reopener",
    "reopenerrole",
    "reopenreason",
]
REGISTER = [
    "home",
    "entrytitle",
    "entrydescription",
    "appliestodetail",
    "rationale",
    "risk",
    "legalbasis",
    "alternatives",
    "consulted",
    "informed",
    "authorisedby",
    "reductionplan",
    "childview",
    "reviewer",
    "reviewnotes",
    "entrystatusnote",
]
PLAN = [
    "home",
    "itemaction",
    "itemowner",
    "entrytitle",
    "actiontitle",
    "actiondescription",
    "actionowner",
    "actionownerrole",
    "outcome",
    "outcomeunit",
    "progressnote",
    "readingnote",
    "actionstatusnote",
    "dropped",
    "pledge",
    "pledgesigner",
    "pledgesignerrole",
    "publishedwhere",
    "staffperson",
    "commitment",
    "staffreview",
]
INCIDENT = [
    "ward",
    "place",
    "reason",
    "triedfirst",
    "injury",
    "whotold",
    "howforce",
    "patientoutcome",
    "protected",
    "staffname",
    "staffrole",
    "referral",
    "supportrole",
    "communication",
    "ownaccount",
    "helpnexttime",
    "reviewlead",
    "reviewleadrole",
    "before",
    "during",
    "after",
    "whathelped",
    "couldbedifferent",
    "learningpoint",
]
# Anonymised by design: the services and the learning points, scrubbed of names (there are
# none in this point), nothing else that was typed.
INCIDENT_FIGURES = ["home", "ward", "learningpoint"]
# The inspection pack with its appendix: every benchmark item, register entry and action in
# full, and the incident figures.
PACK = sorted({*BENCHMARK, *REGISTER, *PLAN, *INCIDENT_FIGURES})

Writer = Callable[[Filled, Path], object]
REPORTS: dict[str, tuple[Writer, Sequence[str]]] = {
    "benchmark": (lambda f, out: write_benchmark_report(f.db, f.benchmark_id, out), BENCHMARK),
    "restrictions": (
        lambda f, out: write_restrictions_report(f.db, out, service_id=f.home_id, today=TODAY),
        REGISTER,
    ),
    "plan": (lambda f, out: write_plan_report(f.db, out, today=TODAY), PLAN),
    "incident": (
        lambda f, out: write_incident_report(
            f.db, f.incident_id, out, include_support=True, today=TODAY
        ),
        INCIDENT,
    ),
    "incidents": (lambda f, out: write_incidents_report(f.db, out, today=TODAY), INCIDENT_FIGURES),
    "pack": (lambda f, out: write_pack_report(f.db, out, today=TODAY, appendix=True), PACK),
}


def flat(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def missing(text: str, pages: Sequence[str]) -> str:
    """What of ``text`` is not printed, whole and in order, across ``pages`` (each flattened):
    "" when it all is. Text may stop at the foot of one page and go on on the next, after that
    page's header and the repeated heading of its table; it may not stop anywhere else."""
    whole = flat(text)
    best = whole
    for first in range(len(pages)):
        rest = whole
        for page in pages[first:]:
            probe = rest[:20]
            longest, start = 0, page.find(probe)
            while start >= 0:
                length = len(probe)
                while length < len(rest) and start + length < len(page):
                    if page[start + length] != rest[length]:
                        break
                    length += 1
                longest = max(longest, length)
                start = page.find(probe, start + 1)
            if not longest:
                break
            rest = rest[longest:].lstrip()
            if not rest:
                return ""
        if len(rest) < len(best):
            best = rest
    return best


def word_text(path: Path) -> str:
    """The Word document's text, body then header and footer, a paragraph to a line."""
    document = Document(str(path))
    parts = [document.element.body]
    section = document.sections[0]
    parts += [section.header._element, section.footer._element]
    lines: list[str] = []
    for part in parts:
        for paragraph in part.iter(qn("w:p")):
            words = []
            for element in paragraph.iter(qn("w:t"), qn("w:br")):
                words.append(element.text or "" if element.tag == qn("w:t") else "\n")
            lines.append("".join(words))
    return "\n".join(lines)


def windows(text: str, size: int = 40) -> list[str]:
    """Overlapping stretches of the text, so any piece printed twice holds one whole, from
    past its first line: a record's heading, repeated on every page the record runs onto,
    repeats the start of a long title."""
    whole = flat(text)
    return [whole[start : start + size] for start in range(SHORT, len(whole) - size, size // 2)]


@pytest.mark.parametrize("report", list(REPORTS))
def test_every_field_prints_in_full_in_pdf_and_word(
    filled: Filled, report: str, tmp_path: Path
) -> None:
    write, keys = REPORTS[report]
    write(filled, tmp_path / "report.pdf")
    write(filled, tmp_path / "report.docx")
    pages = [flat(page) for page in read_pdf(tmp_path / "report.pdf").pages]
    word = flat(word_text(tmp_path / "report.docx"))
    pdf = " ".join(pages)

    assert REPLACEMENT_CHARACTER not in pdf
    assert REPLACEMENT_CHARACTER not in word
    for key in keys:
        text = filled.texts[key]
        assert missing(text, pages) == "", f"{report} PDF: {key}"
        assert missing(text, [word]) == "", f"{report} Word: {key}"
        if len(text) > SHORT:  # a name is repeated by design, in every page's header
            # Where a row is split across pages nothing is printed twice: no stretch of the
            # text is printed more often than in the Word copy, which is never split.
            for stretch in windows(text):
                assert pdf.count(stretch) <= word.count(stretch), f"{report}: {key} {stretch!r}"


def test_an_emoji_in_a_service_name_prints_as_itself_on_every_page(tmp_path: Path) -> None:
    with open_database(tmp_path / "data") as db:
        home = create_service(db, "Tŷ Coed 🌳 house", Sector.ADULT_SOCIAL_CARE)
        restrictions.add_custom_restriction(
            db, home.id, "Garden locked 🔒 at night", "other", RestraintType.ENVIRONMENTAL, TODAY
        )
        out = tmp_path / "register.pdf"
        write_restrictions_report(db, out, service_id=home.id, today=TODAY)
        write_restrictions_report(db, tmp_path / "register.docx", service_id=home.id, today=TODAY)

    pages = read_pdf(out).pages
    assert len(pages) > 1
    assert all(REPLACEMENT_CHARACTER not in page for page in pages)
    assert "Tŷ Coed 🌳 house" in pages[0]
    assert "Garden locked 🔒 at night" in read_pdf(out).all
    # The running header, on every page after the cover, names the service.
    header = f"Tŷ Coed 🌳 house · {REGISTER_TITLE}"
    assert header not in pages[0]
    assert all(header in page for page in pages[1:])
    word = word_text(tmp_path / "register.docx")
    assert "Tŷ Coed 🌳 house" in word and "Garden locked 🔒 at night" in word
    assert REPLACEMENT_CHARACTER not in word
