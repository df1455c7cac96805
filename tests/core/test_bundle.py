"""Moving records between laptops: export a bundle, check it, merge it, all or nothing."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from rrn_desktop.base.vocabulary import (
    ChecklistAnswer,
    PersonIdentity,
    Rating,
    RestraintType,
    Sector,
    Strategy,
)
from rrn_desktop.content.loader import shipped_checklist
from rrn_desktop.core import bundle_format, bundle_import, incidents, plan, restrictions
from rrn_desktop.core.benchmarks import list_benchmarks, set_rating, sign_off
from rrn_desktop.core.bundle import (
    BundleError,
    ImportPlan,
    Outcome,
    apply_import,
    export_bundle,
    plan_import,
    read_bundle,
)
from rrn_desktop.core.bundle_tables import SPECS, TABLES
from rrn_desktop.core.incident_settings import update_incident_settings
from rrn_desktop.core.services import create_service, find_service, list_services
from rrn_desktop.core.text_cleaning import clean_line
from rrn_desktop.storage.database import Database, open_database
from rrn_desktop.storage.models import (
    Base,
    ChangeLogEntry,
    EvidenceFile,
    Incident,
    Restriction,
    ServiceChecklistAnswer,
)

WILLOW = "Willow House care home (demo)"
SCHOOL = "Oakfield Academy (demo)"
TODAY = dt.date(2026, 11, 20)


# --- helpers -------------------------------------------------------------------------------------


def counts(db: Database) -> dict[str, int]:
    with db.transaction() as session:
        return {
            spec.table: session.scalar(select(func.count()).select_from(spec.model)) or 0
            for spec in TABLES
        }


def log_entries(db: Database) -> int:
    with db.transaction() as session:
        return session.scalar(select(func.count()).select_from(ChangeLogEntry)) or 0


def export_service(data: Path, out: Path, name: str | None = WILLOW) -> Path:
    with open_database(data) as db:
        service_id = find_service(db, name).id if name else None
        export_bundle(db, out, service_id=service_id)
    return out


def import_into(data: Path, bundle_path: Path) -> ImportPlan:
    with open_database(data) as db:
        return apply_import(db, plan_import(db, read_bundle(bundle_path)))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rewrite(source: Path, out: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    change(members)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out


def edit_records(edit: Callable[[dict[str, list[dict[str, object]]]], None]):
    """A change to the records that also fixes the manifest, as a careful forger would."""

    def change(members: dict[str, bytes]) -> None:
        records = json.loads(members["records.json"])
        edit(records)
        members["records.json"] = json.dumps(records).encode()
        manifest = json.loads(members["manifest.json"])
        manifest["records_sha256"] = hashlib.sha256(members["records.json"]).hexdigest()
        manifest["counts"] = {table: len(rows) for table, rows in records.items()}
        members["manifest.json"] = json.dumps(manifest).encode()

    return change


def edit_manifest(**values: object) -> Callable[[dict[str, bytes]], None]:
    def change(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        manifest.update(values)
        members["manifest.json"] = json.dumps(manifest).encode()

    return change


@pytest.fixture(scope="module")
def willow_bundle(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    """Willow House exported once from the demo; tests only read it."""
    folder = tmp_path_factory.mktemp("willow")
    home = shutil.copytree(demo_template, folder / "home")
    return export_service(home, folder / "willow.rrnbundle")


@pytest.fixture
def own_data(data_dir: Path, willow_bundle: Path) -> Iterator[Path]:
    """Another laptop's data: its own services, register, plan and incidents, including a
    service with Willow House's name and an incident with one of Willow House's references."""
    taken_reference = read_bundle(willow_bundle).records["incident"][0].reference
    with open_database(data_dir) as db:
        create_service(db, WILLOW, Sector.ADULT_SOCIAL_CARE)  # a different service, same name
        ash = create_service(db, "Ash Court", Sector.ADULT_SOCIAL_CARE)
        restrictions.add_custom_restriction(
            db, ash.id, "Kitchen locked at night", "building", RestraintType.ENVIRONMENTAL, TODAY
        )
        plan.create_action(db, "Debrief after every incident", Strategy.DEBRIEFING, TODAY)
        incidents.record_incident(
            db,
            ash.id,
            taken_reference,
            dt.datetime(2026, 11, 1, 10, 30),
            ["physical-escort"],
            place="Garden",
        )
    yield data_dir


# --- exporting -----------------------------------------------------------------------------------


def test_every_table_either_travels_or_is_kept_here_on_purpose() -> None:
    """A new table needs a decision: carried in bundles (bundle_tables) or not."""
    kept_here = {"organisation", "change_log", "app_setting", "retention_removal"}
    kept_here.add("evidence_content")  # a shared database's evidence: bundles carry the files
    kept_here.add("data_arrival")  # when bundles arrived here
    assert set(Base.metadata.tables) == set(SPECS) | kept_here
    assert not set(SPECS) & kept_here


def test_export_writes_one_service_and_everything_belonging_to_it(
    demo_dir: Path, tmp_path: Path
) -> None:
    with open_database(demo_dir) as db:
        willow = find_service(db, WILLOW)
        result = export_bundle(db, tmp_path / "willow.rrnbundle", service_id=willow.id)
        everything = export_bundle(db, tmp_path / "all.rrnbundle")
        total = counts(db)
    assert result.summary.startswith(f"{tmp_path / 'willow.rrnbundle'}: 1 service, ")
    assert result.summary.endswith(f"{result.records} records, 3 evidence files")
    assert result.services == (WILLOW,) and not result.left_out
    with zipfile.ZipFile(result.path) as archive:
        names = archive.namelist()
    assert {"manifest.json", "records.json"} <= set(names)
    assert len([n for n in names if n.startswith("evidence/")]) == 3
    assert not list(tmp_path.glob(".*partial"))

    bundle = read_bundle(result.path)
    assert bundle.manifest.scope.everything is False
    assert bundle.service_names == [WILLOW]
    assert bundle.record_count == result.records
    services = {record.uid for record in bundle.records["service"]}
    assert all(record.service_uid in services for record in bundle.records["incident"])
    assert not bundle.records["pledge"] and not bundle.records["staff_pledge"]
    assert all(action.service_uid in services for action in bundle.records["action"])
    # Deleted register entries travel too, marked as deleted.
    assert len(bundle.records["restriction"]) > 0

    whole = read_bundle(everything.path)
    assert whole.manifest.scope.everything is True
    assert whole.record_count == everything.records == sum(total.values())
    assert whole.records["pledge"] and any(a.service_uid is None for a in whole.records["action"])


def test_an_evidence_file_missing_from_the_data_folder_is_left_out_and_said(
    demo_dir: Path, tmp_path: Path
) -> None:
    with open_database(demo_dir) as db:
        with db.transaction() as session:
            evidence = session.scalars(select(EvidenceFile).order_by(EvidenceFile.id)).first()
            assert evidence is not None
            stored, name = evidence.stored_name, evidence.original_name
        (db.evidence_dir / stored).unlink()
        result = export_bundle(db, tmp_path / "w.rrnbundle", service_id=find_service(db, WILLOW).id)
    assert result.evidence_files == 2 and result.left_out == (name,)
    assert "left out" in result.summary
    assert len(read_bundle(result.path).records["evidence_file"]) == 2


# --- importing -----------------------------------------------------------------------------------


def test_import_into_another_laptop_gives_the_union(own_data: Path, willow_bundle: Path) -> None:
    bundle = read_bundle(willow_bundle)
    with open_database(own_data) as db:
        before = counts(db)
        planned = plan_import(db, bundle)
        assert counts(db) == before  # planning changes nothing
        text = planned.describe()
        applied = apply_import(db, planned)
        after = counts(db)
        services = {service.name for service in list_services(db)}
        with db.transaction() as session:
            evidence = session.scalars(select(EvidenceFile)).all()
            references = set(session.scalars(select(Incident.reference)))
        evidence_dir = db.evidence_dir

    assert text.startswith(f"willow.rrnbundle: {WILLOW}, from Brambleford Care Partnership")
    assert "Added: 1 service, 3 benchmarks, " in text and "3 benchmark evidence files" in text
    assert "Updated" not in text and "Skipped" not in text
    assert f"'{WILLOW}' is added as '{WILLOW} (from bundle)'" in text
    assert applied.changes == applied.added == bundle.record_count
    assert applied.updated == 0 and applied.skipped == 0

    added = applied.counts(Outcome.ADDED)
    assert after == {table: before[table] + added.get(table, 0) for table in before}
    assert services == {WILLOW, f"{WILLOW} (from bundle)", "Ash Court"}
    taken = bundle.records["incident"][0].reference
    assert {taken, f"{taken}-2"} <= references
    assert len(evidence) == 3
    assert {row.sha256 for row in evidence} == {e.sha256 for e in bundle.evidence.values()}
    for row in evidence:
        assert sha256(evidence_dir / row.stored_name) == row.sha256
    assert not list(evidence_dir.glob("*.partial"))


def test_importing_the_same_bundle_twice_changes_nothing_the_second_time(
    own_data: Path, willow_bundle: Path
) -> None:
    import_into(own_data, willow_bundle)
    with open_database(own_data) as db:
        before, logged = counts(db), log_entries(db)
        files = sorted(db.evidence_dir.iterdir())
        again = plan_import(db, read_bundle(willow_bundle))
        assert again.changes == 0
        assert f"same or newer): {again.skipped} records" in again.describe()
        applied = apply_import(db, again)
        assert applied.changes == 0
        assert counts(db) == before and log_entries(db) == logged
        assert sorted(db.evidence_dir.iterdir()) == files


def test_the_newer_edit_wins_and_an_older_copy_is_skipped(
    demo_dir: Path, data_dir: Path, willow_bundle: Path, tmp_path: Path
) -> None:
    # The peer reviewer brings Willow House onto their laptop and edits one register entry.
    import_into(data_dir, willow_bundle)
    entry_uid = read_bundle(willow_bundle).records["restriction"][0].uid

    def entry_id(db: Database) -> int:
        with db.transaction() as session:
            return session.scalars(select(Restriction.id).where(Restriction.uid == entry_uid)).one()

    with open_database(data_dir) as db:
        restrictions.update_restriction(db, entry_id(db), title="Agreed with the peer reviewer")
    handed_back = export_service(data_dir, tmp_path / "back.rrnbundle")

    # Home imports the file handed back: the entry is updated, everything else is the same.
    plan_back = import_into(demo_dir, handed_back)
    assert plan_back.counts(Outcome.UPDATED) == {"restriction": 1}
    assert plan_back.added == 0
    assert "Updated: 1 register entry." in plan_back.describe()
    with open_database(demo_dir) as db:
        assert (
            restrictions.get_restriction(db, entry_id(db)).title == "Agreed with the peer reviewer"
        )
        # The original, older bundle no longer changes it.
        stale = plan_import(db, read_bundle(willow_bundle))
        assert stale.changes == 0
        # Home edits it again later: the peer's copy is now the older one, and is skipped.
        restrictions.update_restriction(db, entry_id(db), title="Home's own later wording")
        assert plan_import(db, read_bundle(handed_back)).changes == 0
        apply_import(db, plan_import(db, read_bundle(handed_back)))
        assert restrictions.get_restriction(db, entry_id(db)).title == "Home's own later wording"


def test_a_record_deleted_here_is_not_brought_back(data_dir: Path, willow_bundle: Path) -> None:
    import_into(data_dir, willow_bundle)
    first = read_bundle(willow_bundle).records["incident"][0]
    with open_database(data_dir) as db:
        incidents.delete_incident(db, incidents.find_incident(db, first.reference).id)
        with db.transaction() as session:
            logged = session.scalars(
                select(ChangeLogEntry).where(ChangeLogEntry.record_uid == first.uid)
            ).all()
            if not logged:  # the change log records deletions; say so here if it did not
                session.add(
                    ChangeLogEntry(
                        kind="deleted", table_name="incident", record_uid=first.uid, details={}
                    )
                )
        before = counts(db)
        again = apply_import(db, plan_import(db, read_bundle(willow_bundle)))
        assert again.changes == 0
        assert again.counts(Outcome.DELETED_HERE)["incident"] == 1
        assert "Skipped (deleted on this laptop)" in again.describe()
        assert counts(db) == before


def test_a_benchmark_signed_off_here_is_left_as_it_is(
    demo_dir: Path, data_dir: Path, tmp_path: Path
) -> None:
    """The peer rates an item of the school's open peer review while, at home, it is signed off."""
    school_bundle = export_service(demo_dir, tmp_path / "school.rrnbundle", SCHOOL)
    import_into(data_dir, school_bundle)
    with open_database(data_dir) as db:
        peer_review = list_benchmarks(db, find_service(db, SCHOOL).id)[0]
        item = next(code for code, r in peer_review.responses.items() if r.rating != Rating.MET)
        set_rating(db, peer_review.id, item, Rating.MET)
    handed_back = export_service(data_dir, tmp_path / "back.rrnbundle", SCHOOL)
    with open_database(demo_dir) as db:
        home_review = list_benchmarks(db, find_service(db, SCHOOL).id)[0]
        sign_off(db, home_review.id, "Casey Specimen", "Deputy head teacher", TODAY)
        planned = apply_import(db, plan_import(db, read_bundle(handed_back)))
        assert planned.counts(Outcome.SIGNED_OFF_HERE) == {"item_response": 1}
        assert planned.changes == 0
        assert "signed off on this laptop" in planned.describe()
        home_review = list_benchmarks(db, find_service(db, SCHOOL).id)[0]
        assert home_review.responses[item].rating != Rating.MET


