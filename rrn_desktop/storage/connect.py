"""Which data to open: the data folder (SQLite, the default) or a shared database on PostgreSQL,
named by --database, by RRN_DESKTOP_DATABASE, or remembered from File → Connect to a shared
database… The password is never kept in a file: it comes from the operating system's keyring
(Windows Credential Manager, macOS Keychain, the Secret Service), PGPASSWORD or ~/.pgpass."""

from __future__ import annotations

from pathlib import Path

from rrn_desktop.base.connection_choice import REMEMBERED, chosen_database
from rrn_desktop.base.saving import save_atomically
from rrn_desktop.storage.database import Database, open_database
from rrn_desktop.storage.shared import open_shared_database, parse_url, shown

KEYRING_SERVICE = "RRN Self-Audit shared database"


def remember_database(data_dir: Path, address: str | None) -> None:
    """Open this shared database from now on (None: this machine's data folder again)."""
    if address is None:
        (data_dir / REMEMBERED).unlink(missing_ok=True)
        return
    data_dir.mkdir(parents=True, exist_ok=True)
    save_atomically(shown(parse_url(address)).encode("utf-8"), data_dir / REMEMBERED, "setting")


def _key(address: str) -> str:
    url = parse_url(address)
    return f"{url.username}@{url.host}:{url.port or 5432}/{url.database}"


def saved_password(address: str) -> str | None:
    """The password kept for this database in the operating system's keyring, if any."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, _key(address))
    except (KeyringError, RuntimeError):
        return None  # no keyring on this machine: PGPASSWORD or ~/.pgpass may still serve


def save_password(address: str, password: str) -> bool:
    """Keep the password in the keyring; False when this machine has none to keep it in."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, _key(address), password)
    except (KeyringError, RuntimeError):
        return False
    return True


def with_password(address: str) -> str:
    url = parse_url(address)
    if url.password is None:
        password = saved_password(address)
        if password is not None:
            url = url.set(password=password)
    return url.render_as_string(hide_password=False)


def open_data(data_dir: Path, database: str | None = None) -> Database:
    """The data to work on: the shared database chosen, else the data folder."""
    address = chosen_database(data_dir, database)
    if address is None:
        return open_database(data_dir)
    return open_shared_database(with_password(address), data_dir)
