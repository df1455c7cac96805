"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24 04:28:43.861731
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
    )
    op.create_table(
        "service",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "sector",
            sa.Enum(
                "adult_social_care",
                "childrens_services",
                "education",
                "health",
                name="sector",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_service_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service")),
        sa.UniqueConstraint("organisation_id", "name", name=op.f("uq_service_organisation_id")),
    )
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "benchmark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.String(length=100), nullable=False),
        sa.Column("pack_version", sa.String(length=100), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "self_audit",
                "peer_review",
                "commissioner_review",
                name="purpose",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("signed_off_by", sa.String(length=200), nullable=True),
        sa.Column("signed_off_role", sa.String(length=200), nullable=True),
        sa.Column("signed_off_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_benchmark_service_id_service")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benchmark")),
    )
    with op.batch_alter_table("benchmark", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_benchmark_service_id"), ["service_id"], unique=False)

    op.create_table(
        "benchmark_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("benchmark_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("signed_off", "reopened", name="event_kind", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("by_name", sa.String(length=200), nullable=False),
        sa.Column("by_role", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["benchmark_id"],
            ["benchmark.id"],
            name=op.f("fk_benchmark_event_benchmark_id_benchmark"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benchmark_event")),
    )
    with op.batch_alter_table("benchmark_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_benchmark_event_benchmark_id"), ["benchmark_id"], unique=False
        )

    op.create_table(
        "item_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("benchmark_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=40), nullable=False),
        sa.Column(
            "rating",
            sa.Enum(
                "met",
                "partly_met",
                "not_met",
                "not_applicable",
                "not_rated",
                name="rating",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("evidence_refs", sa.Text(), nullable=False),
        sa.Column("needs_action", sa.Boolean(), nullable=False),
        sa.Column("action_text", sa.Text(), nullable=False),
        sa.Column("action_owner", sa.String(length=200), nullable=False),
        sa.Column("action_due", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["benchmark_id"], ["benchmark.id"], name=op.f("fk_item_response_benchmark_id_benchmark")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_response")),
        sa.UniqueConstraint(
            "benchmark_id", "item_code", name=op.f("uq_item_response_benchmark_id")
        ),
    )
    with op.batch_alter_table("item_response", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_item_response_benchmark_id"), ["benchmark_id"], unique=False
        )

    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("benchmark_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("lived_experience", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["benchmark_id"], ["benchmark.id"], name=op.f("fk_participant_benchmark_id_benchmark")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant")),
    )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participant_benchmark_id"), ["benchmark_id"], unique=False
        )

    op.create_table(
        "evidence_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=400), nullable=False),
        sa.Column("stored_name", sa.String(length=400), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["item_response.id"],
            name=op.f("fk_evidence_file_response_id_item_response"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_file")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_evidence_file_stored_name")),
    )
    with op.batch_alter_table("evidence_file", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_file_response_id"), ["response_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("evidence_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_file_response_id"))

    op.drop_table("evidence_file")
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_benchmark_id"))

    op.drop_table("participant")
    with op.batch_alter_table("item_response", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_response_benchmark_id"))

    op.drop_table("item_response")
    with op.batch_alter_table("benchmark_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_benchmark_event_benchmark_id"))

    op.drop_table("benchmark_event")
    with op.batch_alter_table("benchmark", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_benchmark_service_id"))

    op.drop_table("benchmark")
    with op.batch_alter_table("service", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_organisation_id"))

    op.drop_table("service")
    op.drop_table("organisation")
