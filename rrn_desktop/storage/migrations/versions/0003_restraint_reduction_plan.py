"""restraint reduction plan

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 05:17:30.443411
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _move_benchmark_actions_to_the_plan() -> None:
    """Each benchmark item that needed action becomes one action on the plan, so the plan is
    the one place every action lives."""
    connection = op.get_bind()
    flagged = connection.execute(
        sa.text(
            "SELECT r.benchmark_id, r.item_code, r.action_text, r.action_owner, r.action_due, "
            "b.service_id, b.held_on FROM item_response r "
            "JOIN benchmark b ON b.id = r.benchmark_id WHERE r.needs_action"
        )
    ).all()
    for row in flagged:
        title = row.action_text or f"Act on benchmark item {row.item_code}"
        action_id = connection.execute(
            sa.text(
                "INSERT INTO action (service_id, title, description, strategy, owner_name, "
                "owner_role, start_on, due_on, priority, status, dropped_reason, outcome_measure, "
                "outcome_unit, source, benchmark_id, item_code, created_at, updated_at) VALUES "
                "(:service, :title, '', 'workforce', :owner, '', :start, :due, 'medium', "
                "'planned', '', '', '', 'benchmark_item', :benchmark, :code, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {
                "service": row.service_id,
                "title": title,
                "owner": row.action_owner or "",
                "start": row.held_on,
                "due": row.action_due,
                "benchmark": row.benchmark_id,
                "code": row.item_code,
            },
        ).lastrowid
        connection.execute(
            sa.text(
                "INSERT INTO action_status_change (action_id, status, changed_on, note, "
                "recorded_at) VALUES (:id, 'planned', :on, 'From the benchmark.', "
                "CURRENT_TIMESTAMP)"
            ),
            {"id": action_id, "on": row.held_on},
        )


def upgrade() -> None:
    op.create_table(
        "pledge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("signed_by", sa.String(length=200), nullable=False),
        sa.Column("signed_role", sa.String(length=200), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("published_where", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge")),
    )
    op.create_table(
        "staff_pledge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person", sa.String(length=200), nullable=False),
        sa.Column("commitment", sa.Text(), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("review_notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_pledge")),
    )
    op.create_table(
        "action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "strategy",
            sa.Enum(
                "leadership",
                "data",
                "workforce",
                "tools",
                "involvement",
                "debriefing",
                name="strategy",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("owner_name", sa.String(length=200), nullable=False),
        sa.Column("owner_role", sa.String(length=200), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "priority",
            sa.Enum("high", "medium", "low", name="priority", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "in_progress",
                "done",
                "dropped",
                name="action_status",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("dropped_reason", sa.Text(), nullable=False),
        sa.Column("outcome_measure", sa.Text(), nullable=False),
        sa.Column("outcome_unit", sa.String(length=60), nullable=False),
        sa.Column("outcome_baseline", sa.Double(), nullable=True),
        sa.Column("outcome_target", sa.Double(), nullable=True),
        sa.Column(
            "source",
            sa.Enum(
                "plan",
                "benchmark_item",
                "restriction",
                "learning_point",
                name="action_source",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("benchmark_id", sa.Integer(), nullable=True),
        sa.Column("item_code", sa.String(length=40), nullable=True),
        sa.Column("restriction_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["benchmark_id"], ["benchmark.id"], name=op.f("fk_action_benchmark_id_benchmark")
        ),
        sa.ForeignKeyConstraint(
            ["restriction_id"],
            ["restriction.id"],
            name=op.f("fk_action_restriction_id_restriction"),
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name=op.f("fk_action_service_id_service")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action")),
        sa.UniqueConstraint("benchmark_id", "item_code", name=op.f("uq_action_benchmark_id")),
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_benchmark_id"), ["benchmark_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_due_on"), ["due_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_action_restriction_id"), ["restriction_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_action_service_id"), ["service_id"], unique=False)

    op.create_table(
        "action_evidence_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=400), nullable=False),
        sa.Column("stored_name", sa.String(length=400), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_action_evidence_file_action_id_action")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_evidence_file")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_action_evidence_file_stored_name")),
    )
    with op.batch_alter_table("action_evidence_file", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_evidence_file_action_id"), ["action_id"], unique=False
        )

    op.create_table(
        "action_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("noted_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_action_note_action_id_action")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_note")),
    )
    with op.batch_alter_table("action_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_note_action_id"), ["action_id"], unique=False)

    op.create_table(
        "action_status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "in_progress",
                "done",
                "dropped",
                name="action_status",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_action_status_change_action_id_action")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_status_change")),
    )
    with op.batch_alter_table("action_status_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_status_change_action_id"), ["action_id"], unique=False
        )

    op.create_table(
        "outcome_reading",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("read_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["action.id"], name=op.f("fk_outcome_reading_action_id_action")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_reading")),
    )
    with op.batch_alter_table("outcome_reading", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outcome_reading_action_id"), ["action_id"], unique=False
        )

    _move_benchmark_actions_to_the_plan()
    with op.batch_alter_table("item_response", schema=None) as batch_op:
        batch_op.drop_column("needs_action")
        batch_op.drop_column("action_due")
        batch_op.drop_column("action_owner")
        batch_op.drop_column("action_text")


def downgrade() -> None:
    with op.batch_alter_table("item_response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("action_text", sa.TEXT(), nullable=False))
        batch_op.add_column(sa.Column("action_owner", sa.VARCHAR(length=200), nullable=False))
        batch_op.add_column(sa.Column("action_due", sa.DATE(), nullable=True))
        batch_op.add_column(sa.Column("needs_action", sa.BOOLEAN(), nullable=False))

    with op.batch_alter_table("outcome_reading", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_reading_action_id"))

    op.drop_table("outcome_reading")
    with op.batch_alter_table("action_status_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_status_change_action_id"))

    op.drop_table("action_status_change")
    with op.batch_alter_table("action_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_note_action_id"))

    op.drop_table("action_note")
    with op.batch_alter_table("action_evidence_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_evidence_file_action_id"))

    op.drop_table("action_evidence_file")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_service_id"))
        batch_op.drop_index(batch_op.f("ix_action_restriction_id"))
        batch_op.drop_index(batch_op.f("ix_action_due_on"))
        batch_op.drop_index(batch_op.f("ix_action_benchmark_id"))

    op.drop_table("action")
    op.drop_table("staff_pledge")
    op.drop_table("pledge")
