"""post-incident support and learning

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 05:43:28.926059
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "retention_removal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=False),
        sa.Column("incident_count", sa.Integer(), nullable=False),
        sa.Column("older_than", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_removal")),
    )
    op.create_table(
        "incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("person_initials", sa.String(length=10), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("tried_first", sa.Text(), nullable=False),
        sa.Column(
            "in_plan",
            sa.Enum("yes", "no", "unknown", name="answer", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column(
            "person_injured",
            sa.Enum("yes", "no", "unknown", name="answer", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column(
            "staff_injured",
            sa.Enum("yes", "no", "unknown", name="answer", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("injury_details", sa.Text(), nullable=False),
        sa.Column("who_told", sa.Text(), nullable=False),
        sa.Column("sector_answers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_incident_service_id_service")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
        sa.UniqueConstraint("reference", name=op.f("uq_incident_reference")),
    )
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_occurred_at"), ["occurred_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_incident_service_id"), ["service_id"], unique=False)

    op.create_table(
        "incident_intervention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("kind_code", sa.String(length=60), nullable=False),
        sa.Column(
            "restraint_type",
            sa.Enum(
                "physical",
                "mechanical",
                "chemical",
                "environmental",
                "psychological",
                "surveillance",
                "cultural",
                "blanket",
                name="restraint_type",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_incident_intervention_incident_id_incident"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_intervention")),
    )
    with op.batch_alter_table("incident_intervention", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_intervention_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "incident_staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column(
            "involvement",
            sa.Enum("involved", "witness", name="involvement", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("welfare_offered_on", sa.Date(), nullable=True),
        sa.Column(
            "welfare_taken_up",
            sa.Enum("yes", "no", "unknown", name="answer", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("referral", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_incident_staff_incident_id_incident")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_staff")),
    )
    with op.batch_alter_table("incident_staff", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_staff_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "learning_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("lead_name", sa.String(length=200), nullable=False),
        sa.Column("lead_role", sa.String(length=200), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("during", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("what_helped", sa.Text(), nullable=False),
        sa.Column("could_be_different", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_learning_review_incident_id_incident")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_review")),
        sa.UniqueConstraint("incident_id", name=op.f("uq_learning_review_incident_id")),
    )
    op.create_table(
        "person_support",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("offered_on", sa.Date(), nullable=False),
        sa.Column("offered_by_role", sa.String(length=200), nullable=False),
        sa.Column(
            "taken_up",
            sa.Enum("yes", "no", "unknown", name="answer", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("communication", sa.Text(), nullable=False),
        sa.Column("own_account", sa.Text(), nullable=False),
        sa.Column("help_next_time", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_person_support_incident_id_incident")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_support")),
        sa.UniqueConstraint("incident_id", name=op.f("uq_person_support_incident_id")),
    )
    op.create_table(
        "learning_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("theme", sa.String(length=60), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action.id"],
            name=op.f("fk_learning_point_action_id_action"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["learning_review.id"],
            name=op.f("fk_learning_point_review_id_learning_review"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_point")),
        sa.UniqueConstraint("action_id", name=op.f("uq_learning_point_action_id")),
    )
    with op.batch_alter_table("learning_point", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_learning_point_review_id"), ["review_id"], unique=False
        )

    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "incident_identity",
                sa.Enum(
                    "reference_only",
                    "initials",
                    name="person_identity",
                    native_enum=False,
                    length=40,
                ),
                server_default="reference_only",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column(
                "incident_retention_months", sa.Integer(), server_default="36", nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_column("incident_retention_months")
        batch_op.drop_column("incident_identity")

    with op.batch_alter_table("learning_point", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learning_point_review_id"))

    op.drop_table("learning_point")
    op.drop_table("person_support")
    op.drop_table("learning_review")
    with op.batch_alter_table("incident_staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_staff_incident_id"))

    op.drop_table("incident_staff")
    with op.batch_alter_table("incident_intervention", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_intervention_incident_id"))

    op.drop_table("incident_intervention")
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_service_id"))
        batch_op.drop_index(batch_op.f("ix_incident_occurred_at"))

    op.drop_table("incident")
    op.drop_table("retention_removal")
