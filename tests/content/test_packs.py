"""The shipped Training Standards pack, and how a broken pack is explained."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from rrn_desktop.base.resources import packs_dir
from rrn_desktop.content.loader import PackError, load_pack, training_standards
from rrn_desktop.content.pack_models import ContentPack
from tests.content.helpers import changed_copy

PACK_FILE = packs_dir() / "rrn-training-standards-2019.toml"
CONFIRMED_STANDARDS = {"1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.3.2", "1.4.4", "1.6.5"}


def test_training_standards_pack_covers_all_four_sections_with_enough_items() -> None:
    pack = training_standards()
    assert [section.id for section in pack.sections] == ["1", "2", "3", "4"]
    assert pack.item_count >= 40
    assert all(len(section.items) >= 5 for section in pack.sections)
    codes = {item.code for _section, item in pack.items()}
    assert {"1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.4.4"} <= codes


def test_only_confirmed_standard_numbers_are_used_and_the_rest_are_the_packs_own() -> None:
    for _section, item in training_standards().items():
        if item.official:
            assert item.code in CONFIRMED_STANDARDS
        else:
            assert re.fullmatch(r"S[1-4]-Q\d\d", item.code), item.code
    assert "summary" in training_standards().wording_note


def _write_pack(tmp_path: Path, mutate: Callable[[dict], None]) -> Path:
    return changed_copy(PACK_FILE, tmp_path, mutate)


def test_an_unchanged_round_trip_of_the_pack_still_loads(tmp_path: Path) -> None:
    path = _write_pack(tmp_path, lambda data: None)
    assert load_pack(path, ContentPack).item_count == training_standards().item_count


def test_an_item_without_text_is_rejected_naming_file_place_and_reason(tmp_path: Path) -> None:
    def drop_text(data: dict) -> None:
        del data["sections"][0]["items"][1]["text"]

    with pytest.raises(PackError) as caught:
        load_pack(_write_pack(tmp_path, drop_text), ContentPack)
    message = caught.value.message
    second_code = training_standards().sections[0].items[1].code
    assert "broken-rrn-training-standards-2019.toml" in message
    assert f"sections #1 (1) → items #2 ({second_code}) → text" in message
    assert "Field required" in message


def test_a_rating_scale_of_one_answer_is_rejected(tmp_path: Path) -> None:
    def one_answer(data: dict) -> None:
        data["rating_scale"] = data["rating_scale"][:1]

    with pytest.raises(PackError, match="rating_scale must have from 2 to 7 answers"):
        load_pack(_write_pack(tmp_path, one_answer), ContentPack)


def test_repeated_item_codes_are_rejected(tmp_path: Path) -> None:
    def repeat(data: dict) -> None:
        data["sections"][1]["items"][0]["code"] = "1.1.1"

    with pytest.raises(PackError, match=r"repeated: 1\.1\.1"):
        load_pack(_write_pack(tmp_path, repeat), ContentPack)


def test_a_file_that_is_not_toml_says_where(tmp_path: Path) -> None:
    path = tmp_path / "garbled.toml"
    path.write_text('id = "x"\ntitle = \n', encoding="utf-8")
    with pytest.raises(PackError, match=r"garbled.toml is not valid TOML: .*line 2"):
        load_pack(path, ContentPack)


def test_a_file_that_is_not_utf8_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('title = "Gŵyl"'.encode("utf-16"))
    with pytest.raises(PackError, match="not UTF-8 text"):
        load_pack(path, ContentPack)
