"""stable record ids, change log, settings

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 07:03:26.836086
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Every table that existed before this version: each record gets a uid that stays the same on
# every laptop the record travels to.
TABLES_GIVEN_UIDS = [
    "action",
    "action_evidence_file",
    "action_note",
    "action_status_change",
    "benchmark",
    "benchmark_event",
    "checklist_answer",
    "evidence_file",
    "incident",
    "incident_intervention",
    "incident_staff",
    "item_response",
    "learning_point",
    "learning_review",
    "organisation",
    "outcome_reading",
    "participant",
    "person_support",
    "pledge",
    "restriction",
    "restriction_review",
    "restriction_status_change",
    "retention_removal",
    "service",
    "staff_pledge",
]


def _give_uids(table: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column("uid", sa.String(length=36), nullable=True))
    connection = op.get_bind()
    ids = connection.execute(sa.text(f"SELECT id FROM {table}")).scalars().all()
    for record_id in ids:
        connection.execute(
            sa.text(f"UPDATE {table} SET uid = :uid WHERE id = :id"),
            {"uid": str(uuid.uuid4()), "id": record_id},
        )
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.alter_column("uid", existing_type=sa.String(length=36), nullable=False)
        batch_op.create_unique_constraint(batch_op.f(f"uq_{table}_uid"), ["uid"])


def upgrade() -> None:
    op.create_table(
        "app_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_setting")),
        sa.UniqueConstraint("key", name=op.f("uq_app_setting_key")),
        sa.UniqueConstraint("uid", name=op.f("uq_app_setting_uid")),
    )
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "created",
                "edited",
                "deleted",
                "signed_off",
                "reopened",
                "restored",
                name="change_kind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("table_name", sa.String(length=60), nullable=False),
        sa.Column("record_uid", sa.String(length=36), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
        sa.UniqueConstraint("uid", name=op.f("uq_change_log_uid")),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_change_log_record_uid"), ["record_uid"], unique=False)

    for table in TABLES_GIVEN_UIDS:
        _give_uids(table)


def downgrade() -> None:
    for table in TABLES_GIVEN_UIDS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_uid"), type_="unique")
            batch_op.drop_column("uid")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_log_record_uid"))
        batch_op.drop_index(batch_op.f("ix_change_log_at"))
    op.drop_table("change_log")
    op.drop_table("app_setting")
