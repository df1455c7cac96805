"""Every free-text field, fed arbitrary Unicode: it is refused with a plain message and nothing
is saved, or it reads back exactly as the core stores it.

What the core stores, field by field as its functions do it:

- Names and short fields (validation's Name and ShortText): clean_line(text), that is line
  breaks and tabs flattened to one space and other control characters and direction overrides
  dropped, then without the Unicode White_Space around it (pydantic's strip). Names 1-200
  characters, short fields up to 200, counted after cleaning.
- Long fields (LongText): clean_text(text), line breaks kept as "\n", other controls dropped,
  nothing stripped; up to 100,000 characters after cleaning. A staff pledge's commitment is
  str.strip()ped first, and refused only when blank before cleaning.
- Fields their core function does not clean are stored as typed, less the whitespace around
  them: incident references (1-40) and initials (up to 10, no digits) and learning points
  (1-5,000) without White_Space (pydantic's strip), progress notes without what Python's
  str.strip() removes. Their control characters are kept; reports leave out what they cannot
  print.

Each test uses one data folder for all its examples, reopens it at the end to read everything
back once more, and prints what it collected as a PDF and a Word document.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.pack_ids import TRAINING_STANDARDS_PACK_ID
from rrn_desktop.base.vocabulary import (
    Involvement,
    PersonIdentity,
    Purpose,
    RestraintType,
    Sector,
    Strategy,
)
from rrn_desktop.content.loader import shipped_pack
from rrn_desktop.core import benchmarks, incidents, plan, restrictions, services
from rrn_desktop.core.incident_settings import update_incident_settings
from rrn_desktop.core.text_cleaning import clean_line, clean_text
from rrn_desktop.reports.incidents_report import write_incidents_report
from rrn_desktop.reports.plan_report import write_plan_report
from rrn_desktop.reports.restrictions_report import write_restrictions_report
from rrn_desktop.reports.xlsx_export import export_xlsx
from rrn_desktop.storage.database import Database, open_database
from tests.reports.helpers import read_pdf

DAY = dt.date(2024, 5, 1)
OCCURRED = dt.datetime(2024, 5, 1, 10, 30)
NOW = dt.datetime(2024, 5, 3, 9, 0)
KINDS = ["physical-standing-hold"]
# A title whose markup must print as typed, not as markup.
MARKUP = "Tŷ <b>bold</b> & <i>ŵ</i> &amp; <br/> end"

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Unicode's White_Space characters: what pydantic's strip (Rust's str::trim) removes.
WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
# Characters and sequences worth meeting more often than chance would bring them.
AWKWARD = [
    "\x00",
    "\x01",
    "\x1c",
    "\x1f",
    "\x7f",
    "\x85",
    "\t",
    "\r\n",
    "\u2028",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "<",
    ">",
    "&",
    "&amp;",
    "<b>",
    "</para>",
    "'",
    '"',
    "%s",
    "{0}",
    "\\",
    "ŵ",
    "ŷ",
    "Tŷ Gwyn",
    "e\u0301",
    "\u0301",
    "ﬁ",
    "ß",
    "İ",
    "\u202e",
    "\u200f",
    "שלום",
    "مرحبا",
    "\u200d",
    "🙂",
    "\U0001f469\u200d\U0001f469\u200d\U0001f467",  # a family: emoji joined by ZWJ
    "\U0001f3f4\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f",  # Wales
    "\U0001d518\U0001d52b\U0001d526",  # mathematical letters beyond U+FFFF
    "中文",
    " ",
    "\xa0",
    "\u3000",
]
_pieces = st.one_of(st.text(max_size=12), st.sampled_from(AWKWARD))
texts = st.lists(_pieces, max_size=8).map("".join)
near_limit = st.text(min_size=195, max_size=205)
name_texts = st.one_of(texts, texts, texts, near_limit)


def stripped(text: str) -> str:
    """A field the core does not clean, as pydantic's strip leaves it."""
    return text.strip(WHITE_SPACE)


