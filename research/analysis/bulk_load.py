"""Fill a store fast with a labelled corpus, the gold labels standing in for
the model's suggestions — for the analysis room's tests and benchmarks.

``disclosure run`` de-identifies and classifies every conversation and stores
it in its own transaction: right for real data, too slow for a year of 8,770
or a benchmark of 100,000 generated conversations. This loader writes the same
rows as :meth:`research.store.conversations.Conversations.add` (a test checks
it) with multi-row inserts, thousands per transaction. Message text is NOT
stored: each message gets a placeholder, so no generated (raw) text reaches
the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import Any, NamedTuple

from sqlalchemy import insert

from research.contracts import load_taxonomy
from research.store.current import current_label_rows
from research.store.labels import CurrentLabels, DisclosureLabel, Label, Source
from research.store.margins import margin_of_rows
from research.store.models import Conversation, CurrentCategory, CurrentMove, Kind, Message, Suggestion, utcnow
from research.store.records import local_wall_clock

GOLD_MODEL = ("gold", "1")
BATCH = 2000


def placeholder(index: int) -> str:
    return f"[melding {index}]"


def _time(value: str | datetime | None) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return local_wall_clock(moment)


def machine_labels(conversation: dict[str, Any]) -> CurrentLabels:
    """The current labels while no counsellor has decided: the gold ones, as suggested."""
    machine = Label(True, Source.machine, 1.0)
    turn = conversation.get("disclosure_turn")
    moves = {i: {code: machine for code in m.get("moves") or []} for i, m in enumerate(conversation["messages"])}
    return CurrentLabels({code: machine for code in conversation.get("categories") or []}, moves,
                         DisclosureLabel(turn, Source.machine, 1.0 if turn is not None else 0.0))


class Rows(NamedTuple):
    """Everything stored for one conversation, as rows for multi-row inserts."""

    conversation: dict
    messages: list[dict]
    suggestions: list[dict]
    current_categories: list[dict]
    current_moves: list[dict]


def rows_of(conversation: dict[str, Any], model: tuple[str, str] = GOLD_MODEL) -> Rows:
    """The rows of one labelled conversation, its current labels included (the
    conversation row carries the disclosure label and the uncertainty margin)."""
    tax = load_taxonomy()
    cid = conversation["conversation_id"]
    started = _time(conversation["started_at"])
    messages = conversation["messages"]
    name, version = model
    conv = {
        "id": cid, "channel": conversation["channel"], "started_at": started, "year": started.year,
        "month": started.month, "hour": started.hour, "age": conversation.get("age"),
        "age_group": tax.age_group_of(conversation.get("age")), "gender": conversation.get("gender") or "ikke_oppgitt",
        "contact_type": conversation.get("contact_type"), "n_messages": len(messages), "model_name": name,
        "model_version": version, "label_version": 0, "ingested_at": utcnow(), "run_id": None,
    }
    message_rows = [{"conversation_id": cid, "message_index": i, "speaker": m["speaker"], "text": placeholder(i),
                     "sent_at": _time(m.get("sent_at"))} for i, m in enumerate(messages)]
    common = {"conversation_id": cid, "model_name": name, "model_version": version, "created_at": conv["ingested_at"]}
    gold = set(conversation.get("categories") or [])
    suggestions = [{**common, "kind": Kind.category, "code": code, "message_index": None,
                    "score": 1.0 if code in gold else 0.0, "suggested": code in gold} for code in tax.category_codes]
    suggestions += [{**common, "kind": Kind.move, "code": code, "message_index": i, "score": 1.0, "suggested": True}
                    for i, m in enumerate(messages) for code in m.get("moves") or []]
    turn = conversation.get("disclosure_turn")
    current_categories, current_moves, disclosure_columns = current_label_rows(cid, machine_labels(conversation))
    conv.update(disclosure_columns)
    suggestions.append({**common, "kind": Kind.disclosure, "code": None, "message_index": turn,
                        "score": 1.0 if turn is not None else 0.0, "suggested": turn is not None})
    conv["margin"] = margin_of_rows(suggestions)
    return Rows(conv, message_rows, suggestions, current_categories, current_moves)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def load(store, conversations: Iterable[dict[str, Any]], *, model: tuple[str, str] = GOLD_MODEL,
         batch: int = BATCH) -> int:
    """Insert labelled conversations (contract dicts with gold labels); returns how many."""
    count = 0
    for chunk in _batches(conversations, batch):
        rows = [rows_of(conversation, model) for conversation in chunk]
        with store.sessions.writing() as session:
            session.execute(insert(Conversation), [r.conversation for r in rows])
            for table, field in ((Message, "messages"), (Suggestion, "suggestions"),
                                 (CurrentCategory, "current_categories"), (CurrentMove, "current_moves")):
                if table_rows := [row for r in rows for row in getattr(r, field)]:
                    session.execute(insert(table), table_rows)
        count += len(chunk)
    return count
