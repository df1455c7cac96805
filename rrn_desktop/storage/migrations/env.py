"""Alembic environment: migrations run on the connection the app hands over, in batch mode."""

from __future__ import annotations

from alembic import context

from rrn_desktop.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot alter most columns in place; batch mode rebuilds the table instead.
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