def one_line(text: str) -> str:
    """A name or short field as the core stores it: cleaned to one line, then stripped."""
    return stripped(clean_line(text))


def name_ok(text: str) -> bool:
    return 1 <= len(one_line(text)) <= 200


def short_ok(text: str) -> bool:
    return len(one_line(text)) <= 200


def long_ok(text: str) -> bool:
    return len(clean_text(text)) <= 100_000


def long_fields(typed: dict[str, str], names: list[str]) -> dict[str, str]:
    """Long fields as the core stores them."""
    return {name: clean_text(typed[name]) for name in names}


def initials_ok(text: str) -> bool:
    # Initials are not cleaned: a control character in them is kept as typed.
    value = stripped(text)
    return len(value) <= 10 and not any(unicodedata.category(ch) == "Nd" for ch in value)


# Pydantic's own wording (or a developer's) that should never reach the person.
TECHNICAL = re.compile(
    r"Traceback|sqlite|SQL|should be a valid|should have|should match|pattern|Input should",
    re.IGNORECASE,
)


def attempt(call: Callable[[], Any], *, known_technical: bool = False) -> tuple[bool, Any]:
    """(True, result) when saved, (False, error) when refused with a UserFacingError. Any
    other exception is a bug and fails the test as it is."""
    try:
        return True, call()
    except UserFacingError as error:
        assert error.message.strip(), "a refusal with no message"
        if not known_technical:
            assert not TECHNICAL.search(error.message), error.message
        return False, error


def check_reports(db: Database, tmp_path: Path, writer: Callable[..., Any], name: str) -> None:
    """The collected texts, printed as a PDF and a Word document, without a crash."""
    for suffix in (".pdf", ".docx"):
        result = writer(db, tmp_path / f"{name}{suffix}", today=NOW.date())
        assert result.path.stat().st_size > 0


# --- the organisation and its services ---------------------------------------------------------


def test_service_and_organisation_names(data_dir: Path, tmp_path: Path) -> None:
    saved: list[str] = []
    with open_database(data_dir) as db:

        @EXAMPLES
        @given(name=name_texts, organisation=name_texts)
        @example(name="A\x00B", organisation="\x00")
        @example(name=" " * 3, organisation="x" * 201)
        @example(name="Willow\r\n\t House\u2028", organisation="\u202e\x1f\u2066")
        @example(name="\x00" + "y" * 200 + "\x7f", organisation="z" * 200 + "\n")
        def check(name: str, organisation: str) -> None:
            before = services.list_services(db)
            ok, result = attempt(lambda: services.create_service(db, name, Sector.HEALTH))
            clash = one_line(name) in saved
            assert ok == (name_ok(name) and not clash), (name, result)
            if ok:
                assert result.name == one_line(name)
                saved.append(result.name)
                assert [s.name for s in services.list_services(db)].count(result.name) == 1
            else:
                assert services.list_services(db) == before
            was = services.organisation_name(db)
            ok, result = attempt(lambda: services.rename_organisation(db, organisation))
            assert ok == name_ok(organisation), (organisation, result)
            expected = one_line(organisation) if ok else was
            assert services.organisation_name(db) == expected

        check()
        organisation = services.organisation_name(db)
    with open_database(data_dir) as db:
        assert sorted(s.name for s in services.list_services(db)) == sorted(saved)
        assert services.organisation_name(db) == organisation


# --- the blanket restrictions register ----------------------------------------------------------

LONG_RESTRICTION_FIELDS = [
    "description",
    "applies_to_detail",
    "rationale",
    "risk",
    "legal_basis",
    "alternatives",
    "consulted",
    "informed",
    "reduction_plan",
    "child_view",
]


def _restriction_fields(entry: restrictions.RestrictionInfo) -> dict[str, str]:
    names = [*LONG_RESTRICTION_FIELDS, "title", "authorised_by_role"]
    return {name: getattr(entry, name) for name in names}


