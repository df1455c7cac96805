"""version vectors: each laptop's count of changes to a record, and this laptop's own id

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 09:00:00
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# The records people edit (each has an updated_at). Their existing rows start with "{}": how
# often each laptop changed them before now is not known, so merging them keeps the old rule
# (the later updated_at wins) until one side changes them again.
VERSIONED_TABLES = [
    "benchmark",
    "item_response",
    "restriction",
    "action",
    "incident",
    "person_support",
    "learning_review",
]
LAPTOP_ID_KEY = "laptop_id"


def upgrade() -> None:
    for table in VERSIONED_TABLES:
        # A plain ADD COLUMN with a constant default: no table rebuild, existing rows get "{}".
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("versions", sa.JSON(), server_default="{}", nullable=False)
            )
    connection = op.get_bind()
    connection.execute(
        sa.text("INSERT INTO app_setting (uid, key, value) VALUES (:uid, :key, :value)"),
        {"uid": str(uuid.uuid4()), "key": LAPTOP_ID_KEY, "value": uuid.uuid4().hex},
    )


def downgrade() -> None:
    op.execute(f"DELETE FROM app_setting WHERE key = '{LAPTOP_ID_KEY}'")
    for table in VERSIONED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("versions")
