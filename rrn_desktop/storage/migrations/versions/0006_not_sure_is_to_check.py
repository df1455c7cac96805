"""register entries opened by a "Not sure" checklist answer are "to check", not in place

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 22:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# An entry is still unconfirmed when its checklist answer is "Not sure" and nobody has moved it
# on from the "active" it was opened with; its opening history line says the same from now on.
_UNCONFIRMED = """
    restriction.status = 'active'
    AND restriction.checklist_code IS NOT NULL
    AND EXISTS (
        SELECT 1 FROM checklist_answer
        WHERE checklist_answer.service_id = restriction.service_id
          AND checklist_answer.item_code = restriction.checklist_code
          AND checklist_answer.answer = 'not_sure'
    )
    AND (SELECT COUNT(*) FROM restriction_status_change
         WHERE restriction_status_change.restriction_id = restriction.id) = 1
"""


def upgrade() -> None:
    op.execute(
        "UPDATE restriction_status_change SET status = 'to_check' WHERE restriction_id IN "
        f"(SELECT restriction.id FROM restriction WHERE {_UNCONFIRMED})"
    )
    op.execute(f"UPDATE restriction SET status = 'to_check' WHERE {_UNCONFIRMED}")


def downgrade() -> None:
    op.execute("UPDATE restriction_status_change SET status = 'active' WHERE status = 'to_check'")
    op.execute("UPDATE restriction SET status = 'active' WHERE status = 'to_check'")