def test_restriction_texts(data_dir: Path, tmp_path: Path) -> None:
    with open_database(data_dir) as db:
        service_id = services.create_service(db, "Tŷ Gwyn ŵ", Sector.ADULT_SOCIAL_CARE).id

        def add(title: str) -> tuple[bool, Any]:
            return attempt(
                lambda: restrictions.add_custom_restriction(
                    db, service_id, title, "other", RestraintType.ENVIRONMENTAL, DAY
                )
            )

        fallback = add(MARKUP)[1]

        @EXAMPLES
        @given(
            title=name_texts,
            changes=st.fixed_dictionaries(
                {name: texts for name in LONG_RESTRICTION_FIELDS}
                | {"title": name_texts, "authorised_by_role": name_texts}
            ),
            review_by=name_texts,
            review_notes=texts,
        )
        @example(
            title="\x00",
            changes={name: "\x00\x1f<&>" for name in LONG_RESTRICTION_FIELDS}
            | {"title": "\x00", "authorised_by_role": ""},
            review_by="A",
            review_notes="\x00",
        )
        @example(
            title="ok",
            changes={name: "" for name in LONG_RESTRICTION_FIELDS}
            | {"title": "ok", "authorised_by_role": "", "rationale": "x" * 100_001},
            review_by="A",
            review_notes="",
        )
        # 100,001 characters as typed, 100,000 once the Windows line ending is cleaned.
        @example(
            title="ok",
            changes={name: "" for name in LONG_RESTRICTION_FIELDS}
            | {"title": "ok", "authorised_by_role": "", "risk": "x" * 99_999 + "\r\n"},
            review_by="A",
            review_notes="a\r\nb\x00",
        )
        def check(title: str, changes: dict[str, str], review_by: str, review_notes: str) -> None:
            count = len(restrictions.list_restrictions(db))
            ok, result = add(title)
            assert ok == name_ok(title), (title, result)
            if ok:
                entry = restrictions.get_restriction(db, result)
                assert entry.title == one_line(title)
            else:
                assert len(restrictions.list_restrictions(db)) == count
            entry_id = result if ok else fallback
            before = _restriction_fields(restrictions.get_restriction(db, entry_id))
            ok, result = attempt(lambda: restrictions.update_restriction(db, entry_id, **changes))
            valid = (
                all(long_ok(changes[name]) for name in LONG_RESTRICTION_FIELDS)
                and name_ok(changes["title"])
                and short_ok(changes["authorised_by_role"])
            )
            assert ok == valid, (changes, result)
            after = _restriction_fields(restrictions.get_restriction(db, entry_id))
            if ok:
                expected = long_fields(changes, LONG_RESTRICTION_FIELDS)
                expected["title"] = one_line(changes["title"])
                expected["authorised_by_role"] = one_line(changes["authorised_by_role"])
                assert after == expected
            else:
                assert after == before
            reviews = len(restrictions.get_restriction(db, entry_id).reviews)
            ok, result = attempt(
                lambda: restrictions.record_review(db, entry_id, DAY, review_by, review_notes)
            )
            assert ok == name_ok(review_by), (review_by, result)
            again = restrictions.get_restriction(db, entry_id).reviews
            if ok:
                assert (again[-1].reviewed_by, again[-1].notes) == (
                    one_line(review_by),
                    clean_text(review_notes),
                )
            assert len(again) == reviews + ok

        check()
        add(MARKUP)
        saved = [_restriction_fields(e) for e in restrictions.list_restrictions(db)]
        check_reports(db, tmp_path, write_restrictions_report, "register")
    with open_database(data_dir) as db:
        assert [_restriction_fields(e) for e in restrictions.list_restrictions(db)] == saved
        # Markup typed by a person prints as typed.
        assert MARKUP in read_pdf(tmp_path / "register.pdf").flat
        word = "\n".join(p.text for p in Document(str(tmp_path / "register.docx")).paragraphs)
        word += "\n".join(
            cell.text
            for table in Document(str(tmp_path / "register.docx")).tables
            for row in table.rows
            for cell in row.cells
        )
        assert MARKUP in word


