"""instrument packs: each benchmark keeps the exact pack it was made with

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 22:00:00
"""

from __future__ import annotations

import datetime as dt
import tomllib

import sqlalchemy as sa
from alembic import op

from rrn_desktop.base.pack_ids import pack_uid, text_hash
from rrn_desktop.base.resources import packs_dir

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "instrument_pack",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pack_id", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=400), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("added", sa.Boolean(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instrument_pack")),
        sa.UniqueConstraint("sha256", name=op.f("uq_instrument_pack_sha256")),
        sa.UniqueConstraint("uid", name=op.f("uq_instrument_pack_uid")),
    )
    with op.batch_alter_table("instrument_pack", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_instrument_pack_pack_id"), ["pack_id"], unique=False)
    with op.batch_alter_table("benchmark", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pack_sha256", sa.String(length=64), nullable=True))
    _keep_shipped_copies()


def _keep_shipped_copies() -> None:
    """Benchmarks made before this were made with the shipped pack of their id: keep a copy of
    it where its version is still the one they name, so a later pack never rewrites them."""
    connection = op.get_bind()
    made = connection.execute(sa.text("SELECT DISTINCT pack_id, pack_version FROM benchmark"))
    for pack_id, version in made.all():
        path = packs_dir() / f"{pack_id}.toml"
        if not path.is_file():
            continue
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
        if data.get("version") != version:
            continue
        sha = text_hash(raw.decode("utf-8"))
        connection.execute(
            sa.text(
                "INSERT INTO instrument_pack "
                "(sha256, pack_id, version, title, content, added, added_at, uid) "
                "VALUES (:sha, :pack_id, :version, :title, :content, :added, :at, :uid)"
            ),
            {
                "sha": sha,
                "pack_id": pack_id,
                "version": version,
                "title": str(data.get("title", pack_id)),
                "content": raw.decode("utf-8"),
                "added": False,
                "at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
                "uid": pack_uid(sha),
            },
        )
        connection.execute(
            sa.text(
                "UPDATE benchmark SET pack_sha256 = :sha "
                "WHERE pack_id = :pack_id AND pack_version = :version"
            ),
            {"sha": sha, "pack_id": pack_id, "version": version},
        )


def downgrade() -> None:
    with op.batch_alter_table("benchmark", schema=None) as batch_op:
        batch_op.drop_column("pack_sha256")
    op.drop_table("instrument_pack")
