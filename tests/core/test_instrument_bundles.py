"""A bundle carries the packs its benchmarks were made with: a benchmark made with a pack the
organisation added on one laptop imports, and reads and prints the same, on a laptop that never
had the pack; a carried pack that does not match its checksum is refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tomllib
import zipfile
from pathlib import Path

import pytest
import tomli_w

from rrn_desktop.base.vocabulary import Purpose, Rating, Sector
from rrn_desktop.content.loader import shipped_path
from rrn_desktop.core import instrument_catalogue as catalogue
from rrn_desktop.core.benchmarks import list_benchmarks, set_rating, start_benchmark
from rrn_desktop.core.bundle import apply_import, export_bundle, plan_import, read_bundle
from rrn_desktop.core.bundle_format import BundleError
from rrn_desktop.core.services import create_service, find_service
from rrn_desktop.reports.benchmark_report import write_benchmark_report
from rrn_desktop.storage.database import Database, open_database
from tests.conftest import copy_template
from tests.reports.helpers import read_pdf

TITLE = "Group audit of restrictive practice ŵ"


def _own_pack(folder: Path) -> Path:
    data = tomllib.loads(shipped_path("six-core-strategies").read_text(encoding="utf-8"))
    data.update(id="group-audit", title=TITLE, version="2026.1")
    path = folder / "group audit.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def bundle(db: Database, tmp_path: Path) -> Path:
    home = create_service(db, "Home <&>", Sector.ADULT_SOCIAL_CARE)
    assert catalogue.add_instrument(db, _own_pack(tmp_path), lambda _a: True) is not None
    made = start_benchmark(
        db, home.id, dt.date(2026, 11, 2), Purpose.SELF_AUDIT, [], pack_id="group-audit"
    )
    code = made.pack().sections[0].items[0].code
    set_rating(db, made.id, code, Rating.PARTLY_MET)
    return export_bundle(db, tmp_path / "home.rrnbundle", service_id=home.id).path


def test_a_benchmark_on_an_added_pack_travels_with_its_pack(
    bundle: Path, empty_template: Path, tmp_path: Path
) -> None:
    catalogue._PARSED.clear()  # the other laptop has never read the pack
    with open_database(copy_template(empty_template, tmp_path / "other")) as other:
        apply_import(other, plan_import(other, read_bundle(bundle)))
        home = find_service(other, "Home <&>")
        [benchmark] = list_benchmarks(other, home.id)
        assert (benchmark.pack_id, benchmark.pack_version) == ("group-audit", "2026.1")
        assert benchmark.pack().title == TITLE
        first = benchmark.pack().sections[0].items[0].code
        assert benchmark.ratings() == {first: Rating.PARTLY_MET}
        text = read_pdf(write_benchmark_report(other, benchmark.id, tmp_path / "r.pdf").path).flat
        assert f"{TITLE} report" in text and "1 of 39 items rated" in text
        # The organisation's own self-assessment arrives with it, for new benchmarks too.
        assert "group-audit" in [i.id for i in catalogue.instruments(other)]
        # Importing it again changes nothing.
        again = plan_import(other, read_bundle(bundle))
        assert not again.changes


def test_a_carried_pack_that_does_not_match_its_checksum_is_refused(
    bundle: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(bundle) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    records = json.loads(members["records.json"])
    records["instrument_pack"][0]["content"] += "\n# edited by hand\n"
    members["records.json"] = json.dumps(records).encode("utf-8")
    # Made consistent again, as a careless tool might: only the pack's own checksum is wrong.
    manifest = json.loads(members["manifest.json"])
    manifest["records_sha256"] = hashlib.sha256(members["records.json"]).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode("utf-8")
    forged = tmp_path / "forged.rrnbundle"
    with zipfile.ZipFile(forged, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(BundleError, match="does not match its own checksum"):
        read_bundle(forged)