def test_the_spreadsheet_export_takes_every_character(db: Database, tmp_path: Path) -> None:
    service_id = services.create_service(db, "Home", Sector.HEALTH).id
    for character in ["\x00", "\x1f", "\x7f", "\ufffe", "\uffff", "\U0010ffff", "🙂"]:
        restrictions.add_custom_restriction(
            db, service_id, f"Title {character} end", "other", RestraintType.BLANKET, DAY
        )
    out = tmp_path / "everything.xlsx"
    crashed = ""
    try:
        export_xlsx(db, out, include_personal=True, today=NOW.date())
    except ValueError as error:
        crashed = str(error)
    assert not crashed, crashed
    assert out.stat().st_size > 0


# --- the plan ----------------------------------------------------------------------------------

ACTION_SHORT = ["owner_name", "owner_role", "outcome_unit"]
ACTION_LONG = ["description", "outcome_measure"]


def _action_fields(action: plan.ActionInfo) -> dict[str, str]:
    return {name: getattr(action, name) for name in ["title", *ACTION_SHORT, *ACTION_LONG]}


def test_action_and_pledge_texts(data_dir: Path, tmp_path: Path) -> None:
    with open_database(data_dir) as db:
        service_id = services.create_service(db, "Hillside ŷ", Sector.EDUCATION).id
        fallback = plan.create_action(db, MARKUP, Strategy.DATA, DAY, service_id=service_id).id
        field_texts = st.fixed_dictionaries(
            {name: name_texts for name in ACTION_SHORT} | {name: texts for name in ACTION_LONG}
        )

        def valid(title: str, fields: dict[str, str]) -> bool:
            return (
                name_ok(title)
                and all(short_ok(fields[name]) for name in ACTION_SHORT)
                and all(long_ok(fields[name]) for name in ACTION_LONG)
            )

        def expected(title: str, fields: dict[str, str]) -> dict[str, str]:
            shown = {name: one_line(fields[name]) for name in ACTION_SHORT}
            return {"title": one_line(title), **shown, **long_fields(fields, ACTION_LONG)}

        @EXAMPLES
        @given(
            title=name_texts,
            fields=field_texts,
            new_title=name_texts,
            changes=field_texts,
            note=texts,
            person=name_texts,
            commitment=texts,
        )
        @example(
            title="\x00",
            fields=dict.fromkeys([*ACTION_SHORT, *ACTION_LONG], "\x00"),
            new_title="\u202e\x1f",
            changes=dict.fromkeys([*ACTION_SHORT, *ACTION_LONG], "\r\n<&>"),
            note="\x1c\x00\x1f",
            person="\x00",
            commitment="\x1f",
        )
        def check(
            title: str,
            fields: dict[str, str],
            new_title: str,
            changes: dict[str, str],
            note: str,
            person: str,
            commitment: str,
        ) -> None:
            count = len(plan.list_actions(db))
            ok, result = attempt(
                lambda: plan.create_action(
                    db, title, Strategy.WORKFORCE, DAY, service_id=service_id, **fields
                )
            )
            assert ok == valid(title, fields), (title, fields, result)
            if ok:
                assert _action_fields(plan.get_action(db, result.id)) == expected(title, fields)
            else:
                assert len(plan.list_actions(db)) == count
            action_id = result.id if ok else fallback
            before = _action_fields(plan.get_action(db, action_id))
            ok, result = attempt(
                lambda: plan.update_action(db, action_id, title=new_title, **changes)
            )
            assert ok == valid(new_title, changes), (new_title, changes, result)
            after = _action_fields(plan.get_action(db, action_id))
            assert after == (expected(new_title, changes) if ok else before)
            notes = plan.get_action(db, action_id).notes
            ok, result = attempt(lambda: plan.add_note(db, action_id, DAY, note))
            assert ok == bool(note.strip()), (note, result)
            again = plan.get_action(db, action_id).notes
            assert len(again) == len(notes) + ok
            if ok:
                # Progress notes are not cleaned: only str.strip() is applied.
                assert again[-1].text == note.strip()
            pledges = plan.list_staff_pledges(db)
            ok, result = attempt(lambda: plan.add_staff_pledge(db, person, commitment, DAY))
            committed = commitment.strip()
            valid_pledge = name_ok(person) and bool(committed) and long_ok(committed)
            assert ok == valid_pledge, (person, commitment, result)
            again = plan.list_staff_pledges(db)
            assert len(again) == len(pledges) + ok
            if ok:
                assert (again[-1].person, again[-1].commitment) == (
                    one_line(person),
                    clean_text(committed),
                )

        check()
        saved = [_action_fields(a) for a in plan.list_actions(db)]
        notes = [a.notes for a in plan.list_actions(db)]
        check_reports(db, tmp_path, write_plan_report, "plan")
    with open_database(data_dir) as db:
        assert [_action_fields(a) for a in plan.list_actions(db)] == saved
        assert [a.notes for a in plan.list_actions(db)] == notes