def test_the_same_checklist_prompt_answered_on_both_laptops_becomes_one_answer(
    demo_dir: Path, data_dir: Path, willow_bundle: Path, tmp_path: Path
) -> None:
    import_into(data_dir, willow_bundle)
    with open_database(demo_dir) as db:
        willow = find_service(db, WILLOW).id
        answered = restrictions.checklist_answers(db, willow)
        code = next(i.code for _c, i in shipped_checklist().items() if i.code not in answered)
        restrictions.answer_checklist(db, willow, code, ChecklistAnswer.NOT_SURE, TODAY)
    with open_database(data_dir) as db:
        peer_willow = find_service(db, WILLOW).id
        later = TODAY + dt.timedelta(days=3)
        restrictions.answer_checklist(db, peer_willow, code, ChecklistAnswer.YES, later)
    handed_back = export_service(data_dir, tmp_path / "back.rrnbundle")

    with open_database(demo_dir) as db:
        preview = plan_import(db, read_bundle(handed_back))
        # Each answer opened a register entry for the prompt, one on each laptop: which version
        # to keep is a person's choice (bundle_import), not the later clock's.
        [conflict] = preview.conflicts
        assert conflict.table == "restriction"
        preview.choose(conflict, bundle_import.Choice.TAKE_BUNDLE)
        planned = apply_import(db, preview)
    assert planned.counts(Outcome.UPDATED)["checklist_answer"] == 1
    with open_database(demo_dir) as db, db.transaction() as session:
        answers = session.scalars(
            select(ServiceChecklistAnswer).where(
                ServiceChecklistAnswer.service_id == willow,
                ServiceChecklistAnswer.item_code == code,
            )
        ).all()
        entries = session.scalars(
            select(Restriction).where(
                Restriction.service_id == willow,
                Restriction.checklist_code == code,
                Restriction.deleted_at.is_(None),
            )
        ).all()
    assert [a.answer for a in answers] == [ChecklistAnswer.YES]
    assert len(entries) == 1


