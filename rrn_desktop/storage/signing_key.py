"""The organisation's bundle signing key as this laptop keeps it: a small JSON file in the data
folder, beside the data file but outside it, so it is never in a backup or a bundle.

The file holds the key derived from the passphrase (never the passphrase) and the policy for
bundles that are not signed with it. It is written under a name of its own and renamed into
place, so it is either the old settings or the new ones, never half of each. What the key is
for, and how it is made, is in core/bundle_signing.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from rrn_desktop.base.errors import UserFacingError
from rrn_desktop.storage.input_files import NotAFileError, require_regular_file

KEY_FILE = "bundle-signing.json"
KEY_BYTES = 32
_FILE_VERSION = 1
# The file is about 110 bytes; anything much larger was not written by the app.
_MAX_BYTES = 4096


class Policy(StrEnum):
    """What an import does with a bundle that is not signed with this laptop's key."""

    REFUSE = "refuse"
    WARN = "warn"


class SigningSettingsError(UserFacingError):
    """The signing settings cannot be read or saved; the message says which file and why."""


@dataclass(frozen=True)
class SigningKey:
    key: bytes
    policy: Policy


def key_path(data_dir: Path) -> Path:
    return Path(data_dir) / KEY_FILE


def _unreadable(path: Path, reason: str) -> SigningSettingsError:
    return SigningSettingsError(
        f"The bundle signing settings in {path} cannot be read ({reason}), so no bundle can be "
        "made or imported on this laptop until the passphrase is set again (Data, Bundle "
        "signing…, or 'rrn-desktop signing set'). Nothing was changed."
    )


def load_signing(data_dir: Path) -> SigningKey | None:
    """This laptop's key and policy, or None when no key is set.

    A file that is there but cannot be read is an error, not "no key": treating it as no key
    would quietly let unsigned bundles in."""
    path = key_path(data_dir)
    if not os.path.lexists(path):
        return None
    try:
        # Never a pipe or a device, which could keep every import waiting for ever.
        require_regular_file(path, "bundle signing settings file")
        with path.open("rb") as handle:
            data = handle.read(_MAX_BYTES)
    except NotAFileError as error:
        raise SigningSettingsError(error.message) from error
    except OSError as error:
        raise _unreadable(path, error.strerror or str(error)) from error
    try:
        raw = json.loads(data)
        key = bytes.fromhex(raw["key"])
        policy = Policy(raw["policy"])
        fine = raw["version"] == _FILE_VERSION and len(key) == KEY_BYTES
    except (ValueError, TypeError, KeyError):
        fine = False
    if not fine:
        raise _unreadable(path, "it is damaged or was not written by RRN Self-Audit")
    return SigningKey(key=key, policy=policy)


def save_signing(data_dir: Path, signing: SigningKey) -> None:
    """Write the key and policy, replacing any before them, all at once."""
    from rrn_desktop.base.saving import fsync_dir

    path = key_path(data_dir)
    text = json.dumps(
        {"version": _FILE_VERSION, "key": signing.key.hex(), "policy": signing.policy.value}
    )
    name = ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(prefix=".bundle-signing-", dir=path.parent)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(name, path)
        fsync_dir(path.parent)
    except OSError as error:
        if name:
            with contextlib.suppress(OSError):
                os.unlink(name)
        raise SigningSettingsError(
            f"The bundle signing settings could not be saved in {path.parent} "
            f"({error.strerror or error}). Nothing was changed."
        ) from error


def clear_signing(data_dir: Path) -> bool:
    """Forget the key; False when none was set."""
    path = key_path(data_dir)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as error:
        raise SigningSettingsError(
            f"The bundle signing key could not be removed from {path} "
            f"({error.strerror or error}). Nothing was changed."
        ) from error
    return True
