"""Keeping the stored current labels in step with suggestions and reviews.

The rule deciding a label (the latest human decision wins, else the machine's
suggestion) lives in one place, :func:`~research.store.labels.derive_labels`.
Every write that changes a conversation's labels — storing it with its
suggestions, saving a review — calls :func:`refresh_current_labels` in the
same transaction: the conversation's rows in ``current_categories`` and
``current_moves`` and its ``disclosure_*`` columns are replaced by what the
rule gives now. The analysis room counts from these tables
(:mod:`research.analysis.queries`) instead of re-deriving labels per query.
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from research.store.labels import CurrentLabels, derive_labels
from research.store.models import Conversation, CurrentCategory, CurrentMove, Review, Suggestion


def current_label_rows(conversation_id: str, labels: CurrentLabels) -> tuple[list[dict], list[dict], dict]:
    """The rows and column values that store ``labels`` of one conversation:
    the categories and moves that hold, and ``disclosure_turn``/``disclosure_source``."""
    categories = [{"conversation_id": conversation_id, "code": code, "source": label.source.value}
                  for code, label in labels.categories.items() if label.present]
    moves = [{"conversation_id": conversation_id, "code": code, "message_index": index, "source": label.source.value}
             for index, codes in labels.moves.items() for code, label in codes.items() if label.present]
    disclosure = labels.disclosure
    columns = {"disclosure_turn": disclosure.turn,
               "disclosure_source": disclosure.source.value if disclosure.source else None}
    return categories, moves, columns


def write_current_labels(session: Session, conversation_id: str, labels: CurrentLabels) -> None:
    """Replace the stored current labels of one conversation with ``labels``."""
    categories, moves, columns = current_label_rows(conversation_id, labels)
    session.execute(delete(CurrentCategory).where(CurrentCategory.conversation_id == conversation_id))
    session.execute(delete(CurrentMove).where(CurrentMove.conversation_id == conversation_id))
    if categories:
        session.execute(insert(CurrentCategory), categories)
    if moves:
        session.execute(insert(CurrentMove), moves)
    session.execute(update(Conversation).where(Conversation.id == conversation_id).values(**columns)
                    .execution_options(synchronize_session=False))


def derive_stored_labels(session: Session, conversation_id: str) -> CurrentLabels:
    """The rule applied to what is stored: the current model's suggestions and every review."""
    model = select(Conversation.model_name, Conversation.model_version).where(Conversation.id == conversation_id)
    name, version = session.execute(model).one()
    suggestions = session.scalars(select(Suggestion).where(
        Suggestion.conversation_id == conversation_id, Suggestion.model_name == name,
        Suggestion.model_version == version)).all()
    reviews = session.scalars(select(Review).where(Review.conversation_id == conversation_id)).all()
    return derive_labels(suggestions, reviews)


def refresh_current_labels(session: Session, conversation_id: str) -> None:
    """Bring one conversation's stored current labels up to date (call after flushing the write)."""
    write_current_labels(session, conversation_id, derive_stored_labels(session, conversation_id))
