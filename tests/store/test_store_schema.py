"""Migrations build the schema on an empty database; models round-trip."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

from research.contracts import Conversation
from research.store import (
    ConversationRecord,
    Kind,
    MachineSuggestions,
    NotDeidentifiedError,
    SuggestionFormatError,
    open_store,
)
from research.store.migrate import head_revision
from research.store.models import Base, Message, Suggestion

TABLES = {"conversations", "messages", "suggestions", "reviews", "users", "audit_log", "review_assignments",
          "ingest_runs", "alembic_version"}


def test_migrations_create_the_schema_on_an_empty_database(store):
    assert set(inspect(store.engine).get_table_names()) >= TABLES
    assert store.revision() == head_revision()


def test_the_models_match_the_migrations(store):
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert differences == []


def test_opening_again_and_concurrent_first_use_are_safe(db_url, data_home):
    errors = []

    def first_use():
        try:
            open_store(db_url).close()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=first_use) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with open_store(db_url) as store:
        assert store.revision() == head_revision()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'x.db'}") as store, store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30_000
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_the_default_store_lives_in_the_data_folder(data_home, monkeypatch):
    monkeypatch.delenv("DISCLOSURE_DB_URL", raising=False)
    with open_store() as store:
        assert store.engine.url.database == str(data_home / "store" / "disclosure.db")
    assert (data_home / "store" / "disclosure.db").exists()


def test_a_conversation_round_trips_with_its_messages_and_suggestions(store, record_factory):
    record = record_factory("RT1", n_messages=3, started_at="2024-06-30T23:30:00+00:00", age=15,
                            suggested=("mobbing", "selvskading"), disclosure_turn=1)
    assert store.conversations.add(record) is True
    view = store.conversations.get("RT1")
    summary = view.summary
    # 23:30 UTC on 30 June is 01:30 on 1 July in Oslo: the report counts it in July.
    assert (summary.started_at, summary.age_group, summary.gender) == (datetime(2024, 7, 1, 1, 30), "14-16",
                                                                     "ikke_oppgitt")
    assert [(m.index, m.speaker, m.text) for m in view.messages] == [
        (i, m.speaker, m.text) for i, m in enumerate(record.conversation.messages)]
    assert view.messages[2].sent_at == datetime(2024, 7, 1, 1, 32)
    assert view.model == "test-model/1"
    assert set(summary.suggested_categories) == {"mobbing", "selvskading"}
    assert summary.suggested_disclosure_turn == 1
    categories = {s.code: (s.score, s.suggested) for s in view.suggestions if s.kind == Kind.category}
    assert categories == {code: (score, code in record.suggestions.suggested_categories)
                          for code, score in record.suggestions.category_scores.items()}
    moves = {(s.message_index, s.code) for s in view.suggestions if s.kind == Kind.move}
    assert moves == {(i, m.code) for i, per in enumerate(record.suggestions.moves) for m in per}
    assert view.label_version == 0 and view.history == ()
    with store.sessions.reading() as session:
        year_month_hour = session.execute(text("SELECT year, month, hour FROM conversations")).one()
    assert tuple(year_month_hour) == (2024, 7, 1)


def test_storing_an_id_twice_changes_nothing(store, record_factory):
    assert store.conversations.add(record_factory("DUP", n_messages=2)) is True
    assert store.conversations.add(record_factory("DUP", n_messages=5, suggested=("mobbing",))) is False
    with store.sessions.reading() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 2
        assert session.scalar(select(func.count()).select_from(Suggestion).where(Suggestion.code == "mobbing",
                                                                                 Suggestion.suggested)) == 0


def test_the_store_refuses_text_that_was_not_de_identified(record_factory):
    raw = Conversation.model_validate({"conversation_id": "RAW", "channel": "sms", "started_at": "2024-01-01T10:00",
                                       "messages": [{"speaker": "user", "text": "jeg heter Ida"}]})
    with pytest.raises(NotDeidentifiedError, match="RAW"):
        ConversationRecord(raw)


@pytest.mark.parametrize(("suggestions", "moves", "field"), [
    ({"model": "m/1", "categories": [{"code": "vold", "score": 0.9}]}, None, "suggestions.categories[0].code"),
    ({"model": "m/1", "category_scores": {"mobbing": 1.7}}, None, "suggestions.category_scores.mobbing"),
    ({"model": "m/1", "disclosure_turn": 9}, None, "suggestions.disclosure_turn"),
    ({"categories": []}, None, "suggestions.model"),
    ({"model": "m/1"}, [[{"code": "C_NOPE", "score": 0.5}], []], "messages[0].suggested_moves[0].code"),
    ({"model": "m/1"}, [[]], "suggested_moves"),
    ({"model": "m/1", "categories": ["mobbing"]}, None, "suggestions.categories[0]"),
])
def test_suggestions_that_break_the_contract_name_the_field(suggestions, moves, field):
    with pytest.raises(SuggestionFormatError) as caught:
        MachineSuggestions.from_contract(suggestions, moves, 2)
    assert caught.value.field == field


def test_suggestions_are_read_from_a_classified_conversation():
    classified = {"suggestions": {"model": "disclosure-clf/champion", "categories": [{"code": "mobbing", "score": 0.8}],
                                  "category_scores": {"mobbing": 0.8}, "disclosure_turn": None,
                                  "disclosure_score": 0.1},
                  "messages": [{"speaker": "user", "text": "x", "suggested_moves": [{"code": "U_HINT", "score": 0.6}]}]}
    parsed = MachineSuggestions.from_classified(classified, 1)
    assert (parsed.model_name, parsed.model_version) == ("disclosure-clf", "champion")
    assert parsed.suggested_categories == ("mobbing",)
    assert parsed.moves[0][0].code == "U_HINT"
