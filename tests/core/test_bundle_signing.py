"""Bundles whose origin can be checked: the organisation's key, signing on export, and what an
import does with a bundle signed with it, with another key, altered after signing, or not at all.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from rrn_desktop.base.data_folder import DATABASE_NAME, EVIDENCE_DIR
from rrn_desktop.core.bundle import BundleError, apply_import, plan_import, read_bundle
from rrn_desktop.core.bundle_signing import (
    Standing,
    derive_key,
    fingerprint,
    set_passphrase,
    set_policy,
)
from rrn_desktop.storage.database import open_database
from rrn_desktop.storage.signing_key import (
    KEY_FILE,
    Policy,
    SigningKey,
    SigningSettingsError,
    clear_signing,
    load_signing,
    save_signing,
)
from tests.core.test_bundle import WILLOW, counts, edit_records, export_service

PASSPHRASE = "Brambleford kettles whistle at dawn"
OTHER_PASSPHRASE = "Someone else's rather long passphrase"


@dataclass(frozen=True)
class Signed:
    """Willow House exported on a laptop with the organisation's key set; the key as kept."""

    bundle: Path
    key_file: Path
    key: bytes


def signed_willow(folder: Path, demo_template: Path) -> Signed:
    home = shutil.copytree(demo_template, folder / "home")
    signing = set_passphrase(home, PASSPHRASE, PASSPHRASE)
    bundle = export_service(home, folder / "willow.rrnbundle")
    return Signed(bundle, home / KEY_FILE, signing.key)


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Signed:
    return signed_willow(tmp_path_factory.mktemp("signed"), demo_template)


