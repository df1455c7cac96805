"""Bundles whose origin can be checked: signing with an organisation's shared key.

An organisation chooses one passphrase and sets it on each of its laptops. The key is derived
from it with scrypt and a fixed salt (below), so every laptop with the same passphrase gets the
same key, and only the key is kept (storage/signing_key). A bundle exported with a key set is
signed: an HMAC-SHA256 of its exact ``manifest.json`` bytes, which hold the SHA-256 of
``records.json`` and of every evidence file, all checked when the bundle is read. So the one
signature covers everything in the bundle.

The signature travels in the zip file's comment, not as a member: versions of the app before
signing refuse any member they do not know, and would refuse every signed bundle; they ignore
the comment and import it as they always did. See docs/bundle-signing.md for what this
protects against and what it does not.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from rrn_desktop.storage.signing_key import (
    KEY_BYTES,
    Policy,
    SigningKey,
    SigningSettingsError,
    load_signing,
    save_signing,
)

# Fixed and published (docs/bundle-signing.md): the key must come out the same on every laptop,
# so the salt cannot be random. It still keeps ready-made tables for other programs useless.
SALT = b"RRN Self-Audit bundle signing key, version 1"
# scrypt's cost: about a second and 128 MB once, when the passphrase is set, to slow down
# anyone guessing passphrases against a signed bundle.
SCRYPT_N = 1 << 17
SCRYPT_R = 8
SCRYPT_P = 1
MIN_PASSPHRASE = 12
SIGNATURE_FORMAT: Final = "rrn-desktop-bundle-signature"
# A zip comment can hold 65,535 bytes; a signature is about 150.
MAX_SIGNATURE_BYTES = 1024

POLICY_EXPLANATIONS = {
    Policy.REFUSE: (
        "A bundle that is not signed with this key, or was changed after it was signed, is not "
        "imported."
    ),
    Policy.WARN: (
        "Such a bundle can still be imported, but only after a warning and an extra confirmation."
    ),
}


# --- the key -------------------------------------------------------------------------------------


def derive_key(passphrase: str) -> bytes:
    """The same 32 bytes on every laptop for the same passphrase, however it was typed in
    (composed or decomposed accents alike)."""
    return hashlib.scrypt(
        unicodedata.normalize("NFC", passphrase).encode("utf-8"),
        salt=SALT,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=256 << 20,
        dklen=KEY_BYTES,
    )


def fingerprint(key: bytes) -> str:
    """A short name for a key, safe to show and compare between laptops: 'E3B0-C442-98FC-1C14'.
    It says which key signed a bundle without giving the key away."""
    digest = hashlib.sha256(b"RRN Self-Audit key fingerprint\x00" + key).hexdigest()[:16]
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4)).upper()


def set_passphrase(data_dir: Path, passphrase: str, repeated: str | None = None) -> SigningKey:
    """Derive and keep the key for this passphrase, keeping the policy already chosen
    (refuse, when there was none). ``repeated`` is the second typing, when there was one."""
    if repeated is not None and repeated != passphrase:
        raise SigningSettingsError("The two passphrases are not the same. Nothing was changed.")
    if passphrase != passphrase.strip():
        raise SigningSettingsError(
            "The passphrase begins or ends with a space, which is easy to miss on another "
            "laptop. Nothing was changed."
        )
    if len(passphrase) < MIN_PASSPHRASE:
        raise SigningSettingsError(
            f"The passphrase is too short: use at least {MIN_PASSPHRASE} characters (four or "
            "more unrelated words are better). Nothing was changed."
        )
    try:
        kept = load_signing(data_dir)
    except SigningSettingsError:
        kept = None  # damaged settings are what setting the passphrase again mends
    signing = SigningKey(derive_key(passphrase), kept.policy if kept else Policy.REFUSE)
    save_signing(data_dir, signing)
    return signing


def set_policy(data_dir: Path, policy: Policy) -> SigningKey:
    signing = load_signing(data_dir)
    if signing is None:
        raise SigningSettingsError(
            "No bundle signing key is set on this laptop, so there is no policy to choose. "
            "Set the passphrase first. Nothing was changed."
        )
    changed = SigningKey(signing.key, policy)
    save_signing(data_dir, changed)
    return changed


def describe_signing(signing: SigningKey | None) -> list[str]:
    """Plain lines saying what this laptop does with bundles, for `signing show` and the
    dialog."""
    if signing is None:
        return [
            "No bundle signing key is set on this laptop.",
            "Bundles made here are not signed, and where an imported bundle came from is not "
            "checked.",
        ]
    return [
        f"A bundle signing key is set: fingerprint {fingerprint(signing.key)}.",
        "Bundles made here are signed with it. Every laptop with the same passphrase shows the "
        "same fingerprint.",
        f"Policy: {signing.policy.value}. {POLICY_EXPLANATIONS[signing.policy]}",
    ]


# --- signing and checking a bundle ---------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Signature(_Strict):
    format: Literal["rrn-desktop-bundle-signature"]
    version: Literal[1]
    key_fingerprint: Annotated[str, StringConstraints(pattern=r"^[0-9A-F]{4}(-[0-9A-F]{4}){3}$")]
    hmac_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


def _mac(key: bytes, manifest: bytes) -> str:
    return hmac.new(key, manifest, hashlib.sha256).hexdigest()


def signature_comment(manifest: bytes, key: bytes) -> bytes:
    """The zip comment that signs a bundle with this manifest."""
    return (
        Signature(
            format=SIGNATURE_FORMAT,
            version=1,
            key_fingerprint=fingerprint(key),
            hmac_sha256=_mac(key, manifest),
        )
        .model_dump_json()
        .encode("ascii")
    )


class Standing(Enum):
    SIGNED = "signed with this laptop's key"
    NOT_CHECKED = "no key here to check it with"
    UNSIGNED = "not signed"
    OTHER_KEY = "signed with another key"
    ALTERED = "signature does not match"


@dataclass(frozen=True)
class Origin:
    """Where a bundle came from, as far as this laptop can tell.

    ``line`` is what the import preview shows first; ``reason`` is why it is refused, when
    ``refused``. A bundle that is neither refused nor signed here but could have been checked
    ``needs_confirmation``."""

    standing: Standing
    line: str
    reason: str = ""
    refused: bool = False

    @property
    def needs_confirmation(self) -> bool:
        return self.standing in _DOUBTFUL and not self.refused


_DOUBTFUL = {Standing.UNSIGNED, Standing.OTHER_KEY, Standing.ALTERED}
NOT_CHECKED = Origin(
    Standing.NOT_CHECKED,
    "Where this bundle came from cannot be checked: no bundle signing key is set on this laptop.",
)


def _signature(comment: bytes) -> Signature | None:
    if not comment or len(comment) > MAX_SIGNATURE_BYTES:
        return None
    try:
        return Signature.model_validate_json(comment)
    except ValidationError:
        return None


def _doubt(standing: Standing, why: str, warning: str, policy: Policy) -> Origin:
    if policy is Policy.REFUSE:
        return Origin(standing, "", reason=why, refused=True)
    return Origin(
        standing,
        f"Warning: {warning} Import it only if you know who made it and how it reached you.",
    )


def check_origin(manifest: bytes, comment: bytes, signing: SigningKey | None) -> Origin:
    """Check a bundle's signature (its zip comment) against its manifest's exact bytes and this
    laptop's key and policy."""
    signature = _signature(comment)
    if signing is None:
        if signature is None:
            return NOT_CHECKED
        return Origin(
            Standing.NOT_CHECKED,
            f"This bundle is signed (key {signature.key_fingerprint}), but where it came from "
            "cannot be checked: no bundle signing key is set on this laptop.",
        )
    ours = fingerprint(signing.key)
    if signature is None and comment:
        return _doubt(
            Standing.ALTERED,
            "its signature cannot be read, so it cannot be shown to come from your organisation",
            "this bundle's signature cannot be read, so nothing shows it comes from your "
            "organisation.",
            signing.policy,
        )
    if signature is None:
        return _doubt(
            Standing.UNSIGNED,
            "it is not signed with your organisation's key, and this laptop imports only "
            "bundles that are (ask for it to be exported again on a laptop with the passphrase "
            "set)",
            "this bundle is not signed, so nothing shows it comes from your organisation.",
            signing.policy,
        )
    if signature.key_fingerprint != ours:
        return _doubt(
            Standing.OTHER_KEY,
            f"it was signed with a different key ({signature.key_fingerprint}) from your "
            f"organisation's ({ours}), so it may not come from your organisation",
            f"this bundle was signed with a different key ({signature.key_fingerprint}) from "
            f"this laptop's ({ours}), so it may not come from your organisation.",
            signing.policy,
        )
    if not hmac.compare_digest(signature.hmac_sha256, _mac(signing.key, manifest)):
        return _doubt(
            Standing.ALTERED,
            "it has been changed since it was signed with your organisation's key, so it "
            "cannot be trusted",
            "this bundle has been changed since it was signed with your organisation's key, "
            "so it cannot be trusted to be as it was made.",
            signing.policy,
        )
    return Origin(
        Standing.SIGNED,
        f"Signed by your organisation's key ({ours}) and unchanged since it was signed.",
    )