# --- incidents, support and learning -----------------------------------------------------------

INCIDENT_LONG = ["reason", "tried_first", "injury_details", "who_told"]
SUPPORT_LONG = ["communication", "own_account", "help_next_time"]
REVIEW_LONG = ["before", "during", "after", "what_helped", "could_be_different"]


def test_incident_support_and_learning_texts(data_dir: Path, tmp_path: Path) -> None:
    with open_database(data_dir) as db:
        update_incident_settings(db, identity=PersonIdentity.INITIALS)
        service_id = services.create_service(db, "Ward 7 <east> & ŵ", Sector.HEALTH).id
        number = 0

        @EXAMPLES
        @given(
            initials=st.one_of(texts, st.text(max_size=12)),
            place=name_texts,
            record=st.fixed_dictionaries({name: texts for name in INCIDENT_LONG}),
            staff=st.tuples(name_texts, name_texts, texts),
            support=st.fixed_dictionaries(
                {"offered_by_role": name_texts} | {name: texts for name in SUPPORT_LONG}
            ),
            lead=st.tuples(name_texts, name_texts),
            review=st.fixed_dictionaries({name: texts for name in REVIEW_LONG}),
            point=st.one_of(texts, st.text(min_size=4990, max_size=5010)),
        )
        @example(
            initials="\x00",
            place="\x00",
            record=dict.fromkeys(INCIDENT_LONG, "\x00<&>"),
            staff=("\x00", "\x1f", "\x00"),
            support=dict.fromkeys(["offered_by_role", *SUPPORT_LONG], "\x00"),
            lead=("\x1f", "\x00"),
            review=dict.fromkeys(REVIEW_LONG, "\u202e"),
            point="\x00",
        )
        def check(
            initials: str,
            place: str,
            record: dict[str, str],
            staff: tuple[str, str, str],
            support: dict[str, str],
            lead: tuple[str, str],
            review: dict[str, str],
            point: str,
        ) -> None:
            nonlocal number
            number += 1
            reference = f"INC-U-{number:03d}"
            count = len(incidents.list_incidents(db))
            ok, result = attempt(
                lambda: incidents.record_incident(
                    db,
                    service_id,
                    reference,
                    OCCURRED,
                    KINDS,
                    now=NOW,
                    person_initials=initials,
                    place=place,
                    **record,
                ),
                known_technical=not initials_ok(initials),  # see the test of initials below
            )
            valid = (
                initials_ok(initials)
                and short_ok(place)
                and all(long_ok(record[name]) for name in INCIDENT_LONG)
            )
            assert ok == valid, (initials, place, record, result)
            if not ok:
                assert len(incidents.list_incidents(db)) == count
                ok, result = attempt(
                    lambda: incidents.record_incident(
                        db, service_id, reference, OCCURRED, KINDS, now=NOW
                    )
                )
                assert ok
            else:
                saved = incidents.get_incident(db, result.id)
                assert saved.person_initials == stripped(initials)
                assert saved.place == one_line(place)
                stored = {name: getattr(saved, name) for name in INCIDENT_LONG}
                assert stored == long_fields(record, INCIDENT_LONG)
            incident_id = result.id

            name, role, referral = staff
            ok, result = attempt(
                lambda: incidents.add_staff(
                    db,
                    incident_id,
                    name,
                    Involvement.INVOLVED,
                    role=role,
                    referral=referral,
                )
            )
            assert ok == (name_ok(name) and short_ok(role) and long_ok(referral)), result
            people = incidents.get_incident(db, incident_id).staff
            assert len(people) == ok
            if ok:
                assert (people[0].name, people[0].role, people[0].referral) == (
                    one_line(name),
                    one_line(role),
                    clean_text(referral),
                )

            ok, result = attempt(
                lambda: incidents.save_person_support(db, incident_id, DAY, **support)
            )
            valid_support = short_ok(support["offered_by_role"]) and all(
                long_ok(support[n]) for n in SUPPORT_LONG
            )
            assert ok == valid_support, result
            given_support = incidents.get_incident(db, incident_id).person_support
            if ok:
                assert given_support is not None
                assert given_support.offered_by_role == one_line(support["offered_by_role"])
                assert {n: getattr(given_support, n) for n in SUPPORT_LONG} == long_fields(
                    support, SUPPORT_LONG
                )
            else:
                assert given_support is None

            lead_name, lead_role = lead
            ok, result = attempt(
                lambda: incidents.save_review(
                    db,
                    incident_id,
                    DAY,
                    lead_name,
                    lead_not_involved=True,
                    today=NOW.date(),
                    lead_role=lead_role,
                    **review,
                )
            )
            same = bool(people) and (
                " ".join(people[0].name.split()).casefold()
                == " ".join(one_line(lead_name).split()).casefold()
            )
            valid_review = name_ok(lead_name) and short_ok(lead_role)
            valid_review = valid_review and all(long_ok(review[n]) for n in REVIEW_LONG)
            assert ok == (valid_review and not same), result
            held = incidents.get_incident(db, incident_id).review
            if not ok:
                assert held is None
                return
            assert held is not None
            assert (held.lead_name, held.lead_role) == (one_line(lead_name), one_line(lead_role))
            assert {n: getattr(held, n) for n in REVIEW_LONG} == long_fields(review, REVIEW_LONG)

            ok, result = attempt(lambda: incidents.add_learning_point(db, incident_id, point))
            # Learning points are not cleaned: pydantic's strip is all that is applied.
            assert ok == (1 <= len(stripped(point)) <= 5000), result
            points = incidents.get_incident(db, incident_id).review.points
            assert [p.text for p in points] == ([stripped(point)] if ok else [])

        check()
        saved = incidents.list_incidents(db)
        check_reports(db, tmp_path, write_incidents_report, "incidents")
    with open_database(data_dir) as db:
        assert incidents.list_incidents(db) == saved