def test_initials_are_left_out_where_this_organisation_uses_reference_codes_only(
    empty_template: Path, tmp_path: Path
) -> None:
    source = shutil.copytree(empty_template, tmp_path / "source")
    target = shutil.copytree(empty_template, tmp_path / "target")
    with open_database(source) as db:
        update_incident_settings(db, identity=PersonIdentity.INITIALS)
        rowan = create_service(db, "Rowan House", Sector.ADULT_SOCIAL_CARE)
        when = dt.datetime(2026, 10, 1, 9, 0)
        incidents.record_incident(
            db, rowan.id, "R-1", when, ["physical-escort"], person_initials="AB"
        )
    applied = import_into(target, export_service(source, tmp_path / "b.rrnbundle", None))
    assert "Initials are left out of 1 incident record" in applied.describe()
    with open_database(target) as db:
        assert incidents.find_incident(db, "R-1").person_initials == ""


def test_a_full_disk_while_copying_evidence_in_changes_nothing(
    own_data: Path, willow_bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_args: object) -> tuple[str, int]:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bundle_import, "copy_hashing", full)
    with open_database(own_data) as db:
        before, files = counts(db), sorted(db.evidence_dir.iterdir())
        planned = plan_import(db, read_bundle(willow_bundle))
        with pytest.raises(BundleError, match="could not be copied into the data folder"):
            apply_import(db, planned)
        assert counts(db) == before and sorted(db.evidence_dir.iterdir()) == files


