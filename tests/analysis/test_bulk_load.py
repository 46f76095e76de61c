"""The test loader writes the same rows as the store's own ``add``."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from research.analysis.bulk_load import GOLD_MODEL, load, placeholder
from research.contracts import Conversation, load_taxonomy
from research.corpus.synth import generate
from research.store import ConversationRecord, MachineSuggestions, open_store
from research.store.models import Conversation as ConversationRow
from research.store.models import CurrentCategory, CurrentMove, Message, Suggestion


def through_the_store_api(conversation: dict) -> ConversationRecord:
    messages = [{"speaker": m["speaker"], "text": placeholder(i), "sent_at": m.get("sent_at")}
                for i, m in enumerate(conversation["messages"])]
    contract = Conversation.model_validate({**conversation, "messages": messages, "deidentified": True})
    gold = conversation["categories"]
    turn = conversation["disclosure_turn"]
    suggestions = MachineSuggestions.from_contract(
        {"model": "/".join(GOLD_MODEL), "categories": [{"code": c, "score": 1.0} for c in gold],
         "category_scores": {c: float(c in gold) for c in load_taxonomy().category_codes}, "disclosure_turn": turn,
         "disclosure_score": 1.0 if turn is not None else 0.0},
        [[{"code": c, "score": 1.0} for c in m["moves"]] for m in conversation["messages"]], len(messages))
    return ConversationRecord(contract, suggestions)


def table(store, model, drop) -> pd.DataFrame:
    with store.engine.connect() as conn:
        frame = pd.read_sql(select(model), conn).drop(columns=drop)
    return frame.sort_values(list(frame.columns[:3])).reset_index(drop=True)


def test_bulk_rows_match_the_store_api(tmp_path, monkeypatch):
    monkeypatch.setenv("DISCLOSURE_HOME", str(tmp_path))
    conversations = list(generate(12, 3, year=2024))
    with open_store(f"sqlite:///{tmp_path / 'api.db'}") as api, open_store(f"sqlite:///{tmp_path / 'bulk.db'}") as bulk:
        for conversation in conversations:
            assert api.conversations.add(through_the_store_api(conversation))
        assert load(bulk, conversations) == 12
        assert table(api, ConversationRow, ["ingested_at"]).equals(table(bulk, ConversationRow, ["ingested_at"]))
        assert table(api, Message, []).equals(table(bulk, Message, []))
        key = ["conversation_id", "kind", "code", "message_index"]
        ours, theirs = (table(s, Suggestion, ["id", "created_at"]).sort_values(key).reset_index(drop=True)
                        for s in (bulk, api))
        assert ours.equals(theirs)
        for current in (CurrentCategory, CurrentMove):  # the stored current labels, too
            assert table(api, current, []).equals(table(bulk, current, []))
            assert len(table(bulk, current, [])) > 0
