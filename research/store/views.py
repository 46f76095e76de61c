"""Read models the store returns: plain frozen dataclasses, safe to cache and
to hand to the app after the transaction that read them has ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select

from research.store.labels import CurrentLabels
from research.store.models import DecisionType, Kind, Review


@dataclass(frozen=True)
class MessageView:
    index: int
    speaker: str
    text: str  # de-identified
    sent_at: datetime | None


@dataclass(frozen=True)
class SuggestionView:
    id: int
    kind: Kind
    code: str | None
    message_index: int | None
    score: float | None
    suggested: bool


@dataclass(frozen=True)
class ReviewRecord:
    id: int
    conversation_id: str
    reviewer: str
    created_at: datetime
    kind: Kind
    decision: DecisionType
    code: str | None
    message_index: int | None
    suggestion_id: int | None
    based_on_version: int

    @classmethod
    def of(cls, review: Review) -> ReviewRecord:
        return cls(**{name: getattr(review, name) for name in cls.__dataclass_fields__})

    @classmethod
    def query(cls) -> Select:
        """Reviews as plain rows (much cheaper than ORM objects for long histories)."""
        return select(*(getattr(Review, name) for name in cls.__dataclass_fields__)).order_by(Review.id)

    @classmethod
    def from_rows(cls, rows) -> list[ReviewRecord]:
        return [cls(*row) for row in rows]


@dataclass(frozen=True)
class ConversationSummary:
    id: str
    channel: str
    started_at: datetime
    age: int | None
    age_group: str | None
    gender: str
    contact_type: str | None
    n_messages: int
    label_version: int
    suggested_categories: tuple[str, ...]  # the current model's, best first
    suggested_disclosure_turn: int | None


@dataclass(frozen=True)
class QueueItem:
    conversation: ConversationSummary
    assigned: bool  # given to this reviewer for double coding


@dataclass(frozen=True)
class ConversationView:
    """Everything the review page shows, read in one transaction: save your
    decisions with ``label_version`` as the version you saw."""

    summary: ConversationSummary
    messages: tuple[MessageView, ...]
    suggestions: tuple[SuggestionView, ...]  # the current model's
    model: str | None  # "name/version"
    labels: CurrentLabels
    history: tuple[ReviewRecord, ...]  # every decision, oldest first

    @property
    def id(self) -> str:
        return self.summary.id

    @property
    def label_version(self) -> int:
        return self.summary.label_version
