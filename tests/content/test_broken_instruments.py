"""A corpus of broken self-assessment packs, each refused by `rrn-desktop pack check` with one
plain sentence naming the file, and nothing written anywhere; a good pack is described."""

from __future__ import annotations

import copy
import sqlite3
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import tomli_w

from rrn_desktop.base.data_folder import DATABASE_NAME
from rrn_desktop.base.resources import packs_dir
from rrn_desktop.content.loader import MAX_PACK_BYTES
from tests.cli.test_cli import run
from tests.conftest import copy_template

SHIPPED = packs_dir() / "rrn-training-standards-2019.toml"


def _pack() -> dict:
    return tomllib.loads(SHIPPED.read_text(encoding="utf-8"))


def _changed(change: Callable[[dict], None]) -> bytes:
    data = copy.deepcopy(_pack())
    change(data)
    return tomli_w.dumps(data).encode("utf-8")


def _many_items(count: int) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        data["sections"][0]["items"] = [
            {"code": f"X-{number}", "text": "A prompt"} for number in range(count)
        ]

    return change


def _repeat_codes(data: dict) -> None:
    items = data["sections"][0]["items"]
    items[1]["code"] = items[0]["code"]


CORPUS: dict[str, tuple[Callable[[], bytes], str]] = {
    "wrong type": (
        lambda: _changed(lambda d: d.update(title=3)),
        "title: Input should be a valid string",
    ),
    "duplicate key": (
        lambda: b'id = "a"\nid = "b"\n',
        "is not valid TOML",
    ),
    "scale of one answer": (
        lambda: _changed(lambda d: d.update(rating_scale=d["rating_scale"][:1])),
        "rating_scale must have from 2 to 7 answers besides 'not_rated' (it has 1)",
    ),
    "repeated item codes": (
        lambda: _changed(_repeat_codes),
        "item codes must be unique; repeated: ",
    ),
    "100,000 items": (lambda: _changed(_many_items(100_000)), "larger than 2 MB"),
    "20,000 items, one repeated": (
        lambda: _changed(
            lambda d: (
                _many_items(20_000)(d),
                d["sections"][0]["items"].append({"code": "X-7", "text": "again"}),
            )
        ),
        "repeated: X-7",
    ),
    "not UTF-8": (lambda: 'title = "Caf\xe9"\n'.encode("latin-1"), "is not UTF-8 text"),
    "nested arrays bomb": (
        lambda: b"a = " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        "nests lists or tables too deeply",
    ),
    "nested tables bomb": (
        lambda: b"a = " + b"{b = " * 50_000 + b"1" + b"}" * 50_000 + b"\n",
        "nests lists or tables too deeply",
    ),
    "empty file": (lambda: b"", "id: Field required"),
    "binary": (lambda: bytes(range(256)) * 4, "is not UTF-8 text"),
}


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_a_broken_pack_is_refused_plainly_and_nothing_is_written(case: str, tmp_path: Path) -> None:
    make, reason = CORPUS[case]
    pack = tmp_path / "pack ŵ.toml"
    pack.write_bytes(make())
    data = tmp_path / "data"
    result = run("--data-dir", str(data), "pack", "check", str(pack))
    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith("rrn-desktop: Content pack pack ŵ.toml "), result.stderr
    assert reason in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert result.stdout == ""
    assert not data.exists()  # not even a logs folder


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_a_broken_pack_is_not_added_and_the_data_is_unchanged(
    case: str, tmp_path: Path, empty_template: Path
) -> None:
    make, reason = CORPUS[case]
    pack = tmp_path / "pack.toml"
    pack.write_bytes(make())
    data = copy_template(empty_template, tmp_path / "data")
    result = run("--data-dir", str(data), "pack", "add", str(pack))
    assert result.returncode == 1 and reason in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    connection = sqlite3.connect(data / DATABASE_NAME)
    try:
        assert connection.execute("SELECT COUNT(*) FROM instrument_pack").fetchone() == (0,)
    finally:
        connection.close()


def test_the_size_limit_is_above_any_real_pack() -> None:
    assert SHIPPED.stat().st_size * 10 < MAX_PACK_BYTES


def test_a_good_pack_is_described(tmp_path: Path) -> None:
    result = run("--data-dir", str(tmp_path / "data"), "pack", "check", str(SHIPPED))
    assert result.returncode == 0, result.stderr
    assert "is a usable self-assessment" in result.stdout
    assert "4 sections, 65 items; answers: Met, Partly met, Not met" in result.stdout
    listed = run("--data-dir", str(tmp_path / "data"), "pack", "list")
    assert listed.stdout.startswith("Training Standards benchmark (id rrn-training-standards-2019")
    assert not (tmp_path / "data").exists()
