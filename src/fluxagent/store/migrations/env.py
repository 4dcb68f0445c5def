"""Alembic environment for fluxagent's event store.

``SqlStore`` runs the migrations itself, inside its own transaction, on the connection it hands
over in ``config.attributes["connection"]``; the version table is named so it cannot be
confused with another application's ``alembic_version``.
"""

from __future__ import annotations

from alembic import context

from fluxagent.store.sql import METADATA, VERSION_TABLE

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("fluxagent migrations run through SqlStore, which passes a connection")

context.configure(connection=connection, target_metadata=METADATA,
                  version_table=VERSION_TABLE, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
