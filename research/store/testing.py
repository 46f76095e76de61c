"""Throwaway databases and sample records for tests and benchmarks (of this
room and of the app).

A PostgreSQL database with a unique name per test session, and a fresh schema
in it per test, so parallel workers (pytest-xdist) never see each other's
rows. ``DISCLOSURE_TEST_PG_URL`` points at the server (the ``test`` database
on 127.0.0.1 by default).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from research.contracts import Conversation, load_taxonomy
from research.store.records import ConversationRecord, MachineSuggestions

PG_URL_ENV = "DISCLOSURE_TEST_PG_URL"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def admin_url() -> str:
    return os.environ.get(PG_URL_ENV, DEFAULT_PG_URL)


def postgres_available(url: str | None = None) -> bool:
    engine = create_engine(url or admin_url(), connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


def unique_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:10]}"


@contextmanager
def temporary_database(prefix: str = "disclosure_test") -> Iterator[str]:
    """A new, empty PostgreSQL database; dropped (connections and all) on exit."""
    name = unique_name(prefix)
    admin = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(admin_url()).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def temporary_schema(database_url: str, prefix: str = "t") -> Iterator[str]:
    """A new schema in ``database_url``; yields a URL whose connections use it
    (``search_path``), dropped with everything in it on exit. Commits there do
    not wait for the disk (``synchronous_commit=off``): throwaway rows need no
    durability against a server crash, and visibility and locking are unchanged."""
    schema = unique_name(prefix)
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(database_url).update_query_dict({"options": f"-csearch_path={schema} -csynchronous_commit=off"})
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def sample_record(cid: str, *, n_messages: int = 4, started_at: str = "2024-03-14T19:22:00", age: int | None = 12,
                model: str = "test-model/1", suggested: tuple[str, ...] = ("vold_foreldre",),
                disclosure_turn: int | None = 1, channel: str = "chat", classified: bool = True) -> ConversationRecord:
    """A small de-identified conversation (counsellor and user take turns) with
    suggestions, unless not ``classified``."""
    tax = load_taxonomy()
    start = datetime.fromisoformat(started_at)
    speakers = ["counsellor" if i % 2 == 0 else "user" for i in range(n_messages)]
    conversation = Conversation.model_validate({
        "conversation_id": cid, "channel": channel, "started_at": started_at, "age": age,
        "messages": [{"speaker": s, "text": f"melding {i} fra <PERSON>",
                      "sent_at": (start + timedelta(minutes=i)).isoformat()} for i, s in enumerate(speakers)],
        "deidentified": True,
    })
    if not classified:
        return ConversationRecord(conversation, None)
    scores = {code: (0.9 if code in suggested else 0.1) for code in tax.category_codes}
    moves = [[{"code": tax.moves_for(s)[i % len(tax.moves_for(s))], "score": 0.8}] for i, s in enumerate(speakers)]
    suggestions = MachineSuggestions.from_contract(
        {"model": model, "categories": [{"code": c, "score": 0.9} for c in suggested], "category_scores": scores,
         "disclosure_turn": disclosure_turn, "disclosure_score": 0.7 if disclosure_turn is not None else 0.2},
        moves, n_messages)
    return ConversationRecord(conversation, suggestions)
