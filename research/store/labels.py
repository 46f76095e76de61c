"""The current labels of conversations, derived from suggestions and reviews.

For every label key — a category of the conversation, a move of one message,
the conversation's disclosure turn — the latest human decision wins; without
one, the machine's suggestion (above its threshold) stands. The rule is
:func:`derive_labels`, for one conversation in Python. Its result is also
stored, rewritten with every write (:mod:`research.store.current`), for the
analysis room to count from. The SQL queries below apply the same rule to
every conversation at once, from the suggestions and reviews themselves (the
store's tables of record): tests keep all three in agreement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Select, and_, case, func, literal, null, select, type_coerce, union_all
from sqlalchemy.sql.expression import ColumnElement

from research.store.models import Conversation, DecisionType, Kind, Message, Review, Suggestion
from research.store.session import Sessions

if TYPE_CHECKING:
    import pandas as pd

PRESENT = (DecisionType.accept, DecisionType.add)  # category/move decisions meaning "this label holds"
AT_TURN = (DecisionType.accept, DecisionType.move_disclosure)  # disclosure decisions naming a message


class Source(StrEnum):
    human = "human"
    machine = "machine"


@dataclass(frozen=True)
class Label:
    """One label key's current state."""

    present: bool
    source: Source
    score: float | None = None  # the machine's score, also when a human decided
    review_id: int | None = None  # the deciding review, when human
    reviewer: str | None = None


@dataclass(frozen=True)
class DisclosureLabel:
    turn: int | None
    source: Source | None  # None: neither machine nor human said anything
    score: float | None = None
    review_id: int | None = None
    reviewer: str | None = None


@dataclass(frozen=True)
class CurrentLabels:
    categories: dict[str, Label] = field(default_factory=dict)  # every code with a suggestion or decision
    moves: dict[int, dict[str, Label]] = field(default_factory=dict)  # message index -> code -> label
    disclosure: DisclosureLabel = DisclosureLabel(None, None)

    @property
    def present_categories(self) -> list[str]:
        return [code for code, label in self.categories.items() if label.present]

    def present_moves(self, message_index: int) -> list[str]:
        return [code for code, label in self.moves.get(message_index, {}).items() if label.present]


def derive_labels(suggestions: Iterable, reviews: Iterable) -> CurrentLabels:
    """Current labels of one conversation from its current model's suggestions
    and its reviews (ORM rows or the store's views: anything with their fields).

    Later decisions overwrite earlier ones; pass only one reviewer's reviews to
    get the labels as that reviewer alone decided them (double coding).
    """
    categories: dict[str, Label] = {}
    moves: dict[int, dict[str, Label]] = {}
    disclosure = DisclosureLabel(None, None)
    scores: dict[tuple, float | None] = {}
    for s in sorted(suggestions, key=lambda s: s.id):
        if s.kind == Kind.category:
            categories[s.code] = Label(s.suggested, Source.machine, s.score)
            scores[(Kind.category, s.code, None)] = s.score
        elif s.kind == Kind.move:
            moves.setdefault(s.message_index, {})[s.code] = Label(s.suggested, Source.machine, s.score)
            scores[(Kind.move, s.code, s.message_index)] = s.score
        else:
            disclosure = DisclosureLabel(s.message_index, Source.machine, s.score)
    for r in sorted(reviews, key=lambda r: r.id):
        if r.kind == Kind.category:
            score = scores.get((Kind.category, r.code, None))
            categories[r.code] = Label(r.decision in PRESENT, Source.human, score, r.id, r.reviewer)
        elif r.kind == Kind.move:
            score = scores.get((Kind.move, r.code, r.message_index))
            label = Label(r.decision in PRESENT, Source.human, score, r.id, r.reviewer)
            moves.setdefault(r.message_index, {})[r.code] = label
        else:
            turn = r.message_index if r.decision in AT_TURN else None
            disclosure = DisclosureLabel(turn, Source.human, disclosure.score, r.id, r.reviewer)
    return CurrentLabels(categories, moves, disclosure)


# --------------------------------------------------------------------------- SQL, for aggregation


def _candidates(kind: Kind, label_of_review: ColumnElement, label_of_suggestion: ColumnElement):
    """Every machine suggestion (of each conversation's current model) and every
    human decision of ``kind``, as one row set: ``label`` (what the row says),
    ``human`` (1 for a decision) and ``seq`` (later rows win)."""
    machine = (
        select(Suggestion.conversation_id, Suggestion.message_index, Suggestion.code,
               type_coerce(label_of_suggestion, Boolean).label("label"), literal(0).label("human"),
               Suggestion.id.label("seq"), Suggestion.score, null().label("reviewer"))
        .join(Conversation, and_(Conversation.id == Suggestion.conversation_id,
                                 Conversation.model_name == Suggestion.model_name,
                                 Conversation.model_version == Suggestion.model_version))
        .where(Suggestion.kind == kind)
    )
    human = (
        select(Review.conversation_id, Review.message_index, Review.code,
               type_coerce(label_of_review, Boolean).label("label"), literal(1).label("human"),
               Review.id.label("seq"), null().label("score"), Review.reviewer)
        .where(Review.kind == kind)
    )
    return union_all(machine, human).subquery("candidates")


