"""Bring a database to the newest schema with the Alembic migrations shipped
in ``research/store/migrations``: a fresh data folder (or an empty PostgreSQL
database) works on first use, and an older one is upgraded.

To change the schema, edit ``models.py`` and generate the next revision from
a database at the current head (then read and tidy it; a test checks that
models and migrations agree)::

    with create_store_engine(url).begin() as conn:
        alembic.command.revision(alembic_config(conn), message="...", autogenerate=True, rev_id="0002")
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from research.store.engine import WRITE

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_PG_LOCK_KEY = 0x5D15C105  # advisory lock: one migrating process at a time


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Migrate to head; concurrent first uses wait for each other."""
    head = head_revision()
    with engine.connect() as conn:
        if current_revision(conn) == head:
            return
    with engine.execution_options(**WRITE).begin() as conn:  # BEGIN IMMEDIATE on SQLite
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        command.upgrade(alembic_config(conn), "head")