# --- refusing ------------------------------------------------------------------------------------


def _flip_a_byte(members: dict[str, bytes]) -> None:
    data = bytearray(members["records.json"])
    data[len(data) // 2] ^= 0x01
    members["records.json"] = bytes(data)


def _bad_purpose(records: dict[str, list[dict[str, object]]]) -> None:
    records["benchmark"][0]["purpose"] = "holiday"


def _unknown_service(records: dict[str, list[dict[str, object]]]) -> None:
    records["benchmark"][0]["service_uid"] = str(uuid.uuid4())


def _zip_slip(members: dict[str, bytes]) -> None:
    members["evidence/../../escaped.txt"] = b"outside the data folder"


def _altered_evidence(members: dict[str, bytes]) -> None:
    name = next(n for n in members if n.startswith("evidence/"))
    members[name] = members[name] + b"one more line\n"


MALFORMED: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "not a zip": (
        lambda _src, out: (out.write_text("just some text", encoding="utf-8"), out)[1],
        "not a bundle made by RRN Self-Audit, or it is damaged or incomplete",
    ),
    "truncated": (
        lambda src, out: (out.write_bytes(src.read_bytes()[: src.stat().st_size // 2]), out)[1],
        "not a bundle made by RRN Self-Audit, or it is damaged or incomplete",
    ),
    "manifest missing": (
        lambda src, out: rewrite(src, out, lambda m: m.pop("manifest.json")),
        "it has no manifest.json",
    ),
    "another kind of file": (
        lambda src, out: rewrite(src, out, edit_manifest(format="spreadsheet")),
        "it is not an RRN Self-Audit bundle",
    ),
    "newer format version": (
        lambda src, out: rewrite(src, out, edit_manifest(format_version=2)),
        "made by a newer version of RRN Self-Audit (bundle format 2)",
    ),
    "unknown format version": (
        lambda src, out: rewrite(src, out, edit_manifest(format_version="one")),
        "its bundle format ('one') is not one this version knows",
    ),
    "newer data version": (
        lambda src, out: rewrite(src, out, edit_manifest(schema_revision="0099")),
        "made by a newer version of RRN Self-Audit (data version 0099)",
    ),
    "tampered records": (
        lambda src, out: rewrite(src, out, _flip_a_byte),
        "its records do not match the checksum in its manifest",
    ),
    "tampered evidence": (
        lambda src, out: rewrite(src, out, _altered_evidence),
        "does not match",
    ),
    "invalid field value": (
        lambda src, out: rewrite(src, out, edit_records(_bad_purpose)),
        "benchmark 1, field 'purpose': Input should be 'self_audit'",
    ),
    "link to an unknown record": (
        lambda src, out: rewrite(src, out, edit_records(_unknown_service)),
        "a benchmark in it refers to a service that is neither in the bundle nor on this laptop",
    ),
    "path outside the folder": (
        lambda src, out: rewrite(src, out, _zip_slip),
        "it holds a file it should not ('escaped.txt')",
    ),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_or_tampered_file_is_refused_and_changes_nothing(
    case: str, own_data: Path, willow_bundle: Path, tmp_path: Path
) -> None:
    make, reason = MALFORMED[case]
    bad = make(willow_bundle, tmp_path / "bad.rrnbundle")
    with open_database(own_data) as db:
        before, logged = counts(db), log_entries(db)
        files = sorted(db.evidence_dir.iterdir())
        with pytest.raises(BundleError) as refused:
            apply_import(db, plan_import(db, read_bundle(bad)))
        assert counts(db) == before and log_entries(db) == logged
        assert sorted(db.evidence_dir.iterdir()) == files
    message = refused.value.message
    assert message.startswith("bad.rrnbundle cannot be imported: ")
    assert reason in message
    assert message.endswith("Nothing was changed.")
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(
    willow_bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bundle_format, "MAX_EVIDENCE_BYTES", 1 << 20)

    def bomb(members: dict[str, bytes]) -> None:
        name = next(n for n in members if n.startswith("evidence/"))
        members[name] = bytes(8 << 20)  # 8 MB of zeros squeezes to a few kB

    bad = rewrite(willow_bundle, tmp_path / "bomb.rrnbundle", bomb)
    assert bad.stat().st_size < 200_000
    with pytest.raises(BundleError, match="inside it is too large"):
        read_bundle(bad)


def test_a_missing_file_or_a_folder_is_refused_plainly(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="could not be found"):
        read_bundle(tmp_path / "nowhere.rrnbundle")
    with pytest.raises(BundleError, match="it is a folder, not a file"):
        read_bundle(tmp_path)


# --- round trips of arbitrary text ---------------------------------------------------------------

# A name must still hold something once control characters are taken out (text_cleaning).
name_text = st.text(min_size=1, max_size=200).filter(lambda text: clean_line(text).strip())


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    title=name_text,
    description=st.text(max_size=2_000),
    action_title=name_text,
    place=st.text(max_size=200),
)
def test_any_text_survives_export_and_import_unchanged(
    empty_template: Path, title: str, description: str, action_title: str, place: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = shutil.copytree(empty_template, Path(folder) / "source")
        target = shutil.copytree(empty_template, Path(folder) / "target")
        with open_database(source) as db:
            service = create_service(db, "Rowan House", Sector.ADULT_SOCIAL_CARE)
            entry = restrictions.add_custom_restriction(
                db, service.id, title, "other", RestraintType.BLANKET, TODAY
            )
            restrictions.update_restriction(db, entry, description=description)
            plan.create_action(db, action_title, Strategy.DATA, TODAY, restriction_id=entry)
            when = dt.datetime(2026, 10, 1, 9, 0)
            incidents.record_incident(db, service.id, "R-1", when, ["physical-escort"], place=place)
            made = _texts(db)
            export_bundle(db, Path(folder) / "b.rrnbundle", service_id=service.id)
        with open_database(target) as db:
            applied = apply_import(db, plan_import(db, read_bundle(Path(folder) / "b.rrnbundle")))
            assert applied.skipped == 0
            assert _texts(db) == made


def _texts(db: Database) -> dict[str, object]:
    from rrn_desktop.storage.models import Action

    with db.transaction() as session:
        restriction = session.scalars(select(Restriction)).one()
        action = session.scalars(select(Action)).one()
        incident = session.scalars(select(Incident)).one()
        return {
            "uids": (restriction.uid, action.uid, incident.uid),
            "title": restriction.title,
            "description": restriction.description,
            "action": action.title,
            "place": incident.place,
            "updated": (restriction.updated_at, action.updated_at, incident.updated_at),
        }
