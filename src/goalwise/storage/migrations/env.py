"""Alembic environment: runs migrations on the connection Goalwise hands it."""

from __future__ import annotations

from alembic import context

from goalwise.storage.tables import metadata

config = context.config
connection = config.attributes.get("connection")

if connection is None:  # pragma: no cover - Goalwise always passes a connection
    raise RuntimeError("run migrations through `goalwise db upgrade`")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode rebuilds tables
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
