"""Conversations: storing what the pipeline produced, and reading it back.

A conversation is written with its messages and suggestions in one
transaction, so a crash never leaves half of one behind; its id is the key,
so storing it twice changes nothing. Its current labels and its uncertainty
margin (:mod:`research.store.margins`) are written in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from research.contracts import load_taxonomy
from research.store.current import write_current_labels
from research.store.labels import derive_labels
from research.store.margins import margin_of
from research.store.models import Conversation, CurrentCategory, Kind, Message, Review, Suggestion
from research.store.records import ConversationRecord, MachineSuggestions, local_wall_clock
from research.store.session import Sessions
from research.store.views import ConversationSummary, ConversationView, MessageView, ReviewRecord, SuggestionView

_CHUNK = 500  # ids per IN (...) list


@dataclass(frozen=True)
class ConversationFilter:
    """Narrow a listing; every field left None does not filter."""

    channel: str | None = None
    year: int | None = None
    month: int | None = None
    age_group: str | None = None
    gender: str | None = None
    contact_type: str | None = None
    category: str | None = None  # the category's CURRENT label is present (human or machine)
    reviewed: bool | None = None

    def apply(self, query: Select) -> Select:
        for column in ("channel", "year", "month", "age_group", "gender", "contact_type"):
            value = getattr(self, column)
            if value is not None:
                query = query.where(getattr(Conversation, column) == value)
        if self.reviewed is not None:
            query = query.where(Conversation.label_version > 0 if self.reviewed else Conversation.label_version == 0)
        if self.category is not None:
            query = query.where(Conversation.id.in_(
                select(CurrentCategory.conversation_id).where(CurrentCategory.code == self.category)))
        return query


def _suggestion_rows(record: ConversationRecord) -> Iterable[Suggestion]:
    s: MachineSuggestions | None = record.suggestions
    if s is None:
        return
    model = {"model_name": s.model_name, "model_version": s.model_version}
    for code, score in s.category_scores.items():
        yield Suggestion(kind=Kind.category, code=code, score=score, suggested=code in s.suggested_categories, **model)
    for index, moves in enumerate(s.moves):
        for move in moves:
            yield Suggestion(kind=Kind.move, code=move.code, message_index=index, score=move.score, suggested=True,
                             **model)
    yield Suggestion(kind=Kind.disclosure, code=None, message_index=s.disclosure_turn, score=s.disclosure_score,
                     suggested=s.disclosure_turn is not None, **model)


def _row(record: ConversationRecord, run_id: str | None) -> Conversation:
    conv = record.conversation
    started = local_wall_clock(conv.started_at)
    tax = load_taxonomy()
    return Conversation(
        id=conv.conversation_id, channel=conv.channel, started_at=started,
        year=started.year, month=started.month, hour=started.hour,
        age=conv.age, age_group=tax.age_group_of(conv.age),
        gender=conv.gender or "ikke_oppgitt",  # contract §1: null means not given
        contact_type=conv.contact_type, n_messages=len(conv.messages),
        model_name=record.suggestions.model_name if record.suggestions else None,
        model_version=record.suggestions.model_version if record.suggestions else None,
        margin=margin_of(record.suggestions),
        run_id=run_id,
        messages=[
            Message(message_index=i, speaker=m.speaker, text=m.text,
                    sent_at=local_wall_clock(m.sent_at) if m.sent_at else None)
            for i, m in enumerate(conv.messages)
        ],
        suggestions=list(_suggestion_rows(record)),
    )


class Conversations:
    def __init__(self, sessions: Sessions):
        self._sessions = sessions

    # ----------------------------------------------------------------- writing

    def add(self, record: ConversationRecord, run_id: str | None = None) -> bool:
        """Store one conversation with its messages and suggestions, atomically.
        False when its id is already stored (nothing changes)."""
        try:
            with self._sessions.writing() as session:
                if session.get(Conversation, record.id) is not None:
                    return False
                conversation = _row(record, run_id)
                session.add(conversation)
                session.flush()  # suggestion ids: derive_labels orders by them
                write_current_labels(session, record.id, derive_labels(conversation.suggestions, []))
        except IntegrityError:  # another process stored the same id meanwhile
            return False
        return True

    # ----------------------------------------------------------------- reading

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        found: set[str] = set()
        with self._sessions.reading() as session:
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start:start + _CHUNK]
                found.update(session.scalars(select(Conversation.id).where(Conversation.id.in_(chunk))))
        return found

    def count(self, filters: ConversationFilter | None = None) -> int:
        query = (filters or ConversationFilter()).apply(select(func.count()).select_from(Conversation))
        with self._sessions.reading() as session:
            return session.scalar(query) or 0

    def find(self, filters: ConversationFilter | None = None, *, limit: int = 50,
             offset: int = 0) -> list[ConversationSummary]:
        """Conversations matching the filters, newest first."""
        query = (filters or ConversationFilter()).apply(select(Conversation))
        query = query.order_by(Conversation.started_at.desc(), Conversation.id).limit(limit).offset(offset)
        with self._sessions.reading() as session:
            return summaries(session, list(session.scalars(query)))

    def get(self, conversation_id: str) -> ConversationView | None:
        """One conversation for review: messages, suggestions, current labels and
        every decision, with the ``label_version`` they correspond to."""
        with self._sessions.reading() as session:
            conv = session.get(Conversation, conversation_id)
            if conv is None:
                return None
            model = (conv.model_name, conv.model_version)
            suggestions = [s for s in conv.suggestions if (s.model_name, s.model_version) == model]
            reviews = ReviewRecord.from_rows(session.execute(
                ReviewRecord.query().where(Review.conversation_id == conversation_id)))
            return ConversationView(
                summary=summaries(session, [conv])[0],
                messages=tuple(MessageView(m.message_index, m.speaker, m.text, m.sent_at) for m in conv.messages),
                suggestions=tuple(SuggestionView(s.id, Kind(s.kind), s.code, s.message_index, s.score, s.suggested)
                                  for s in sorted(suggestions, key=lambda s: s.id)),
                model=f"{conv.model_name}/{conv.model_version}" if conv.model_name else None,
                labels=derive_labels(suggestions, reviews),
                history=tuple(reviews),
            )


def summaries(session: Session, conversations: list[Conversation]) -> list[ConversationSummary]:
    """Summaries with each conversation's suggested categories (best first) and
    suggested disclosure turn, read in two queries for the whole page."""
    ids = [c.id for c in conversations]
    current = and_(Suggestion.conversation_id == Conversation.id,
                   Suggestion.model_name == Conversation.model_name,
                   Suggestion.model_version == Conversation.model_version)
    rows = session.execute(
        select(Suggestion.conversation_id, Suggestion.kind, Suggestion.code, Suggestion.message_index)
        .join(Conversation, current)
        .where(Suggestion.conversation_id.in_(ids), Suggestion.suggested,
               Suggestion.kind.in_([Kind.category, Kind.disclosure]))
        .order_by(Suggestion.score.desc(), Suggestion.code)
    ) if ids else []
    categories: dict[str, list[str]] = defaultdict(list)
    turns: dict[str, int] = {}
    for cid, kind, code, index in rows:
        if kind == Kind.category:
            categories[cid].append(code)
        else:
            turns[cid] = index
    return [
        ConversationSummary(c.id, c.channel, c.started_at, c.age, c.age_group, c.gender, c.contact_type,
                            c.n_messages, c.label_version, tuple(categories[c.id]), turns.get(c.id))
        for c in conversations
    ]


def has_reviews_by(reviewer: str):
    return exists().where(Review.conversation_id == Conversation.id, Review.reviewer == reviewer)
