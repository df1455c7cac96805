"""Each benchmark keeps the exact pack it was made with: adding or upgrading a pack changes
only new benchmarks, a past report prints as before, and data from before migration 0011 gets
its copy; adding asks before an upgrade and refuses what it cannot use, changing nothing."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tomllib
from pathlib import Path

import pytest
import tomli_w

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.base.pack_ids import text_hash
from rrn_desktop.base.vocabulary import Purpose, Rating, Sector
from rrn_desktop.content.instruments import SHIPPED_INSTRUMENTS
from rrn_desktop.content.loader import PackError, shipped_path
from rrn_desktop.core import instrument_catalogue as catalogue
from rrn_desktop.core.benchmarks import (
    get_benchmark,
    list_benchmarks,
    set_rating,
    sign_off,
    start_benchmark,
)
from rrn_desktop.core.scoring import version_changes
from rrn_desktop.core.services import create_service, list_services
from rrn_desktop.reports.benchmark_report import write_benchmark_report
from rrn_desktop.reports.pack_report import OTHER_PART_TITLE, PART_TITLES, write_pack_report
from rrn_desktop.storage.database import Database, open_database
from tests.conftest import reopen
from tests.reports.helpers import read_pdf
from tests.storage.helpers import back_to

SHIPPED = shipped_path("rrn-training-standards-2019")
WHEN = dt.date(2026, 10, 1)


def _upgraded(folder: Path, version: str) -> tuple[Path, str, str]:
    """The shipped pack at a new version with its first item reworded, its second removed and
    one added; returns the file, the reworded item's code and the removed one's."""
    data = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    items = data["sections"][0]["items"]
    first, removed = items[0]["code"], items.pop(1)["code"]
    items[0]["text"] = "Reworded in the new version ŵ <&>"
    items.append({"code": "NEW-01", "text": "A prompt added in the new version"})
    data["version"] = version
    path = folder / f"upgrade {version}.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path, first, removed


def _report_text(db: Database, benchmark_id: int, out: Path) -> str:
    text = read_pdf(write_benchmark_report(db, benchmark_id, out).path).flat
    # The moment of printing is the one thing that may differ between two printings.
    return re.sub(r"\d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d", "<generated>", text)


def test_a_signed_off_benchmark_prints_the_same_after_its_pack_is_upgraded(
    db: Database, data_dir: Path, tmp_path: Path
) -> None:
    home = create_service(db, "Home", Sector.ADULT_SOCIAL_CARE)
    old = start_benchmark(db, home.id, WHEN, Purpose.SELF_AUDIT, [])
    codes = [item.code for _s, item in old.pack().items()]
    for code, rating in zip(
        codes[:3], (Rating.MET, Rating.PARTLY_MET, Rating.NOT_MET), strict=True
    ):
        set_rating(db, old.id, code, rating)
    sign_off(db, old.id, "Alex Sample", "Manager", WHEN)
    before = _report_text(db, old.id, tmp_path / "before.pdf")

    path, reworded, removed = _upgraded(tmp_path, "2.0")
    asked: list[catalogue.Adding] = []
    assert catalogue.add_instrument(db, path, lambda a: asked.append(a) or False) is None
    assert asked[0].replaces.startswith("1.0") and asked[0].about.version == "2.0"
    assert catalogue.add_instrument(db, path, lambda _a: True) is not None
    new = start_benchmark(db, home.id, WHEN + dt.timedelta(days=30), Purpose.SELF_AUDIT, [])
    db.close()

    catalogue._PARSED.clear()  # nothing remembered: each copy is read back from the data file
    with reopen(db) as reopened:
        again = get_benchmark(reopened, old.id)
        assert again.pack().version.startswith("1.0")
        assert _report_text(reopened, old.id, tmp_path / "after.pdf") == before
        made = get_benchmark(reopened, new.id)
        assert made.pack_version == "2.0"
        items = {item.code: item.text for _s, item in made.pack().items()}
        assert items[reworded] == "Reworded in the new version ŵ <&>"
        assert removed not in items and "NEW-01" in items
        changes = version_changes(again.pack(), made.pack())
        assert changes.added == ("NEW-01 A prompt added in the new version",)
        assert [line.split()[0] for line in changes.removed] == [removed]
        assert "Made with different versions" in changes.text and "2.0" in changes.text
        assert version_changes(made.pack(), made.pack()).text == ""
        listed = catalogue.instruments(reopened)
        assert [i.id for i in listed] == list(SHIPPED_INSTRUMENTS)
        assert listed[0].about.version == "2.0" and listed[0].added_on
        assert [i.added_on for i in listed[1:]] == ["", ""]


def test_what_cannot_be_added_is_refused_and_nothing_changes(db: Database, tmp_path: Path) -> None:
    same_version = tmp_path / "same.toml"
    data = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    data["sections"][0]["items"][0]["text"] = "Changed but not given a new version"
    same_version.write_text(tomli_w.dumps(data), encoding="utf-8")
    with pytest.raises(PackError, match="give it a new version"):
        catalogue.add_instrument(db, same_version, lambda _a: True)
    broken = tmp_path / "broken.toml"
    broken.write_text('id = "x"\n', encoding="utf-8")
    with pytest.raises(PackError, match=r"broken\.toml has"):
        catalogue.add_instrument(db, broken, lambda _a: True)
    path, _, _ = _upgraded(tmp_path, "3.0")
    assert catalogue.add_instrument(db, path, lambda _a: True) is not None
    with pytest.raises(UserFacingError, match="is already added"):
        catalogue.add_instrument(db, path, lambda _a: True)
    assert catalogue.instruments(db)[0].about.version == "3.0"


def test_benchmarks_from_before_0011_keep_a_copy_of_their_pack(
    demo_template: Path, tmp_path: Path
) -> None:
    folder = shutil.copytree(demo_template, tmp_path / "data")
    back_to(folder, "0010")

    catalogue._PARSED.clear()
    with open_database(folder) as db:
        benchmarks = [b for s in list_services(db) for b in list_benchmarks(db, s.id)]
        assert benchmarks
        shipped_sha = text_hash(SHIPPED.read_bytes().decode("utf-8"))
        assert {b.pack_sha256 for b in benchmarks} == {shipped_sha}
        assert catalogue._PARSED[shipped_sha].item_count == benchmarks[0].pack().item_count


def test_the_inspection_pack_prints_other_self_assessments_in_a_part_of_their_own(
    demo_db: Database, tmp_path: Path
) -> None:
    willow = next(s for s in list_services(demo_db) if s.name.startswith("Willow House"))
    before = read_pdf(write_pack_report(demo_db, tmp_path / "a.pdf", service_id=willow.id).path)
    assert OTHER_PART_TITLE not in before.flat
    newest = start_benchmark(
        demo_db, willow.id, dt.date.today(), Purpose.SELF_AUDIT, [], pack_id="six-core-strategies"
    )
    assert list_benchmarks(demo_db, willow.id)[0].id == newest.id
    text = read_pdf(write_pack_report(demo_db, tmp_path / "b.pdf", service_id=willow.id).path).flat
    part_1 = text[text.rindex(PART_TITLES[0]) : text.rindex(PART_TITLES[1])]
    assert "Training Standards benchmark" in part_1
    assert "Six Core Strategies organisational self-assessment" not in part_1
    part_5 = text[text.rindex(OTHER_PART_TITLE) :]
    assert "Six Core Strategies organisational self-assessment How it is scored" in part_5
    assert "0 of 39 items rated" in part_5
    appendix = read_pdf(
        write_pack_report(demo_db, tmp_path / "c.pdf", service_id=willow.id, appendix=True).path
    ).flat
    heading = f"Six Core Strategies organisational self-assessment items: {willow.name}"
    other_items = appendix[appendix.rindex(heading) :]
    assert (
        "SCS-LEAD-01" in other_items and "Leadership towards organisational change" in other_items
    )
    assert "Section leadership" not in other_items  # a named section is headed by its title
