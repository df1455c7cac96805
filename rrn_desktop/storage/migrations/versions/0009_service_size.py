"""service size: how big a service was each month, for incident rates

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 20:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "service_size",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("versions", sa.JSON(), server_default="{}", nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_service_size_service_id_service")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_size")),
        sa.UniqueConstraint("service_id", "month", name=op.f("uq_service_size_service_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_service_size_uid")),
    )
    with op.batch_alter_table("service_size", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_size_service_id"), ["service_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("service_size")
