"""The name recorded against each change: set once in the app, kept with the data (on a shared
database, on this person's own machine)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rrn_desktop.core.validation import Input, Name, validated
from rrn_desktop.storage.change_log import USER_NAME_KEY
from rrn_desktop.storage.database import Database
from rrn_desktop.storage.models import AppSetting

NOT_SET = "(name not set)"


class _NameInput(Input):
    name: Name


def user_name(db: Database) -> str:
    """The name changes are recorded under, or "" when nobody has set one."""
    if db.shared:
        return db.own_name()
    with db.transaction() as session:
        value = session.scalars(select(AppSetting.value).where(AppSetting.key == USER_NAME_KEY))
        return value.first() or ""


def shown_name(name: str) -> str:
    return name or NOT_SET


def tidy_name(name: str) -> str:
    """A name as it is kept: tabs, doubled spaces and spaces at either end made single spaces."""
    return " ".join(name.split())


def store_user_name(session: Session, name: str) -> None:
    """Keep an already checked name, as part of the caller's transaction."""
    row = session.scalars(select(AppSetting).where(AppSetting.key == USER_NAME_KEY)).first()
    if row is None:
        session.add(AppSetting(key=USER_NAME_KEY, value=name))
    else:
        row.value = name


def set_user_name(db: Database, name: str) -> str:
    """Record changes from now on under this name (any letters, accents or symbols are fine)."""
    data = validated(_NameInput, name=tidy_name(name))
    if db.shared:
        db.keep_own_name(data.name)
        return data.name
    with db.transaction() as session:
        store_user_name(session, data.name)
    return data.name
