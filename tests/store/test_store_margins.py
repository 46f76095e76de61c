"""The stored uncertainty margin (research.store.margins) and the queue that
reads it in order (research.store.uncertainty), on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import inspect, select

from research.contracts import load_taxonomy
from research.store import ConversationRecord, Decision, MachineSuggestions, SuggestionFormatError
from research.store.conversations import _suggestion_rows
from research.store.margins import margin_of, margin_of_rows
from research.store.models import Conversation, ReviewAssignment
from research.store.testing import sample_record
from research.store.uncertainty import most_uncertain_for


def scored(cid: str, scores: dict[str, float], disclosure=(None, 0.02), *, day: int = 1, model: str = "m/1",
           threshold: float = 0.5, disclosure_threshold: float | None = None,
           known: bool = True) -> ConversationRecord:
    """A conversation whose model suggests every category scoring at least ``threshold``
    (other categories score 0.02); the store is told the thresholds when ``known``."""
    conversation = sample_record(cid, started_at=f"2024-01-{day:02d}T10:00:00").conversation
    all_scores = {code: scores.get(code, 0.02) for code in load_taxonomy().category_codes}
    turn, disclosure_score = disclosure
    thresholds = {"category_thresholds": dict.fromkeys(all_scores, threshold),
                  "disclosure_threshold": disclosure_threshold} if known else None
    suggestions = MachineSuggestions.from_contract(
        {"model": model, "categories": [{"code": c, "score": s} for c, s in all_scores.items() if s >= threshold],
         "category_scores": all_scores, "disclosure_turn": turn, "disclosure_score": disclosure_score},
        None, len(conversation.messages), thresholds)
    return ConversationRecord(conversation, suggestions)


def only_some_thresholds(record: ConversationRecord, *codes: str) -> ConversationRecord:
    known = {code: record.suggestions.category_thresholds[code] for code in codes}
    return ConversationRecord(record.conversation,
                              dataclasses.replace(record.suggestions, category_thresholds=known))


def stored_margins(store) -> dict[str, float | None]:
    with store.engine.connect() as conn:
        return dict(conn.execute(select(Conversation.id, Conversation.margin)).all())


def queue(store, reviewer: str = "anna", **kwargs) -> list[str]:
    return [item.conversation.id for item in most_uncertain_for(store.sessions, reviewer, **kwargs)]


def test_the_stored_margin_is_the_distance_to_the_models_thresholds(store):
    records = [
        scored("known", {"mobbing": 0.70}, (1, 0.45), threshold=0.68, disclosure_threshold=0.40),  # 0.02
        scored("unknown", {"mobbing": 0.70}, (None, 0.30), known=False),  # 0.5 for both: 0.20
        scored("beyond", {"mobbing": 0.70}, (1, 0.45), threshold=0.68),  # suggested at 0.45: at most 0.45
        only_some_thresholds(scored("partly", {"mobbing": 0.30}, threshold=0.25), "mobbing"),  # the rest at 0.5
        sample_record("unclassified", classified=False),
    ]
    for record in records:
        assert store.conversations.add(record)
    margins = stored_margins(store)
    assert margins == {record.id: margin_of(record.suggestions) for record in records}
    assert margins == {"known": pytest.approx(0.02), "unknown": pytest.approx(0.20), "beyond": 0.0,
                       "partly": pytest.approx(0.05), "unclassified": None}


def test_rows_written_directly_get_the_margin_the_store_gives_without_thresholds():
    for record in (scored("a", {"mobbing": 0.7, "selvskading": 0.4}, (1, 0.35), known=False),
                   sample_record("b", disclosure_turn=None), sample_record("c", suggested=())):
        rows = [{"kind": s.kind, "score": s.score, "suggested": s.suggested} for s in _suggestion_rows(record)]
        assert margin_of_rows(rows) == margin_of(record.suggestions)
    assert margin_of_rows([]) is None


@pytest.mark.parametrize(("thresholds", "field"), [
    ({"category_thresholds": {"vold": 0.5}}, "thresholds.category_thresholds.vold"),
    ({"category_thresholds": {"mobbing": "0.5"}}, "thresholds.category_thresholds.mobbing"),
    ({"disclosure_threshold": float("nan")}, "thresholds.disclosure_threshold"),
])
def test_thresholds_that_are_not_numbers_per_known_code_name_the_field(thresholds, field):
    with pytest.raises(SuggestionFormatError) as caught:
        MachineSuggestions.from_contract({"model": "m/1"}, None, 2, thresholds)
    assert caught.value.field == field


def test_the_queue_takes_the_smallest_margin_first_and_the_unclassified_last(store, counsellors):
    store.conversations.add(sample_record("plain", started_at="2023-06-01T10:00:00", classified=False))
    for day, (cid, score) in enumerate([("sure", 0.95), ("close", 0.52), ("far", 0.05), ("edge", 0.40)], 1):
        store.conversations.add(scored(cid, {"mobbing": score}, day=day))
    assert queue(store) == ["close", "edge", "sure", "far", "plain"]  # margins 0.02, 0.10, 0.45, 0.45, none
    assert queue(store, limit=2) == ["close", "edge"]
    store.reviews.save("close", "bo", 0, [Decision.category("mobbing", "accept")])
    assert queue(store, limit=2) == ["edge", "sure"]


def test_assigned_double_coding_comes_first_in_margin_order(store, counsellors):
    for day, (cid, score) in enumerate([("x-far", 0.9), ("x-near", 0.55), ("open", 0.5)], 1):
        store.conversations.add(scored(cid, {"mobbing": score}, day=day))
    with store.sessions.writing() as session:
        session.add_all([ReviewAssignment(conversation_id=cid, reviewer="anna") for cid in ("x-far", "x-near")])
    items = most_uncertain_for(store.sessions, "anna")
    assert [(i.conversation.id, i.assigned) for i in items] == [("x-near", True), ("x-far", True), ("open", False)]
    assert queue(store, "bo") == ["open"]  # reserved for their coder


def test_the_migration_fills_margins_of_an_older_store(store, counsellors):
    """A store from before the stored margin (revision 0002) knows no thresholds:
    they are read off the suggestions, per model and label, as the queue did."""
    from alembic import command

    from research.store.migrate import alembic_config

    # model m/1's threshold for mobbing is 0.68, but the store is not told: suggested at 0.9 and 0.7,
    # not at 0.65 and 0.1, so it is read as 0.65 (the point of [0.65, 0.7] closest to 0.5)
    for day, (cid, score) in enumerate([("sure", 0.90), ("edge", 0.70), ("close", 0.65), ("far", 0.10)], 1):
        store.conversations.add(scored(cid, {"mobbing": score}, day=day, threshold=0.68, known=False))
    store.conversations.add(scored("other", {"mobbing": 0.66}, model="n/1", day=5, known=False))  # its own: 0.5
    store.conversations.add(sample_record("unclassified", classified=False))
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0002")
    with store.engine.begin() as conn:
        assert "margin" not in {c["name"] for c in inspect(conn).get_columns("conversations")}
        command.upgrade(alembic_config(conn), "head")
    assert stored_margins(store) == {"sure": pytest.approx(0.25), "edge": pytest.approx(0.05), "close": 0.0,
                                     "far": pytest.approx(0.48), "other": pytest.approx(0.16), "unclassified": None}
    assert queue(store) == ["close", "edge", "other", "sure", "far", "unclassified"]


@pytest.mark.parametrize("kept", [True, False])
def test_the_migration_gives_sqlite_statistics_for_the_new_index_where_it_keeps_them(tmp_path, kept):
    """With statistics for the old indexes only, SQLite took the new one for the time-ordered queue as well."""
    from alembic import command
    from sqlalchemy import text

    from research.store import open_store
    from research.store.migrate import alembic_config

    with open_store(f"sqlite:///{tmp_path / 'stats.db'}") as store:
        for i in range(3):
            store.conversations.add(sample_record(f"A{i}"))
        with store.engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0002")
            if kept:
                conn.exec_driver_sql("ANALYZE")
        with store.engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
            tables = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars())
            indexes = set(conn.execute(text("SELECT idx FROM sqlite_stat1")).scalars()) if kept else set()
    assert ("sqlite_stat1" in tables) == kept
    assert ("ix_conversations_uncertain" in indexes) == kept
