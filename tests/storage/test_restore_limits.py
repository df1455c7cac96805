"""A restore takes only ordinary files, and sizes a backup before unpacking it: a member larger
than its manifest says, or more than the disk can hold, is refused before it is written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from rrn_desktop.base.data_folder import DATABASE_NAME
from rrn_desktop.storage.backups import InvalidBackupError
from rrn_desktop.storage.database import open_database
from rrn_desktop.storage.errors import StorageError
from rrn_desktop.storage.restore import restore_backup, verify_backup
from tests.storage.test_backups import folder_hashes

PROC_IO = Path("/proc/self/io")


def _members(backup: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(backup) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _write_zip(
    target: Path, members: dict[str, bytes], declared: dict[str, int] | None = None
) -> Path:
    """A zip of members; ``declared`` gives sizes to claim in its directory instead of the
    real ones (a crafted file)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for name, size in (declared or {}).items():
            archive.getinfo(name).file_size = size
    return target


@contextmanager
def bytes_written() -> Iterator[list[int]]:
    """How many bytes this process wrote (to any file) inside the block."""
    if not PROC_IO.exists():
        pytest.skip("needs Linux's count of the bytes a process writes")

    def written() -> int:
        fields = dict(line.split(": ") for line in PROC_IO.read_text().splitlines())
        return int(fields["wchar"])

    result: list[int] = []
    start = written()
    yield result
    result.append(written() - start)


@pytest.fixture
def demo_backup(demo_dir: Path, tmp_path: Path) -> Path:
    from rrn_desktop.storage.backups import back_up

    with open_database(demo_dir) as db:
        return back_up(db, tmp_path / "demo-backup.zip").path


def _refused(data_dir: Path, backup: Path, reason: str) -> None:
    before = folder_hashes(data_dir)
    with pytest.raises(StorageError, match=reason) as refused:
        restore_backup(data_dir, backup)
    assert "Nothing was changed." in refused.value.message
    assert folder_hashes(data_dir) == before
    assert not (data_dir / ".restore-staging").exists()


def test_restoring_a_pipe_returns_at_once_and_plainly(demo_dir: Path, tmp_path: Path) -> None:
    pipe = tmp_path / "backup.zip"
    os.mkfifo(pipe)
    before = folder_hashes(demo_dir)
    done = subprocess.run(
        [sys.executable, "-m", "rrn_desktop", "--data-dir", str(demo_dir), "restore", str(pipe)],
        capture_output=True,
        text=True,
        timeout=60,  # reading the pipe would wait for ever: this stops the test, not a pass
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"rrn-desktop: The backup file {pipe} cannot be used: it is a pipe, not a file. "
        "Nothing was changed."
    )
    assert folder_hashes(demo_dir) == before


def test_a_device_a_folder_and_a_link_are_refused_by_name(
    demo_dir: Path, demo_backup: Path, tmp_path: Path
) -> None:
    link = tmp_path / "link.zip"
    link.symlink_to(demo_backup)
    folder = tmp_path / "folder.zip"
    folder.mkdir()
    for path, reason in (
        (Path("/dev/zero"), "it is a device, not a file"),
        (folder, "it is a folder, not a file"),
        (link, "it is a link to another file; choose the file itself"),
    ):
        _refused(demo_dir, path, f"The backup file {path} cannot be used: {reason}")
        with pytest.raises(InvalidBackupError, match=reason):
            verify_backup(path)


def test_a_member_larger_than_its_manifest_says_is_refused_before_it_is_written(
    demo_dir: Path, demo_backup: Path, tmp_path: Path
) -> None:
    members = _members(demo_backup)
    recorded = json.loads(members["manifest.json"])["files"]
    # 64 MB of zeros squeezes into a few hundred KB: a small file that unpacks large.
    members[DATABASE_NAME] = bytes(64 << 20)
    crafted = _write_zip(tmp_path / "crafted.zip", members)
    assert crafted.stat().st_size < 1 << 20
    with bytes_written() as written:
        _refused(demo_dir, crafted, f"{DATABASE_NAME} inside it does not match the hash")
    assert written[0] <= sum(entry["size"] for entry in recorded.values())


def test_a_backup_bigger_than_the_free_space_is_refused_before_anything_is_written(
    demo_dir: Path, demo_backup: Path, tmp_path: Path
) -> None:
    """The manifest and the zip agree on a size no disk has (a petabyte): the sizes match, so
    it is the free space that refuses it."""
    members = _members(demo_backup)
    manifest = json.loads(members["manifest.json"])
    huge = 1 << 50
    manifest["files"][DATABASE_NAME]["size"] = huge
    members["manifest.json"] = json.dumps(manifest).encode()
    crafted = _write_zip(tmp_path / "huge.zip", members, declared={DATABASE_NAME: huge})
    with bytes_written() as written:
        _refused(demo_dir, crafted, "There is not enough free space in .* to restore huge.zip")
    assert written[0] < 1 << 20


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda m: m.update(deep=json.loads("[" * 60 + "]" * 60)), None),
        (lambda m: m.update(deep="[" * 5000), None),
        (
            lambda m: m.__setitem__("format_version", 10**40),
            r"its list of contents \(manifest\) holds a number with more than 18 digits",
        ),
        (
            lambda m: m["files"][DATABASE_NAME].pop("size"),
            f"its list of contents gives no size for {DATABASE_NAME}",
        ),
        (
            lambda m: m["files"][DATABASE_NAME].__setitem__("size", True),
            f"its list of contents gives no size for {DATABASE_NAME}",
        ),
    ],
    ids=["60 levels", "brackets inside a string", "a 41-digit number", "no size", "size true"],
)
def test_an_odd_manifest_is_refused_plainly_or_restored(
    change, reason: str | None, demo_dir: Path, demo_backup: Path, tmp_path: Path
) -> None:
    members = _members(demo_backup)
    manifest = json.loads(members["manifest.json"])
    change(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    odd = _write_zip(tmp_path / "odd.zip", members)
    if reason is None:  # within the limits: restored as usual
        assert restore_backup(demo_dir, odd).restored.evidence_files == 3
    else:
        _refused(demo_dir, odd, reason)


def test_a_manifest_nested_thousands_deep_is_refused_plainly(
    demo_dir: Path, demo_backup: Path, tmp_path: Path
) -> None:
    members = _members(demo_backup)
    manifest = members["manifest.json"].decode()
    members["manifest.json"] = (
        manifest[:-1] + ', "deep": ' + "[" * 5000 + "]" * 5000 + "}"
    ).encode()
    deep = _write_zip(tmp_path / "deep.zip", members)
    _refused(demo_dir, deep, r"its list of contents \(manifest\) is nested more than 64 levels")
