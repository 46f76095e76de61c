"""The store's current labels as SQL building blocks for aggregation.

The rule is the store's (:mod:`research.store.labels`): for every label key
the latest human decision wins, else the current model's suggestion stands.
These subqueries select only the labels that HOLD, which is what counting
needs, and let the database do it with its indexes: a machine label is a
``suggested`` row of the conversation's current model with no review on the
same key (any review there means a human decided, and the latest one says
what); a human label is the latest review on its key saying accept or add.
A test keeps them in agreement with the store's own queries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import CTE, ColumnElement, Subquery, and_, case, exists, func, literal, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.selectable import Join

from research.contracts import load_taxonomy
from research.store.labels import AT_TURN, PRESENT, Source
from research.store.models import Conversation, Kind, Review, Suggestion


class DrivingJoin(Join):
    """An inner join whose left side is the outer loop. SQLite's planner would
    otherwise start from the big suggestions index and probe the (smaller)
    left side once per row; ``CROSS JOIN`` is SQLite's way to fix the order.
    Other databases get a plain join and plan it themselves."""

    inherit_cache = True


@compiles(DrivingJoin, "sqlite")
def _sqlite_driving_join(join, compiler, **kw):
    if isinstance(join.left, Join):
        raise TypeError("DrivingJoin expects a table or subquery on its left, not another join")
    return compiler.visit_join(join, **kw).replace(" JOIN ", " CROSS JOIN ", 1)


def _current_model():
    return and_(Conversation.id == Suggestion.conversation_id,
                Conversation.model_name == Suggestion.model_name,
                Conversation.model_version == Suggestion.model_version)


def _keys(kind: Kind, table) -> list:
    keys = [table.conversation_id, table.code]
    return [*keys, table.message_index] if kind == Kind.move else keys


def present_labels(kind: Kind, columns: Sequence[ColumnElement] = (), conditions: Sequence[ColumnElement] = (),
                   codes: Sequence[str] | None = None) -> Subquery:
    """``conversation_id``, ``code`` (and ``message_index`` for moves) and
    ``source`` of every category or move label that currently holds, with the
    conversation ``columns`` asked for, of conversations meeting ``conditions``.

    Listing the codes (all of the kind's by default) lets the database seek
    the suggested rows of each code in its index instead of scanning all."""
    if kind not in (Kind.category, Kind.move):
        raise ValueError(f"present_labels counts categories or moves, not {kind}")
    tax = load_taxonomy()
    codes = list(codes if codes is not None else (tax.category_codes if kind == Kind.category else tax.moves))
    same_key = [Review.kind == kind, Review.conversation_id == Suggestion.conversation_id,
                Review.code == Suggestion.code]
    if kind == Kind.move:
        same_key.append(Review.message_index == Suggestion.message_index)
    machine = (
        select(*_keys(kind, Suggestion), literal(Source.machine.value).label("source"), *columns)
        .join(Conversation, _current_model())
        .where(Suggestion.kind == kind, Suggestion.code.in_(codes), Suggestion.suggested, ~exists().where(*same_key),
               *conditions)
    )
    partition = _keys(kind, Review)
    ranked = (
        select(*partition, Review.decision,
               func.row_number().over(partition_by=partition, order_by=Review.id.desc()).label("rank"))
        .where(Review.kind == kind, Review.code.in_(codes))
        .subquery()
    )
    human = (
        select(*_keys(kind, ranked.c), literal(Source.human.value).label("source"), *columns)
        .join(Conversation, Conversation.id == ranked.c.conversation_id)
        .where(ranked.c.rank == 1, ranked.c.decision.in_(PRESENT), *conditions)
    )
    return union_all(machine, human).subquery(f"present_{kind.value}s")


def _latest(kind: Kind, codes: Sequence[str] | None = None) -> Subquery:
    """The latest review per label key of ``kind`` (``rank`` 1)."""
    partition = _keys(kind, Review) if kind != Kind.disclosure else [Review.conversation_id]
    query = select(*partition, Review.decision, Review.message_index.label("reviewed_index"),
                   func.row_number().over(partition_by=partition, order_by=Review.id.desc()).label("rank"))
    query = query.where(Review.kind == kind)
    if codes is not None:
        query = query.where(Review.code.in_(codes))
    return query.subquery()


def current_disclosures(columns: Sequence[ColumnElement] = (), conditions: Sequence[ColumnElement] = ()) -> CTE:
    """One row per conversation with a disclosure label (machine or human):
    ``conversation_id``, ``turn`` (null: none), ``source``, the conversation's
    ``model_name``/``model_version`` and the ``columns`` asked for, of the
    conversations meeting ``conditions``. Materialized, so queries that join
    labels to it are driven by it (one pass over the conversations)."""
    latest = _latest(Kind.disclosure)
    model = [Conversation.model_name, Conversation.model_version]
    human = (
        select(Conversation.id.label("conversation_id"),
               case((latest.c.decision.in_(AT_TURN), latest.c.reviewed_index), else_=None).label("turn"),
               literal(Source.human.value).label("source"), *model, *columns)
        .join(latest, latest.c.conversation_id == Conversation.id)
        .where(latest.c.rank == 1, *conditions)
    )
    decided = exists().where(Review.kind == Kind.disclosure, Review.conversation_id == Suggestion.conversation_id)
    machine = (
        select(Suggestion.conversation_id, Suggestion.message_index.label("turn"),
               literal(Source.machine.value).label("source"), *model, *columns)
        .join(Conversation, _current_model())
        .where(Suggestion.kind == Kind.disclosure, ~decided, *conditions)
    )
    return union_all(machine, human).cte("disclosures").prefix_with("MATERIALIZED")


def present_moves_near(driver: CTE, near: Callable[[ColumnElement], ColumnElement], codes: Sequence[str],
                       columns: Sequence[ColumnElement] = ()) -> Subquery:
    """The move labels that hold at messages where ``near(message_index)`` is
    true, in the conversations of ``driver`` (e.g. :func:`current_disclosures`,
    whose columns ``near`` may use): ``conversation_id``, ``message_index``,
    ``code``, ``source`` and the driver ``columns`` asked for."""
    same_key = exists().where(Review.kind == Kind.move, Review.conversation_id == Suggestion.conversation_id,
                              Review.code == Suggestion.code, Review.message_index == Suggestion.message_index)
    machine = (
        select(Suggestion.conversation_id, Suggestion.message_index, Suggestion.code,
               literal(Source.machine.value).label("source"), *columns)
        .select_from(DrivingJoin(driver, Suggestion.__table__,
                                 and_(Suggestion.conversation_id == driver.c.conversation_id,
                                      Suggestion.kind == Kind.move, Suggestion.code.in_(codes))))
        .where(Suggestion.suggested, Suggestion.model_name == driver.c.model_name,
               Suggestion.model_version == driver.c.model_version, near(Suggestion.message_index), ~same_key)
    )
    latest = _latest(Kind.move, codes)
    human = (
        select(latest.c.conversation_id, latest.c.message_index, latest.c.code,
               literal(Source.human.value).label("source"), *columns)
        .select_from(driver)
        .join(latest, latest.c.conversation_id == driver.c.conversation_id)
        .where(latest.c.rank == 1, latest.c.decision.in_(PRESENT), near(latest.c.message_index))
    )
    return union_all(machine, human).subquery("moves_near")
