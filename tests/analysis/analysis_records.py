"""Conversations with known suggestions, built for the analysis tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from research.contracts import Conversation, load_taxonomy
from research.store import ConversationRecord, MachineSuggestions

MODEL = "disclosure-classifier/test"


def record(cid: str, *, started_at: str = "2024-03-14T19:22:00", channel: str = "chat", age: int | None = 12,
           gender: str | None = "jente", contact_type: str | None = "barn", categories: Sequence[str] = (),
           speakers: Sequence[str] = ("counsellor", "user", "counsellor", "user"),
           moves: Sequence[Sequence[str]] | None = None, disclosure_turn: int | None = None,
           scores: dict[str, float] | None = None, model: str = MODEL) -> ConversationRecord:
    """A de-identified conversation whose machine suggestions are exactly as given."""
    tax = load_taxonomy()
    start = datetime.fromisoformat(started_at)
    conversation = Conversation.model_validate({
        "conversation_id": cid, "channel": channel, "started_at": started_at, "age": age, "gender": gender,
        "contact_type": contact_type, "deidentified": True,
        "messages": [{"speaker": s, "text": f"melding {i} fra <PERSON_1>",
                      "sent_at": (start + timedelta(minutes=i)).isoformat()} for i, s in enumerate(speakers)],
    })
    category_scores = {code: (0.9 if code in categories else 0.05) for code in tax.category_codes}
    category_scores.update(scores or {})
    per_message = [[{"code": code, "score": 0.8} for code in m] for m in (moves or [[] for _ in speakers])]
    suggestions = MachineSuggestions.from_contract(
        {"model": model, "categories": [{"code": c, "score": category_scores[c]} for c in categories],
         "category_scores": category_scores, "disclosure_turn": disclosure_turn,
         "disclosure_score": 0.9 if disclosure_turn is not None else 0.1},
        per_message, len(speakers))
    return ConversationRecord(conversation, suggestions)
