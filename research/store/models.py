"""The store's tables as typed SQLAlchemy models.

Only de-identified text is ever stored (``messages.text``). Human decisions
are append-only rows in ``reviews``; the current label of a conversation is
derived from them (see :mod:`research.store.labels`), never written in place.
The schema itself is created by the Alembic migrations in ``migrations/``;
these models must match them (a test compares the two).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names, so migrations can refer to them on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Timestamps of events (ingest, reviews, logins) are naive UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


class Kind(StrEnum):
    """What a suggestion or a review is about."""

    category = "category"  # a content category of the whole conversation
    move = "move"  # a conversational move of one message
    disclosure = "disclosure"  # the conversation's first explicit disclosure turn


class DecisionType(StrEnum):
    accept = "accept"  # the suggestion is right
    reject = "reject"  # the suggestion is wrong
    add = "add"  # a label the machine did not suggest
    move_disclosure = "move_disclosure"  # the disclosure is at another message
    clear_disclosure = "clear_disclosure"  # there is no explicit disclosure


class Role(StrEnum):
    counsellor = "counsellor"
    researcher = "researcher"
    data_scientist = "data_scientist"
    admin = "admin"


def _enum(enum: type[StrEnum], name: str) -> Enum:
    # VARCHAR + CHECK on every database: adding a value later is a plain migration.
    return Enum(enum, name=name, native_enum=False, create_constraint=True, length=24,
                values_callable=lambda members: [m.value for m in members])


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class IngestRun(Base):
    """One ``disclosure run``: provenance of the conversations it stored."""

    __tablename__ = "ingest_runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    engine: Mapped[str] = mapped_column(String(32))
    deidentifier: Mapped[str | None] = mapped_column(String(128))
    model: Mapped[str | None] = mapped_column(String(200))
    stored: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    invalid: Mapped[int] = mapped_column(Integer, default=0)


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)  # the contract's conversation_id
    channel: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(DateTime)  # Europe/Oslo wall-clock time
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    hour: Mapped[int] = mapped_column(Integer)
    age: Mapped[int | None] = mapped_column(Integer)
    age_group: Mapped[str | None] = mapped_column(String(16))  # the disjoint report group
    gender: Mapped[str] = mapped_column(String(16))
    contact_type: Mapped[str | None] = mapped_column(String(16))
    n_messages: Mapped[int] = mapped_column(Integer)
    # The model whose suggestions are the machine labels (rows in `suggestions`).
    model_name: Mapped[str | None] = mapped_column(String(128))
    model_version: Mapped[str | None] = mapped_column(String(64))
    # Bumped by every saved review: the optimistic-concurrency token.
    label_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The current disclosure label (see CurrentCategory): the turn (null: none)
    # and who set it (null: neither the machine nor a counsellor said anything).
    disclosure_turn: Mapped[int | None] = mapped_column(Integer)
    disclosure_source: Mapped[str | None] = mapped_column(String(8))
    # The model's uncertainty: the smallest distance between one of its category
    # or disclosure scores and that label's threshold (research/store/margins.py);
    # null when not classified. Set when stored: the active-learning queue's order.
    margin: Mapped[float | None] = mapped_column(Float)
    ingested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    run_id: Mapped[str | None] = mapped_column(ForeignKey("ingest_runs.id"))

    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.message_index", cascade="all, delete-orphan"
    )
    suggestions: Mapped[list[Suggestion]] = relationship(cascade="all, delete-orphan")

    __table_args__ = (
        Index("ix_conversations_period", "year", "month"),
        Index("ix_conversations_channel_period", "channel", "year", "month"),
        Index("ix_conversations_age_group", "age_group"),
        Index("ix_conversations_queue", "label_version", "started_at"),
        Index("ix_conversations_uncertain", "label_version", "margin", "started_at"),
    )


class Message(Base):
    __tablename__ = "messages"

    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), primary_key=True)
    message_index: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0-based
    speaker: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)  # DE-IDENTIFIED text only
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class Suggestion(Base):
    """A machine suggestion. Category rows cover every code (``suggested`` says
    whether the score passed the model's threshold); move rows are the suggested
    moves of one message; one disclosure row per model gives the suggested turn
    (``message_index``, null for "no disclosure") and its score."""

    __tablename__ = "suggestions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    model_name: Mapped[str] = mapped_column(String(128))
    model_version: Mapped[str] = mapped_column(String(64))
    kind: Mapped[Kind] = mapped_column(_enum(Kind, "suggestion_kind"))
    code: Mapped[str | None] = mapped_column(String(32))
    message_index: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
    suggested: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        Index("ix_suggestions_lookup", "conversation_id", "kind", "code"),
        Index("ix_suggestions_code", "kind", "code", "suggested"),
    )


class CurrentCategory(Base):
    """A category label that currently holds, with who set it (human | machine).

    The current labels are derived from suggestions and reviews
    (:func:`research.store.labels.derive_labels`); these tables and the two
    ``disclosure_*`` columns of ``conversations`` hold the result, rewritten
    for a conversation in the same transaction as every write that changes it
    (:mod:`research.store.current`), so that counting over 100,000
    conversations is a plain indexed aggregation."""

    __tablename__ = "current_categories"

    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    source: Mapped[str] = mapped_column(String(8))

    __table_args__ = (Index("ix_current_categories_code", "code", "conversation_id"), {"sqlite_with_rowid": False})


class CurrentMove(Base):
    """A move label that currently holds on one message (see CurrentCategory).
    Keyed conversation, code, message: one conversation's occurrences of a move
    are adjacent, which is the order the precursor counts read them in."""

    __tablename__ = "current_moves"

    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    message_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(8))

    __table_args__ = ({"sqlite_with_rowid": False},)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(128))  # bcrypt
    role: Mapped[Role] = mapped_column(_enum(Role, "user_role"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Review(Base):
    """One human decision. Append-only: never updated, never deleted."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    reviewer: Mapped[str] = mapped_column(ForeignKey("users.username"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    kind: Mapped[Kind] = mapped_column(_enum(Kind, "review_kind"))
    decision: Mapped[DecisionType] = mapped_column(_enum(DecisionType, "review_decision"))
    code: Mapped[str | None] = mapped_column(String(32))
    message_index: Mapped[int | None] = mapped_column(Integer)
    suggestion_id: Mapped[int | None] = mapped_column(ForeignKey("suggestions.id"))
    based_on_version: Mapped[int] = mapped_column(Integer)  # the label_version the reviewer saw

    __table_args__ = (
        Index("ix_reviews_latest", "conversation_id", "kind", "code", "message_index", "id"),
        Index("ix_reviews_reviewer", "reviewer", "conversation_id"),
        Index("ix_reviews_version", "conversation_id", "based_on_version"),
    )


class ReviewAssignment(Base):
    """Double coding: a conversation given to a counsellor to code independently."""

    __tablename__ = "review_assignments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    reviewer: Mapped[str] = mapped_column(ForeignKey("users.username"))
    assigned_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("conversation_id", "reviewer"),
        Index("ix_review_assignments_reviewer", "reviewer"),
    )


class AuditEntry(Base):
    """Who did what and when. ``detail`` holds identifiers and numbers, never text."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    username: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_action", "action", "at"),
    )


__all__ = [
    "AuditEntry", "Base", "Conversation", "CurrentCategory", "CurrentMove", "DecisionType", "IngestRun", "Kind",
    "Message", "Review", "ReviewAssignment", "Role", "Suggestion", "User", "utcnow",
]
