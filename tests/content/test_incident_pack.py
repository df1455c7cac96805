"""The shipped incident recording pack, and how a broken one is explained."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from rrn_desktop.base.resources import packs_dir
from rrn_desktop.base.vocabulary import RestraintType, Sector, Strategy
from rrn_desktop.content.incident_models import FieldKind, IncidentPack
from rrn_desktop.content.loader import PackError, incident_pack, load_pack
from tests.content.helpers import changed_copy

PACK_FILE = packs_dir() / "incident-recording.toml"


def test_the_shipped_pack_loads_with_its_guidance() -> None:
    pack = incident_pack()
    assert (pack.id, pack.version) == ("incident-recording", "1.0")
    assert "72 hours" in pack.support_guidance
    assert "72 hours" in pack.learning_guidance
    assert 18 <= len(pack.interventions) <= 25


def test_every_restraint_type_has_a_kind_and_prone_is_told_apart_from_supine() -> None:
    pack = incident_pack()
    assert {kind.restraint_type for kind in pack.interventions} == set(RestraintType)
    prone = pack.intervention("physical-floor-prone")
    supine = pack.intervention("physical-floor-supine")
    assert prone is not None and "prone" in prone.label
    assert supine is not None and "supine" in supine.label


@pytest.mark.parametrize("sector", list(Sector))
def test_each_sector_has_a_record_with_enough_questions(sector: Sector) -> None:
    record = incident_pack().sector_record(sector)
    assert record is not None
    assert len(record.fields) >= 4


def test_learning_themes_each_map_to_a_strategy_with_unique_ids() -> None:
    themes = incident_pack().learning_themes
    assert 8 <= len(themes) <= 10
    assert len({theme.id for theme in themes}) == len(themes)
    assert all(isinstance(theme.strategy, Strategy) for theme in themes)
    assert {Strategy.DEBRIEFING, Strategy.DATA} <= {theme.strategy for theme in themes}


def test_the_school_record_asks_when_parents_were_told() -> None:
    record = incident_pack().sector_record(Sector.EDUCATION)
    assert record is not None
    assert any(f.kind is FieldKind.DATE and "parent" in f.label.lower() for f in record.fields)


def _write_pack(tmp_path: Path, mutate: Callable[[dict], None]) -> Path:
    return changed_copy(PACK_FILE, tmp_path, mutate)


def test_an_unchanged_round_trip_still_loads(tmp_path: Path) -> None:
    pack = load_pack(_write_pack(tmp_path, lambda data: None), IncidentPack)
    assert pack == incident_pack()


def _one_choice_only(data: dict) -> None:
    field = next(f for f in data["sector_records"][0]["fields"] if f["kind"] == "choice")
    field["choices"] = field["choices"][:1]


def _unknown_type(data: dict) -> None:
    data["interventions"][2]["restraint_type"] = "verbal"


@pytest.mark.parametrize(
    ("mutate", "place", "reason"),
    [
        (
            _one_choice_only,
            "sector_records #1 → fields #2 (parents_told_how)",
            "a choice field needs at least two choices",
        ),
        (
            _unknown_type,
            "interventions #3 (physical-floor-supine) → restraint_type",
            "Input should be 'physical'",
        ),
    ],
)
def test_a_broken_pack_is_rejected_naming_file_place_and_reason(
    tmp_path: Path, mutate: Callable[[dict], None], place: str, reason: str
) -> None:
    with pytest.raises(PackError) as caught:
        load_pack(_write_pack(tmp_path, mutate), IncidentPack)
    message = caught.value.message
    assert "broken-incident-recording.toml" in message
    assert place in message
    assert reason in message
