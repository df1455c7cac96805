"""service jurisdiction: whose recording law a service works under

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 19:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN with a constant default: existing services are taken to be in England,
    # where most users are; each can be changed in the service's details.
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "jurisdiction", sa.String(length=40), server_default="england", nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_column("jurisdiction")
