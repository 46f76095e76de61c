"""Read and write transactions over one engine, shared by the repositories."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from research.store.engine import WRITE


class Sessions:
    """``with sessions.reading() as s`` / ``with sessions.writing() as s``: one
    transaction each, committed on success and rolled back on any error."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(engine.execution_options(**WRITE), expire_on_commit=False)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        with self._write() as session, session.begin():
            yield session

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name