def test_incident_references(data_dir: Path) -> None:
    with open_database(data_dir) as db:
        service_id = services.create_service(db, "Home", Sector.CHILDRENS_SERVICES).id
        used: list[str] = []

        @EXAMPLES
        @given(reference=st.one_of(texts, st.text(min_size=38, max_size=42)))
        @example(reference="\x00")
        @example(reference="INC\u00a0")
        def check(reference: str) -> None:
            count = len(incidents.list_incidents(db))
            ok, result = attempt(
                lambda: incidents.record_incident(
                    db, service_id, reference, OCCURRED, KINDS, now=NOW
                )
            )
            value = stripped(reference)
            assert ok == (1 <= len(value) <= 40 and value not in used), (reference, result)
            if ok:
                used.append(value)
                assert incidents.get_incident(db, result.id).reference == value
            assert len(incidents.list_incidents(db)) == count + ok

        check()
    with open_database(data_dir) as db:
        assert sorted(i.reference for i in incidents.list_incidents(db)) == sorted(used)


def test_initials_with_a_digit_are_refused_in_plain_words(db: Database) -> None:
    update_incident_settings(db, identity=PersonIdentity.INITIALS)
    service_id = services.create_service(db, "Home", Sector.HEALTH).id
    ok, result = attempt(
        lambda: incidents.record_incident(
            db, service_id, "INC-1", OCCURRED, KINDS, now=NOW, person_initials="A1"
        ),
        known_technical=True,
    )
    assert not ok
    assert not TECHNICAL.search(result.message), result.message


