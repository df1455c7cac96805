"""person code and details: repeated use on one person, breakdowns by age band and characteristic

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("person_code", sa.String(length=40), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("person_details", sa.JSON(), server_default="{}", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_column("person_details")
        batch_op.drop_column("person_code")