def _winners(candidates, key: tuple[str, ...]):
    """Per label key, the winning row: a human decision over the machine, the
    latest over earlier ones; with the machine's score kept on every row.
    One pass of window functions: no joins between the two sources."""
    partition = [candidates.c[name] for name in key]
    ranked = select(
        candidates,
        func.row_number().over(partition_by=partition,
                               order_by=(candidates.c.human.desc(), candidates.c.seq.desc())).label("rank"),
        func.max(candidates.c.score).over(partition_by=partition).label("machine_score"),
    ).subquery("ranked")
    return select(ranked).where(ranked.c.rank == 1).subquery("winners")


def _source(winners) -> ColumnElement:
    return case((winners.c.human == 1, literal(Source.human.value)),
                else_=literal(Source.machine.value)).label("source")


def _dimensions() -> list[ColumnElement]:
    return [Conversation.channel, Conversation.started_at, Conversation.year, Conversation.month,
            Conversation.hour, Conversation.age, Conversation.age_group, Conversation.gender,
            Conversation.contact_type]


def category_labels_query() -> Select:
    """One row per conversation and category code that has a suggestion or a
    decision: ``label`` (bool), ``source`` (human | machine), the machine
    ``score``, the deciding ``reviewer``, and the conversation's dimensions."""
    winners = _winners(_candidates(Kind.category, Review.decision.in_(PRESENT), Suggestion.suggested),
                       ("conversation_id", "code"))
    return (
        select(winners.c.conversation_id, winners.c.code, type_coerce(winners.c.label, Boolean).label("label"),
               _source(winners), winners.c.machine_score.label("score"), winners.c.reviewer, *_dimensions())
        .join(Conversation, Conversation.id == winners.c.conversation_id)
        .order_by(winners.c.conversation_id, winners.c.code)
    )


def move_labels_query() -> Select:
    """One row per conversation, message and move code with a suggestion or a
    decision: ``label``, ``source``, ``score``, ``reviewer`` and the speaker."""
    winners = _winners(_candidates(Kind.move, Review.decision.in_(PRESENT), Suggestion.suggested),
                       ("conversation_id", "message_index", "code"))
    return (
        select(winners.c.conversation_id, winners.c.message_index, winners.c.code,
               type_coerce(winners.c.label, Boolean).label("label"), _source(winners),
               winners.c.machine_score.label("score"), winners.c.reviewer, Message.speaker)
        .join(Message, and_(Message.conversation_id == winners.c.conversation_id,
                            Message.message_index == winners.c.message_index))
        .order_by(winners.c.conversation_id, winners.c.message_index, winners.c.code)
    )


def disclosure_labels_query() -> Select:
    """One row per conversation: the current ``disclosure_turn`` (null: none),
    its ``source`` (human | machine | null when never classified nor reviewed),
    the machine's ``score`` and the conversation's dimensions."""
    # ``label`` is true when the row names a turn; the turn itself is its message_index.
    winners = _winners(_candidates(Kind.disclosure, Review.decision.in_(AT_TURN), Suggestion.message_index.is_not(None)),
                       ("conversation_id",))
    turn = case((winners.c.label, winners.c.message_index), else_=None)
    source = case((winners.c.human == 1, literal(Source.human.value)),
                  (winners.c.human == 0, literal(Source.machine.value)), else_=None)
    return (
        select(Conversation.id.label("conversation_id"), turn.label("disclosure_turn"), source.label("source"),
               winners.c.machine_score.label("score"), winners.c.reviewer, *_dimensions())
        .outerjoin(winners, winners.c.conversation_id == Conversation.id)
        .order_by(Conversation.id)
    )


def reviewer_category_labels_query() -> Select:
    """Each reviewer's own latest decision per conversation and category: the
    input for inter-rater agreement on double-coded conversations."""
    ranked = (
        select(Review.conversation_id, Review.code, Review.reviewer, Review.decision,
               func.row_number().over(partition_by=(Review.conversation_id, Review.code, Review.reviewer),
                                      order_by=Review.id.desc()).label("rank"))
        .where(Review.kind == Kind.category)
        .subquery("ranked")
    )
    return (
        select(ranked.c.conversation_id, ranked.c.code, ranked.c.reviewer,
               ranked.c.decision.in_(PRESENT).label("label"))
        .where(ranked.c.rank == 1)
        .order_by(ranked.c.conversation_id, ranked.c.code, ranked.c.reviewer)
    )


class Labels:
    """Label tables as pandas DataFrames, for the analysis room."""

    def __init__(self, sessions: Sessions):
        self._sessions = sessions

    def _frame(self, query: Select) -> pd.DataFrame:
        import pandas as pd  # only the analysis side pays for pandas

        with self._sessions.engine.connect() as conn:
            return pd.read_sql(query, conn)

    def categories(self) -> pd.DataFrame:
        frame = self._frame(category_labels_query())
        frame["label"] = frame["label"].astype(bool)
        return frame

    def moves(self) -> pd.DataFrame:
        frame = self._frame(move_labels_query())
        frame["label"] = frame["label"].astype(bool)
        return frame

    def disclosures(self) -> pd.DataFrame:
        frame = self._frame(disclosure_labels_query())
        frame["disclosure_turn"] = frame["disclosure_turn"].astype("Int64")  # null: no disclosure
        return frame

    def by_reviewer(self) -> pd.DataFrame:
        frame = self._frame(reviewer_category_labels_query())
        frame["label"] = frame["label"].astype(bool)
        return frame


__all__ = [
    "CurrentLabels", "DisclosureLabel", "Label", "Labels", "Source", "category_labels_query",
    "derive_labels", "disclosure_labels_query", "move_labels_query", "reviewer_category_labels_query",
]
