"""Homes with no network send bundles; head office imports them into its shared database and
sees the same figures the homes do, and when each home's data last arrived."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pypdf import PdfReader

from rrn_desktop.core.bundle import export_bundle
from rrn_desktop.core.bundle_format import read_bundle
from rrn_desktop.core.bundle_import import apply_import, plan_import
from rrn_desktop.core.evidence import local_copy
from rrn_desktop.core.group_picture import ServicePicture, group_picture
from rrn_desktop.core.incidents import list_incidents, record_incident
from rrn_desktop.core.periods import Period
from rrn_desktop.core.services import find_service
from rrn_desktop.reports.group_report import write_group_report
from rrn_desktop.reports.xlsx_export import export_xlsx
from rrn_desktop.storage.database import Database, open_database
from rrn_desktop.storage.shared import open_shared_database
from tests.conftest import copy_template
from tests.shared_server import SharedServer

WILLOW = "Willow House care home (demo)"
KESTREL = "Kestrel Lodge children's home (demo)"
TODAY = dt.date.today()
PERIOD = Period.last_12_months(TODAY)


def _picture(db: Database, name: str) -> ServicePicture:
    return next(p for p in group_picture(db, PERIOD, TODAY).services if p.service.name == name)


def _figures(picture: ServicePicture) -> tuple[object, ...]:
    """Everything head office is shown of a service, but when its data arrived."""
    return (
        picture.benchmark_held_on,
        {section: band.label if band else None for section, band in picture.bands.items()},
        picture.in_place,
        picture.in_place_a_year_ago,
        picture.actions_open,
        picture.actions_overdue,
        picture.actions_done,
        picture.incidents,
        picture.monthly_rate,
        picture.red_flags,
    )


def _laptop(db: Database, name: str, out: Path) -> tuple[tuple[object, ...], int, Path]:
    service = find_service(db, name)
    bundle = export_bundle(db, out, service_id=service.id).path
    return _figures(_picture(db, name)), len(list_incidents(db, service.id)), bundle


def test_bundles_from_two_laptops_give_head_office_the_laptops_figures(
    shared_server: SharedServer, demo_template: Path, tmp_path: Path
) -> None:
    with open_database(copy_template(demo_template, tmp_path / "willow-laptop")) as willow:
        willow_seen, willow_incidents, willow_bundle = _laptop(willow, WILLOW, tmp_path / "w")
    with open_database(copy_template(demo_template, tmp_path / "kestrel-laptop")) as kestrel:
        # A record only this laptop has, so the two laptops' data differ.
        service = find_service(kestrel, KESTREL)
        when = dt.datetime.combine(TODAY - dt.timedelta(days=3), dt.time(15, 10))
        record_incident(kestrel, service.id, "KL-ŵ-<&>", when, ["physical-escort"], now=when)
        kestrel_seen, kestrel_incidents, kestrel_bundle = _laptop(kestrel, KESTREL, tmp_path / "k")

    name = shared_server.new_database(shared_server.template("empty", tmp_path / "setup"))
    with open_shared_database(shared_server.url(name), tmp_path / "head-office") as office:
        before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for bundle in (willow_bundle, kestrel_bundle):
            apply_import(office, plan_import(office, read_bundle(bundle)))
        for service, seen, incidents in (
            (WILLOW, willow_seen, willow_incidents),
            (KESTREL, kestrel_seen, kestrel_incidents),
        ):
            picture = _picture(office, service)
            assert _figures(picture) == seen
            assert len(list_incidents(office, picture.service.id)) == incidents
            assert picture.last_arrived is not None and picture.last_arrived >= before
        assert "KL-ŵ-<&>" in {i.reference for i in list_incidents(office)}

        # Evidence came in with the records, into the database, and opens elsewhere.
        evidence = next(iter(read_bundle(willow_bundle).evidence.values()))
        stored = next((tmp_path / "head-office").rglob("evidence"))
        for copy in stored.iterdir():
            copy.unlink()
        opened = [local_copy(office, stored / n.stored_name) for n in _evidence_rows(office)]
        assert evidence.size_bytes in {path.stat().st_size for path in opened}

        report = write_group_report(office, tmp_path / "group.pdf", period=PERIOD, today=TODAY)
        sheet = export_xlsx(office, tmp_path / "group.xlsx", today=TODAY, period=PERIOD)
    text = " ".join("".join(p.extract_text() for p in PdfReader(report.path).pages).split())
    assert "Head office picture" in text and "never ranked" in text
    assert WILLOW in text and KESTREL in text
    assert "Data last arrived" in text and "Not by bundle" not in text
    assert sheet.sheet_rows["Head office"] == 2


def _evidence_rows(db: Database) -> list[object]:
    from sqlalchemy import select

    from rrn_desktop.storage.models import EvidenceFile

    with db.transaction() as session:
        return list(session.scalars(select(EvidenceFile)))
