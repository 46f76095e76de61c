"""Connecting to the store: embedded SQLite by default, PostgreSQL by URL.

``DISCLOSURE_DB_URL`` selects the database (e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/research``); without it the
store is ``store/disclosure.db`` in the data folder. SQLite connections get WAL
mode, a busy timeout and foreign keys; write transactions there start with
``BEGIN IMMEDIATE`` so concurrent writers queue instead of failing.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from research.paths import data_path

# What a caller catches when the database fails, so the app never imports SQLAlchemy.
StoreUnavailableError = SQLAlchemyError

DB_URL_ENV = "DISCLOSURE_DB_URL"
BUSY_TIMEOUT_MS = 30_000
WRITE = {"disclosure_write": True}  # execution option of write transactions


def database_url() -> str:
    """The configured database URL (the SQLite file in the data folder by default)."""
    return os.environ.get(DB_URL_ENV) or f"sqlite:///{data_path('store', 'disclosure.db')}"


def create_store_engine(url: str | None = None, **kwargs) -> Engine:
    # Parameters hold (de-identified) message text: keep them out of error messages and logs.
    kwargs.setdefault("hide_parameters", True)
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # private to its owner
        return _sqlite_engine(url, **kwargs)
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_engine(url: str, **kwargs) -> Engine:
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # SQLAlchemy, not the sqlite3 module, decides when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", f"busy_timeout={BUSY_TIMEOUT_MS}", "foreign_keys=ON",
                       "synchronous=NORMAL"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A write transaction takes the write lock up front: a deferred one that
        # reads first could not be upgraded once another writer committed.
        immediate = connection.get_execution_options().get("disclosure_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
