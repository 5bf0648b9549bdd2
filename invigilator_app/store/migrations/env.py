"""Alembic environment: always runs over the connection handed in by store.migrate."""

from __future__ import annotations

from alembic import context

from invigilator_app.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run only from invigilator_app.store.migrate")

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
