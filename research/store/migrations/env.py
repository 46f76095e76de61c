"""Alembic environment: runs on the connection research.store.migrate hands over,
or (for ``alembic revision --autogenerate`` during development) on the URL in
the config / ``DISCLOSURE_DB_URL``."""

from __future__ import annotations

from alembic import context

from research.store.engine import create_store_engine
from research.store.models import Base


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE via copy on SQLite
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # pragma: no cover - developer use from the command line
    engine = create_store_engine(context.config.get_main_option("sqlalchemy.url") or None)
    with engine.begin() as conn:
        _run(conn)
