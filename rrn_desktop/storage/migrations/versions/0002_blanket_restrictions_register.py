"""blanket restrictions register

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 04:53:02.438037
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checklist_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=40), nullable=False),
        sa.Column(
            "answer",
            sa.Enum("yes", "no", "not_sure", name="checklist_answer", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_checklist_answer_service_id_service")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_answer")),
        sa.UniqueConstraint("service_id", "item_code", name=op.f("uq_checklist_answer_service_id")),
    )
    with op.batch_alter_table("checklist_answer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_checklist_answer_service_id"), ["service_id"], unique=False
        )

    op.create_table(
        "restriction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("checklist_code", sa.String(length=40), nullable=True),
        sa.Column("category_id", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("restraint_type", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "applies_to",
            sa.Enum(
                "everyone", "group", "one_person", name="applies_to", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column("applies_to_detail", sa.Text(), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("risk", sa.Text(), nullable=False),
        sa.Column("individual_risk_assessment", sa.Boolean(), nullable=True),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("alternatives", sa.Text(), nullable=False),
        sa.Column("consulted", sa.Text(), nullable=False),
        sa.Column("informed", sa.Text(), nullable=False),
        sa.Column("authorised_by_role", sa.String(length=200), nullable=False),
        sa.Column("authorised_on", sa.Date(), nullable=True),
        sa.Column(
            "review_frequency",
            sa.Enum(
                "daily",
                "weekly",
                "monthly",
                "quarterly",
                "six_monthly",
                "yearly",
                name="review_frequency",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("last_reviewed_on", sa.Date(), nullable=True),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        sa.Column("reduction_plan", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "reducing",
                "individualised",
                "removed",
                name="restriction_status",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("identified_on", sa.Date(), nullable=False),
        sa.Column("placing_authority_agreed", sa.Boolean(), nullable=True),
        sa.Column("in_placement_plan", sa.Boolean(), nullable=True),
        sa.Column("child_view", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_restriction_service_id_service")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restriction")),
    )
    with op.batch_alter_table("restriction", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_restriction_next_review_on"), ["next_review_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_restriction_service_id"), ["service_id"], unique=False)

    op.create_table(
        "restriction_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("restriction_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("reviewed_by", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("next_review_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["restriction_id"],
            ["restriction.id"],
            name=op.f("fk_restriction_review_restriction_id_restriction"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restriction_review")),
    )
    with op.batch_alter_table("restriction_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_restriction_review_restriction_id"), ["restriction_id"], unique=False
        )

    op.create_table(
        "restriction_status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("restriction_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "reducing",
                "individualised",
                "removed",
                name="restriction_status",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["restriction_id"],
            ["restriction.id"],
            name=op.f("fk_restriction_status_change_restriction_id_restriction"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restriction_status_change")),
    )
    with op.batch_alter_table("restriction_status_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_restriction_status_change_restriction_id"),
            ["restriction_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("restriction_status_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_restriction_status_change_restriction_id"))

    op.drop_table("restriction_status_change")
    with op.batch_alter_table("restriction_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_restriction_review_restriction_id"))

    op.drop_table("restriction_review")
    with op.batch_alter_table("restriction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_restriction_service_id"))
        batch_op.drop_index(batch_op.f("ix_restriction_next_review_on"))

    op.drop_table("restriction")
    with op.batch_alter_table("checklist_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklist_answer_service_id"))

    op.drop_table("checklist_answer")
