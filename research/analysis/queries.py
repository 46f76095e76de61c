"""The store's current labels as SQL building blocks for aggregation.

The store keeps every conversation's current labels in tables of their own
(``current_categories``, ``current_moves`` and the ``disclosure_*`` columns of
``conversations``; see :mod:`research.store.current`): the latest human
decision where a counsellor decided, the model's suggestion elsewhere. These
subqueries read them joined to the conversations, so counting is a plain
indexed aggregation in the database. A test keeps them in agreement with the
rule as the store applies it to one conversation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import BigInteger, ColumnElement, String, Subquery, and_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.selectable import Join

from research.store.models import Conversation, CurrentCategory, CurrentMove, Kind


class DrivingJoin(Join):
    """An inner join whose left side is the outer loop. SQLite's planner would
    otherwise start from the big label table and probe the (smaller) left side
    once per row; ``CROSS JOIN`` is SQLite's way to fix the order. Other
    databases get a plain join and plan it themselves."""

    inherit_cache = True


@compiles(DrivingJoin, "sqlite")
def _sqlite_driving_join(join, compiler, **kw):
    if isinstance(join.left, Join):
        raise TypeError("DrivingJoin expects a table or subquery on its left, not another join")
    return compiler.visit_join(join, **kw).replace(" JOIN ", " CROSS JOIN ", 1)


class not_indexed(FunctionElement):  # noqa: N801 (used like a SQL function)
    """A string column that SQLite must not look up through an index: ``+x``
    (SQLite's no-op that hides a term from the planner). Reading a
    conversation's dozen label rows in one range and testing each against a
    list beats one index descent per listed code. Elsewhere just the column."""

    type = String()
    inherit_cache = True


@compiles(not_indexed)
def _plain(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


@compiles(not_indexed, "sqlite")
def _sqlite_not_indexed(element, compiler, **kw):
    return "+" + compiler.process(element.clauses, **kw)


class bit_or(FunctionElement):  # noqa: N801 (used like a SQL function)
    """The aggregate OR of single-bit values (powers of two): PostgreSQL's
    ``bit_or``; SQLite has none, but the sum of the DISTINCT values is their OR."""

    type = BigInteger()
    inherit_cache = True


@compiles(bit_or)
def _bit_or(element, compiler, **kw):
    return f"bit_or({compiler.process(element.clauses, **kw)})"


@compiles(bit_or, "sqlite")
def _sqlite_bit_or(element, compiler, **kw):
    return f"sum(DISTINCT {compiler.process(element.clauses, **kw)})"


def present_labels(kind: Kind, columns: Sequence[ColumnElement] = (), conditions: Sequence[ColumnElement] = (),
                   codes: Sequence[str] | None = None) -> Subquery:
    """``conversation_id``, ``code`` (and ``message_index`` for moves) and
    ``source`` of every category or move label that currently holds, with the
    conversation ``columns`` asked for, of conversations meeting ``conditions``
    (all of the kind's ``codes`` unless some are listed)."""
    if kind not in (Kind.category, Kind.move):
        raise ValueError(f"present_labels counts categories or moves, not {kind}")
    table = CurrentCategory if kind == Kind.category else CurrentMove
    keys = [table.conversation_id, table.code] + ([table.message_index] if kind == Kind.move else [])
    query = (select(*keys, table.source, *columns)
             .join(Conversation, Conversation.id == table.conversation_id).where(*conditions))
    if codes is not None:
        query = query.where(table.code.in_(list(codes)))
    return query.subquery(f"present_{kind.value}s")


def current_disclosures(columns: Sequence[ColumnElement] = (), conditions: Sequence[ColumnElement] = ()) -> Subquery:
    """One row per conversation with a disclosure label (machine or human):
    ``conversation_id``, ``turn`` (null: none), ``source`` and the ``columns``
    asked for, of the conversations meeting ``conditions``."""
    return (select(Conversation.id.label("conversation_id"), Conversation.disclosure_turn.label("turn"),
                   Conversation.disclosure_source.label("source"), *columns)
            .where(Conversation.disclosure_source.is_not(None), *conditions)
            .subquery("disclosures"))


def present_moves_near(driver: Subquery, near: Callable[[ColumnElement], ColumnElement], codes: Sequence[str],
                       columns: Sequence[ColumnElement] = ()) -> Subquery:
    """The move labels that hold at messages where ``near(message_index)`` is
    true, in the conversations of ``driver`` (e.g. :func:`current_disclosures`,
    whose columns ``near`` may use): ``conversation_id``, ``message_index``,
    ``code``, ``source`` and the driver ``columns`` asked for. Read in the
    moves' key order (conversation, code, message), so grouping by conversation
    and code needs no sort."""
    join = DrivingJoin(driver, CurrentMove.__table__,
                       and_(CurrentMove.conversation_id == driver.c.conversation_id,
                            not_indexed(CurrentMove.code).in_(list(codes))))
    # the driver's id, not the move's: grouping by it lets SQLite read the driver in id order
    return (select(driver.c.conversation_id, CurrentMove.message_index, CurrentMove.code, CurrentMove.source,
                   *columns)
            .select_from(join).where(near(CurrentMove.message_index))
            .subquery("moves_near"))
