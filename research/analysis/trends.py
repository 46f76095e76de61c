"""Trend tables: counts by month, category, age group, gender, channel, hour.

Counted in the database (one ``GROUP BY`` over the store's indexed tables via
SQLAlchemy Core), completed and summed in pandas on the small aggregated
result, and handed out only after :func:`~research.analysis.suppression.suppress`.

Two measures:

* with ``category`` among the dimensions (or a category filter): category
  LABELS that currently hold — the counsellor's decision where one was made,
  the model's suggestion elsewhere — split by ``source`` (human | machine, and
  ``all``), so the share decided by people can be shown next to every count;
* otherwise CONVERSATIONS (contacts).

A parent category counts the sum of its sub-categories' labels, as the
helpline's report counts ``vold`` (a conversation about two kinds of violence
counts twice there). Filters on a dimension of the table select rows of the
whole suppressed table (so filtering never changes which cells are hidden);
other filters restrict which conversations are counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import product

import pandas as pd
from sqlalchemy import func, select

from research.analysis.dimensions import TOTAL, UNKNOWN, dimension
from research.analysis.queries import present_labels
from research.analysis.suppression import COUNT, DEFAULT_THRESHOLD, SuppressedTable, suppress
from research.contracts import load_taxonomy
from research.store.labels import Source
from research.store.models import Conversation, Kind

SOURCE = "source"
ALL_SOURCES = "all"
SOURCES = (Source.human.value, Source.machine.value)


@dataclass(frozen=True)
class Filters:
    """Which conversations (or rows) a table shows; None does not filter."""

    year: int | None = None
    category: str | None = None
    age_group: str | None = None
    gender: str | None = None
    channel: str | None = None
    contact_type: str | None = None

    def active(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class TrendTable:
    """A suppressed count table and what it counts (``labels`` or ``conversations``)."""

    table: SuppressedTable
    measure: str

    @property
    def dims(self) -> tuple[str, ...]:
        return tuple(d for d in self.table.dims if d != SOURCE)

    def long(self) -> pd.DataFrame:
        """One row per cell: the dimensions, ``count`` and, for labels, ``human``,
        ``machine`` and ``human_share`` (only where the counts it needs are shown)."""
        frame = self.table.frame
        if self.measure != "labels":
            return frame[[*self.dims, COUNT]].reset_index(drop=True)
        wide = frame.pivot(index=list(self.dims), columns=SOURCE, values=COUNT)
        wide = wide.reindex(index=frame[list(self.dims)].drop_duplicates().set_index(list(self.dims)).index,
                            columns=[ALL_SOURCES, *SOURCES])
        out = wide.rename(columns={ALL_SOURCES: COUNT}).reset_index()
        out.columns.name = None
        counted = out[COUNT].astype("Float64")
        out["human_share"] = (out[Source.human.value].astype("Float64") / counted.where(counted > 0))
        return out

    def wide(self, index: str, columns: str, **fixed: object) -> pd.DataFrame:
        """Display strings (``:`` where hidden) of the ``all``-source counts."""
        table = self.table
        if self.measure == "labels":
            table = table.select(**{SOURCE: ALL_SOURCES}).drop(SOURCE)
        if fixed:
            table = table.select(**fixed).drop(*fixed)
        return table.pivot(index, columns)


@dataclass(frozen=True)
class _Plan:
    """How one table is counted: the cube's dimensions, the filters that select
    its rows (after suppression) and those that select conversations (SQL)."""

    by: tuple[str, ...]
    cube_dims: tuple[str, ...]
    labels: bool
    sliced: dict
    where: Filters
    year: int | None

    @classmethod
    def of(cls, by: Sequence[str], filters: Filters | None) -> _Plan:
        filters = filters or Filters()
        by = tuple(dict.fromkeys(by))
        for name in by:
            dimension(name)
        if filters.category is not None and filters.category not in category_levels():
            raise ValueError(f"unknown category {filters.category!r}")
        labels = "category" in by or filters.category is not None
        cube_dims = by + (("category",) if labels and "category" not in by else ())
        sliced = {d: v for d, v in filters.active().items() if d in cube_dims}
        where = replace(filters, **{**{d: None for d in sliced}, "category": None})
        return cls(by, cube_dims, labels, sliced, where, filters.year)

    def finish(self, raw: pd.DataFrame, threshold: int) -> TrendTable:
        """Complete, sum, suppress and slice grouped counts (``raw``: the cube's
        dimensions, ``source`` for labels, and ``count``)."""
        keys = [*self.cube_dims, *([SOURCE] if self.labels else [])]
        raw = raw.groupby(keys, as_index=False, sort=False)[COUNT].sum() if len(raw) else raw[[*keys, COUNT]]
        cube, sums = _complete_with_sums(raw, keys, self.year)
        table = suppress(cube, threshold, sums=sums)
        if self.sliced:
            table = table.select(**self.sliced)
            table = table.drop(*[d for d in self.sliced if d not in self.by])
        return TrendTable(table, "labels" if self.labels else "conversations")


def trend_table(store, by: Sequence[str], filters: Filters | None = None,
                threshold: int = DEFAULT_THRESHOLD) -> TrendTable:
    """The suppressed table of counts by the dimensions ``by`` (see the module docstring)."""
    plan = _Plan.of(by, filters)
    return plan.finish(_grouped_counts(store, list(plan.cube_dims), plan.where, plan.labels), threshold)


def trend_tables(store, tables: Sequence[Sequence[str]], filters: Filters | None = None,
                 threshold: int = DEFAULT_THRESHOLD) -> list[TrendTable]:
    """Several tables of the same measure and filters from ONE grouped query
    (counts add up over the dimensions a table leaves out)."""
    plans = [_Plan.of(by, filters) for by in tables]
    if len({(p.labels, p.where) for p in plans}) > 1:
        raise ValueError("trend_tables needs tables of one measure with the same conversation filters")
    dims = list(dict.fromkeys(d for p in plans for d in p.cube_dims))
    raw = _grouped_counts(store, dims, plans[0].where, plans[0].labels)
    return [plan.finish(raw, threshold) for plan in plans]


def category_levels() -> list[str]:
    return dimension("category").order([])


# --------------------------------------------------------------------------- SQL


def _conditions(filters: Filters) -> list:
    conditions = []
    if filters.year is not None:
        conditions.append(Conversation.year == filters.year)
    for column in ("gender", "channel"):
        value = getattr(filters, column)
        if value is not None:
            conditions.append(getattr(Conversation, column) == value)
    if filters.contact_type is not None:
        conditions.append(Conversation.contact_type.is_(None) if filters.contact_type == UNKNOWN
                          else Conversation.contact_type == filters.contact_type)
    if filters.age_group is not None:
        conditions.append(_age_condition(filters.age_group))
    return conditions


def _age_condition(code: str):
    if code == UNKNOWN:
        return Conversation.age.is_(None)
    groups = load_taxonomy().age_groups
    if code not in groups:
        raise ValueError(f"unknown age group {code!r}")
    return Conversation.age.between(groups[code].min, groups[code].max)


def _grouped_counts(store, dims: list[str], filters: Filters, labels: bool) -> pd.DataFrame:
    """Counts grouped in the database; returns the level columns and ``count``."""
    columns = [c for d in dims if d != "category" for c in dimension(d).columns()]
    if labels:
        present = present_labels(Kind.category, columns, _conditions(filters))
        groups = [present.c[c.name] for c in columns] + [present.c.code.label("d_category"),
                                                          present.c.source.label("d_source")]
        query = select(*groups, func.count().label(COUNT)).group_by(*groups)
    else:
        query = (select(*columns, func.count().label(COUNT)).select_from(Conversation)
                 .where(*_conditions(filters)).group_by(*columns))
    with store.engine.connect() as conn:
        grouped = pd.read_sql(query, conn)
    frame = pd.DataFrame({d: (grouped["d_category"].astype(str) if d == "category" else dimension(d).levels_of(grouped))
                          for d in dims})
    if labels:
        frame[SOURCE] = grouped["d_source"].astype(str)
    frame[COUNT] = grouped[COUNT].astype("int64")
    return frame


# --------------------------------------------------------------------------- completing


def _complete_with_sums(raw: pd.DataFrame, dims: list[str], year: int | None):
    """Every combination of base levels (absent ones 0), then each dimension's
    sum levels; returns the table and the sums for :func:`suppress`."""
    base = {d: (list(SOURCES) if d == SOURCE else dimension(d).base_levels(raw[d].unique().tolist(), year))
            for d in dims}
    if not all(base.values()):  # nothing counted (no months yet): an empty table
        return pd.DataFrame({**{d: pd.Series(dtype=object) for d in dims}, COUNT: pd.Series(dtype="int64")}), {}
    full = pd.DataFrame(list(product(*base.values())), columns=dims)
    cube = full.merge(raw, on=dims, how="left") if len(raw) else full.assign(**{COUNT: 0})
    cube[COUNT] = cube[COUNT].fillna(0).astype("int64")
    sums: dict[str, dict[str, tuple[str, ...]]] = {}
    for d in dims:
        sums[d] = {ALL_SOURCES: tuple(SOURCES)} if d == SOURCE else dimension(d).sums(base[d])
        for level, parts in sums[d].items():
            cube = pd.concat([cube, _sum_level(cube, d, level, parts)], ignore_index=True)
    cube = _in_display_order(cube, dims, base)
    return cube, sums


def _sum_level(cube: pd.DataFrame, dim: str, level: str, parts: Sequence[str]) -> pd.DataFrame:
    rest = [c for c in cube.columns if c not in (dim, COUNT)]
    chosen = cube[cube[dim].isin(parts)]
    summed = (chosen.groupby(rest, as_index=False, sort=False)[COUNT].sum() if rest
              else pd.DataFrame({COUNT: [chosen[COUNT].sum()]}))
    return summed.assign(**{dim: level})[cube.columns]


def _in_display_order(cube: pd.DataFrame, dims: list[str], base: dict[str, list[str]]) -> pd.DataFrame:
    keys = []
    for d in dims:
        order = [*SOURCES, ALL_SOURCES] if d == SOURCE else dimension(d).order(base[d])
        rank = {level: i for i, level in enumerate(order)}
        keys.append(cube[d].map(rank))
    ordered = cube.assign(**{f"_k{i}": k for i, k in enumerate(keys)})
    ordered = ordered.sort_values([f"_k{i}" for i in range(len(keys))], kind="stable")
    return ordered[[*dims, COUNT]].reset_index(drop=True)


__all__ = ["ALL_SOURCES", "SOURCE", "TOTAL", "Filters", "TrendTable", "category_levels", "trend_table", "trend_tables"]