@pytest.fixture(scope="module")
def unsigned(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    folder = tmp_path_factory.mktemp("unsigned")
    home = shutil.copytree(demo_template, folder / "home")
    return export_service(home, folder / "willow.rrnbundle")


def with_key(data: Path, key: bytes, policy: Policy = Policy.REFUSE) -> Path:
    """The laptop at data with the organisation's key set (as `signing set` leaves it)."""
    save_signing(data, SigningKey(key, policy))
    return data


def state(data: Path) -> tuple[str, list[str]]:
    """The data as SQLite dumps it, and the evidence files stored."""
    connection = sqlite3.connect(data / DATABASE_NAME)
    try:
        dump = "\n".join(connection.iterdump())
    finally:
        connection.close()
    evidence = data / EVIDENCE_DIR
    return dump, sorted(p.name for p in evidence.iterdir()) if evidence.exists() else []


def rewrite_keeping_signature(
    source: Path, out: Path, change: Callable[[dict[str, bytes]], None]
) -> Path:
    """The bundle with its members changed, its signature (the zip comment) copied as it was:
    what someone altering a signed bundle without the key can do at best."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
        comment = archive.comment
    change(members)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.comment = comment
    return out


def renamed_service(records: dict[str, list[dict[str, object]]]) -> None:
    records["service"][0]["name"] = "Willow House (altered)"


def altered_copy(signed: Signed, out: Path) -> Path:
    """The signed bundle with a service renamed in records.json and the manifest's checksum
    and counts recomputed to match, so every checksum in it is right."""
    return rewrite_keeping_signature(signed.bundle, out, edit_records(renamed_service))


@pytest.fixture
def altered(signed: Signed, tmp_path: Path) -> Path:
    return altered_copy(signed, tmp_path / "altered.rrnbundle")


# --- the key -------------------------------------------------------------------------------------


def test_the_same_passphrase_gives_the_same_key_on_every_laptop_and_only_the_key_is_kept(
    tmp_path: Path,
) -> None:
    first = set_passphrase(tmp_path / "one", PASSPHRASE, PASSPHRASE)
    # Typed on another laptop whose keyboard sends accents decomposed: the same key.
    accented = "Crème brûlée at Brambleford"
    assert derive_key(unicodedata.normalize("NFD", accented)) == derive_key(accented)
    second = set_passphrase(tmp_path / "two", PASSPHRASE)
    assert first.key == second.key and len(first.key) == 32
    assert fingerprint(first.key) == fingerprint(second.key)
    assert fingerprint(first.key) != fingerprint(derive_key(OTHER_PASSPHRASE))

    kept = (tmp_path / "one" / KEY_FILE).read_text(encoding="utf-8")
    assert json.loads(kept) == {"version": 1, "key": first.key.hex(), "policy": "refuse"}
    assert PASSPHRASE not in kept and "Brambleford" not in kept
    # Written under a name of its own and renamed: nothing else left in the folder.
    assert [p.name for p in (tmp_path / "one").iterdir()] == [KEY_FILE]


@pytest.mark.parametrize(
    ("passphrase", "repeated", "message"),
    [
        (
            PASSPHRASE,
            PASSPHRASE + "!",
            "The two passphrases are not the same. Nothing was changed.",
        ),
        ("too short", "too short", "The passphrase is too short: use at least 12 characters"),
        (f" {PASSPHRASE}", f" {PASSPHRASE}", "The passphrase begins or ends with a space"),
    ],
)
def test_a_passphrase_that_cannot_be_used_is_explained_and_nothing_is_kept(
    tmp_path: Path, passphrase: str, repeated: str, message: str
) -> None:
    with pytest.raises(SigningSettingsError) as raised:
        set_passphrase(tmp_path, passphrase, repeated)
    assert raised.value.message.startswith(message)
    assert not (tmp_path / KEY_FILE).exists()


def test_the_policy_is_kept_when_the_passphrase_changes_and_needs_a_key(tmp_path: Path) -> None:
    with pytest.raises(SigningSettingsError) as raised:
        set_policy(tmp_path, Policy.WARN)
    assert "No bundle signing key is set on this laptop" in raised.value.message
    assert not (tmp_path / KEY_FILE).exists()

    with_key(tmp_path, derive_key(OTHER_PASSPHRASE), Policy.WARN)
    assert set_passphrase(tmp_path, PASSPHRASE).policy is Policy.WARN
    assert load_signing(tmp_path) == SigningKey(derive_key(PASSPHRASE), Policy.WARN)
    assert clear_signing(tmp_path) is True
    assert load_signing(tmp_path) is None and clear_signing(tmp_path) is False


def test_damaged_signing_settings_stop_exports_and_imports_rather_than_let_bundles_in(
    signed: Signed, demo_dir: Path, tmp_path: Path
) -> None:
    (demo_dir / KEY_FILE).write_text('{"version": 1, "key": "abc"', encoding="utf-8")
    before = state(demo_dir)
    with pytest.raises(SigningSettingsError) as raised:
        load_signing(demo_dir)
    assert raised.value.message.startswith(
        f"The bundle signing settings in {demo_dir / KEY_FILE} cannot be read (it is damaged"
    )
    with pytest.raises(SigningSettingsError):
        export_service(demo_dir, tmp_path / "w.rrnbundle")
    assert not (tmp_path / "w.rrnbundle").exists() and state(demo_dir) == before
    # Setting the passphrase again mends them.
    assert set_passphrase(demo_dir, PASSPHRASE).policy is Policy.REFUSE


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are made this way on POSIX")
def test_a_pipe_in_place_of_the_signing_settings_is_refused_at_once(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / KEY_FILE)
    with pytest.raises(SigningSettingsError) as raised:
        load_signing(tmp_path)  # a read would wait for ever for a writer
    assert raised.value.message.startswith(
        f"The bundle signing settings file {tmp_path / KEY_FILE} cannot be used: "
    )


# --- signing on export ---------------------------------------------------------------------------


def test_a_signed_bundle_holds_an_hmac_of_its_manifest_in_its_zip_comment(signed: Signed) -> None:
    with zipfile.ZipFile(signed.bundle) as archive:
        names = archive.namelist()
        manifest = archive.read("manifest.json")
        signature = json.loads(archive.comment)
    assert {n for n in names if not n.startswith("evidence/")} == {"records.json", "manifest.json"}
    assert signature == {
        "format": "rrn-desktop-bundle-signature",
        "version": 1,
        "key_fingerprint": fingerprint(signed.key),
        "hmac_sha256": hmac.new(signed.key, manifest, hashlib.sha256).hexdigest(),
    }
    assert signed.key == derive_key(PASSPHRASE)


def test_a_bundle_made_with_no_key_set_has_no_signature(unsigned: Path) -> None:
    with zipfile.ZipFile(unsigned) as archive:
        assert archive.comment == b""


# --- checking on import --------------------------------------------------------------------------


def test_a_correctly_signed_bundle_imports_saying_it_is_signed_by_the_organisation(
    signed: Signed, data_dir: Path
) -> None:
    here = with_key(data_dir, signed.key)
    bundle = read_bundle(signed.bundle, load_signing(here))
    assert bundle.origin.standing is Standing.SIGNED
    assert bundle.origin.line == (
        f"Signed by your organisation's key ({fingerprint(signed.key)}) and unchanged since it "
        "was signed."
    )
    assert not bundle.origin.needs_confirmation
    with open_database(here) as db:
        apply_import(db, plan_import(db, bundle))
        assert counts(db)["service"] == 1


def test_a_signed_bundle_altered_and_rehashed_is_refused_and_changes_nothing(
    signed: Signed, altered: Path, data_dir: Path
) -> None:
    # Every checksum in it is right: with no key here it would be imported as genuine.
    assert read_bundle(altered).records["service"][0].name == "Willow House (altered)"

    here = with_key(data_dir, signed.key, Policy.REFUSE)
    before = state(here)
    with pytest.raises(BundleError) as raised:
        read_bundle(altered, load_signing(here))
    assert raised.value.message == (
        "altered.rrnbundle cannot be imported: it has been changed since it was signed with "
        "your organisation's key, so it cannot be trusted. Nothing was changed."
    )
    assert state(here) == before


def test_with_the_warn_policy_an_altered_bundle_is_read_but_needs_confirming(
    signed: Signed, altered: Path, data_dir: Path
) -> None:
    here = with_key(data_dir, signed.key, Policy.WARN)
    origin = read_bundle(altered, load_signing(here)).origin
    assert origin.standing is Standing.ALTERED and origin.needs_confirmation
    assert origin.line.startswith(
        "Warning: this bundle has been changed since it was signed with your organisation's key"
    )


def test_an_unsigned_bundle_is_refused_under_refuse_and_needs_confirming_under_warn(
    signed: Signed, unsigned: Path, data_dir: Path
) -> None:
    here = with_key(data_dir, signed.key, Policy.REFUSE)
    before = state(here)
    with pytest.raises(BundleError) as raised:
        read_bundle(unsigned, load_signing(here))
    assert raised.value.message.startswith(
        "willow.rrnbundle cannot be imported: it is not signed with your organisation's key, "
        "and this laptop imports only bundles that are"
    )
    assert raised.value.message.endswith("Nothing was changed.")
    assert state(here) == before

    set_policy(here, Policy.WARN)
    origin = read_bundle(unsigned, load_signing(here)).origin
    assert origin.standing is Standing.UNSIGNED and origin.needs_confirmation
    assert origin.line.startswith("Warning: this bundle is not signed, so nothing shows it")


def test_a_bundle_signed_with_another_key_names_both_fingerprints(
    signed: Signed, data_dir: Path
) -> None:
    theirs = derive_key(OTHER_PASSPHRASE)
    here = with_key(data_dir, theirs)
    with pytest.raises(BundleError) as raised:
        read_bundle(signed.bundle, load_signing(here))
    assert (
        f"it was signed with a different key ({fingerprint(signed.key)}) from your "
        f"organisation's ({fingerprint(theirs)})"
    ) in raised.value.message


def test_a_signature_that_cannot_be_read_is_refused_like_a_wrong_one(
    signed: Signed, data_dir: Path, tmp_path: Path
) -> None:
    forged = shutil.copy(signed.bundle, tmp_path / "f.rrnbundle")
    with zipfile.ZipFile(forged, "a") as archive:
        archive.comment = b'{"format": "rrn-desktop-bundle-signature", "version": 2}'
    here = with_key(data_dir, signed.key)
    with pytest.raises(BundleError) as raised:
        read_bundle(forged, load_signing(here))
    assert "its signature cannot be read" in raised.value.message


def test_with_no_key_here_the_preview_says_the_origin_cannot_be_checked(
    signed: Signed, unsigned: Path
) -> None:
    plain = read_bundle(unsigned).origin
    assert plain.standing is Standing.NOT_CHECKED and not plain.needs_confirmation
    assert plain.line == (
        "Where this bundle came from cannot be checked: no bundle signing key is set on this "
        "laptop."
    )
    assert read_bundle(signed.bundle).origin.line.startswith(
        f"This bundle is signed (key {fingerprint(signed.key)}), but where it came from cannot "
        "be checked"
    )


def test_a_signature_member_would_be_refused_which_is_why_the_signature_is_the_zip_comment(
    signed: Signed, tmp_path: Path
) -> None:
    """Versions before signing refuse any member they do not know: the members check is the
    same today. The zip comment they never look at, so they import a signed bundle as any
    other (see docs/bundle-signing.md)."""

    def add_member(members: dict[str, bytes]) -> None:
        members["signature.json"] = b"{}"

    with_member = rewrite_keeping_signature(signed.bundle, tmp_path / "m.rrnbundle", add_member)
    with pytest.raises(BundleError) as raised:
        read_bundle(with_member)
    assert "it holds a file it should not ('signature.json')" in raised.value.message
    assert read_bundle(signed.bundle).records["service"][0].name == WILLOW