# --- benchmarks --------------------------------------------------------------------------------


def test_benchmark_texts(data_dir: Path) -> None:
    with open_database(data_dir) as db:
        service_id = services.create_service(db, "Training team ŵ", Sector.HEALTH).id
        codes = [item.code for _section, item in shipped_pack(TRAINING_STANDARDS_PACK_ID).items()]

        @EXAMPLES
        @given(
            person=st.tuples(name_texts, name_texts),
            response=st.fixed_dictionaries(
                {"notes": texts, "evidence_refs": texts, "action_owner": name_texts}
            ),
            sign=st.tuples(name_texts, name_texts),
            reopen=st.tuples(name_texts, name_texts),
            code=st.sampled_from(codes[:5]),
        )
        def check(
            person: tuple[str, str],
            response: dict[str, str],
            sign: tuple[str, str],
            reopen: tuple[str, str],
            code: str,
        ) -> None:
            people = [benchmarks.ParticipantInfo(person[0], person[1])]
            ok, result = attempt(
                lambda: benchmarks.start_benchmark(db, service_id, DAY, Purpose.SELF_AUDIT, people)
            )
            assert ok == (name_ok(person[0]) and short_ok(person[1])), result
            if not ok:
                result = benchmarks.start_benchmark(db, service_id, DAY, Purpose.SELF_AUDIT, [])
            else:
                assert result.participants == (
                    benchmarks.ParticipantInfo(one_line(person[0]), one_line(person[1])),
                )
            benchmark_id = result.id
            ok, result = attempt(
                lambda: benchmarks.update_response(
                    db, benchmark_id, code, needs_action=True, **response
                )
            )
            valid = (
                long_ok(response["notes"])
                and long_ok(response["evidence_refs"])
                and short_ok(response["action_owner"])
            )
            assert ok == valid, result
            saved = benchmarks.get_benchmark(db, benchmark_id).response(code)
            if ok:
                assert (saved.notes, saved.evidence_refs, saved.action_owner) == (
                    clean_text(response["notes"]),
                    clean_text(response["evidence_refs"]),
                    one_line(response["action_owner"]),
                )
            else:
                assert (saved.notes, saved.evidence_refs, saved.action_id) == ("", "", None)
            ok, result = attempt(lambda: benchmarks.sign_off(db, benchmark_id, *sign, DAY))
            assert ok == (name_ok(sign[0]) and name_ok(sign[1])), result
            held = benchmarks.get_benchmark(db, benchmark_id)
            if not ok:
                assert not held.signed_off
                return
            assert (held.signed_off_by, held.signed_off_role) == tuple(map(one_line, sign))
            by_name, reason = reopen
            ok, result = attempt(
                lambda: benchmarks.reopen(db, benchmark_id, by_name, reason, by_role="Lead")
            )
            assert ok == (name_ok(by_name) and name_ok(reason)), result
            held = benchmarks.get_benchmark(db, benchmark_id)
            assert held.signed_off is not ok
            if ok:
                assert (held.events[-1].by_name, held.events[-1].reason) == (
                    one_line(by_name),
                    one_line(reason),
                )

        check()
        saved = benchmarks.list_benchmarks(db, service_id)
    with open_database(data_dir) as db:
        again = benchmarks.list_benchmarks(db, service_id)
        assert [(b.participants, b.responses, b.signed_off_by) for b in again] == [
            (b.participants, b.responses, b.signed_off_by) for b in saved
        ]
