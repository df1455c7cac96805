"""shared database: a save count on actions, register entries and incidents; evidence content

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 23:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_COUNTED = ("action", "restriction", "incident")


def upgrade() -> None:
    for table in _COUNTED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("row_version", sa.Integer(), server_default="1", nullable=False)
            )
    op.create_table(
        "evidence_content",
        sa.Column("stored_name", sa.String(length=400), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("stored_name"),
        sa.UniqueConstraint("uid", name=op.f("uq_evidence_content_uid")),
    )
    op.create_table(
        "data_arrival",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("arrived_at", sa.DateTime(), nullable=False),
        sa.Column("bundle_made_at", sa.DateTime(), nullable=False),
        sa.Column("bundle_name", sa.String(length=400), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_data_arrival_service_id_service")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_arrival")),
        sa.UniqueConstraint("uid", name=op.f("uq_data_arrival_uid")),
    )
    with op.batch_alter_table("data_arrival", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_data_arrival_service_id"), ["service_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("data_arrival")
    op.drop_table("evidence_content")
    for table in _COUNTED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("row_version")
