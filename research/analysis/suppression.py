"""Small-count protection: the ONE function every displayed or exported count passes.

:func:`suppress` takes a count table in long form (one column per dimension
plus ``count``) and hides

* **primary** cells: counts from 1 up to and including ``threshold`` (default
  5), :func:`is_small`. "Under the threshold" and "between 1 and the
  threshold" are both read in use; hiding the threshold itself satisfies both;
* **secondary** (complementary) cells: further counts that would let a hidden
  one be recomputed from the table's sums — its row or column totals, the
  parent categories that are sums of their sub-categories, overlapping groups
  such as age 5–13 = 5–10 + 11–13.

Zero stays visible as 0: a zero tells nothing about any person, and the
helpline's report shows zeros. So no shown cell ever holds 1..threshold.

How the sums are known: ``sums`` says, per dimension, which levels are sums of
which others (``{"month": {"total": (...12 months)}, "category": {"vold":
(...leaves)}}``). The table is completed to the full cross product of its
levels (absent combinations count 0) and every sum gives one linear relation
per combination of the other dimensions' levels.

Complementary suppression repeats two passes until both hold:

1. the line rule: no relation may hold exactly one hidden cell (else that cell
   is the relation's remainder). Nested sums add their difference as a
   relation too (total − 5–13 = 14–16 + 17–18 + unknown). The complement is
   chosen among the relation's visible cells: base cells before sums, a
   positive count before a zero, the one leaving fewest relations with a lone
   hidden cell, then the smallest;
2. the exact check: a hidden cell is recomputable from ALL relations together
   exactly when its unit vector lies in the row space of the relations
   restricted to the hidden cells (linear algebra, after tying cells that
   two-cell relations bind together); such a cell gets a further complement
   in its tightest relation.

This protects against exact recomputation, not against bounds from
non-negativity (e.g. two hidden cells summing to 6). Each table is protected
on its own; callers pass the whole table (all rows, with its margins) and
slice for display afterwards, so a filter never changes which cells are hidden.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.linalg import qr
from threadpoolctl import threadpool_limits

DEFAULT_THRESHOLD = 5  # counts 1..5 are never shown


def is_small(counts, threshold: int = DEFAULT_THRESHOLD):
    """The primary rule: a count from 1 to ``threshold`` (zeros are shown)."""
    return (counts >= 1) & (counts <= threshold)

SUPPRESSED = ":"  # what a hidden count shows, as in Statistics Norway's tables
COUNT = "count"


class SuppressionError(RuntimeError):
    """The table cannot be protected under the given constraints."""


Sums = Mapping[str, Mapping[str, Sequence[str]]]  # dimension -> aggregate level -> the levels it sums


@dataclass(frozen=True)
class SuppressedTable:
    """A count table after suppression: ``frame`` has the dimension columns,
    ``count`` (nullable Int64, <NA> where hidden) and ``suppressed`` (bool).

    Nothing else holds the unsuppressed counts, so whatever is built from this
    object (displays, shares, exports) cannot show a hidden one.
    """

    frame: pd.DataFrame
    dims: tuple[str, ...]
    threshold: int

    def select(self, **levels: object) -> SuppressedTable:
        """The rows whose dimensions have these levels (a slice, for display)."""
        mask = np.ones(len(self.frame), dtype=bool)
        for dim, level in levels.items():
            mask &= (self.frame[dim] == level).to_numpy()
        return SuppressedTable(self.frame[mask].reset_index(drop=True), self.dims, self.threshold)

    def drop(self, *dims: str) -> SuppressedTable:
        """Drop dimensions that a :meth:`select` fixed to one level."""
        for dim in dims:
            if self.frame[dim].nunique() > 1:
                raise ValueError(f"dimension {dim!r} still has several levels: select one first")
        keep = tuple(d for d in self.dims if d not in dims)
        return SuppressedTable(self.frame.drop(columns=list(dims)), keep, self.threshold)

    def pivot(self, index: str | list[str], columns: str, *, marker: str = SUPPRESSED) -> pd.DataFrame:
        """A wide table of display strings: counts, and ``marker`` where hidden."""
        shown = self.frame.assign(
            _shown=[marker if hidden else f"{int(v)}" for v, hidden in zip(self.frame[COUNT], self.frame["suppressed"],
                                                                            strict=True)])
        wide = shown.pivot(index=index, columns=columns, values="_shown")
        rows = shown[index].drop_duplicates() if isinstance(index, list) else shown[index].unique()
        rows = pd.MultiIndex.from_frame(rows) if isinstance(index, list) else rows
        wide = wide.reindex(index=rows, columns=shown[columns].unique())  # keep the levels' order
        wide.columns.name = None
        return wide


# --------------------------------------------------------------------------- the one function


def suppress(table: pd.DataFrame, threshold: int = DEFAULT_THRESHOLD, *, sums: Sums | None = None,
             value: str = COUNT, hide: Iterable[tuple] = (), keep: Iterable[tuple] = ()) -> SuppressedTable:
    """Hide small counts and their complements; see the module docstring.

    ``table``: one row per cell, a column per dimension and ``value`` with the
    count; levels named in ``sums`` must be present as rows (as any other).
    ``hide`` and ``keep`` link this table to one already published that shares
    cells with it (given as tuples of levels in dimension order): cells hidden
    there are hidden here too, and cells shown there are never chosen here as
    complements, so the two tables hide the same cells.
    """
    if threshold < 0:
        raise ValueError(f"threshold must not be negative, got {threshold}")
    sums = {dim: dict(levels) for dim, levels in (sums or {}).items()}
    dims = tuple(c for c in table.columns if c != value)
    for dim in sums:
        if dim not in dims:
            raise ValueError(f"sums name dimension {dim!r}, which the table does not have (has {list(dims)})")
    cube = _complete(table, dims, value)
    counts = cube[value].to_numpy(dtype=np.int64)
    if (counts < 0).any():
        raise ValueError("counts must not be negative")
    relations = _relations(cube, dims, sums)
    aggregate = _aggregate_cells(cube, sums)
    hidden = is_small(counts, threshold)
    hidden[_positions(cube, dims, hide)] = True
    aggregate[_positions(cube, dims, keep)] = _NEVER
    hidden = _Complements(counts, hidden, relations, aggregate).run()
    frame = cube[list(dims)].copy()
    frame[COUNT] = pd.array(np.where(hidden, 0, counts), dtype="Int64")
    frame.loc[hidden, COUNT] = pd.NA
    frame["suppressed"] = hidden
    return SuppressedTable(frame, dims, threshold)


_NEVER = 10**6  # complement preference of cells that must stay as another table shows them


def _positions(cube: pd.DataFrame, dims: tuple[str, ...], cells: Iterable[tuple]) -> np.ndarray:
    cells = list(cells)
    if not cells:
        return np.zeros(0, dtype=np.int64)
    position = {key: i for i, key in enumerate(cube[list(dims)].itertuples(index=False, name=None))}
    unknown = [c for c in cells if tuple(c) not in position]
    if unknown:
        raise ValueError(f"cells {unknown[:3]} are not in the table")
    return np.asarray([position[tuple(c)] for c in cells], dtype=np.int64)


def _complete(table: pd.DataFrame, dims: tuple[str, ...], value: str) -> pd.DataFrame:
    """The full cross product of each dimension's levels (in first-seen order), absent cells 0."""
    if table.duplicated(subset=list(dims)).any():
        raise ValueError(f"the table has repeated cells for dimensions {list(dims)}")
    if not dims:
        return table.reset_index(drop=True)
    levels = [list(dict.fromkeys(table[d])) for d in dims]
    full = pd.DataFrame(list(product(*levels)), columns=list(dims))
    keyed = table.set_index(list(dims))[value]
    index = pd.MultiIndex.from_frame(full) if len(dims) > 1 else pd.Index(full[dims[0]])
    full[value] = keyed.reindex(index).fillna(0).to_numpy(dtype=np.int64)
    return full


def _relations(cube: pd.DataFrame, dims: tuple[str, ...], sums: Sums) -> sparse.csr_matrix:
    """One row per linear relation over the cells: +1 on the parts, -1 on the sum.

    Besides each sum, a sum nested in another gives their difference (e.g.
    total − 5–13 = 14–16 + 17–18 + unknown), so the cheap line rule already
    sees what the two together reveal."""
    levels = {d: list(dict.fromkeys(cube[d])) for d in dims}
    sizes = [len(levels[d]) for d in dims]
    index = {d: {level: i for i, level in enumerate(levels[d])} for d in dims}
    strides = np.cumprod([1, *sizes[::-1]])[::-1][1:]  # cells are in product order: last dimension fastest
    rows, cols, vals = [], [], []
    n_relations = 0
    for d_index, dim in enumerate(dims):
        for signed in _dimension_relations(dim, sums.get(dim, {}), levels[dim]):
            others = np.arange(int(np.prod(sizes))).reshape(sizes)
            base = np.take(others, 0, axis=d_index).ravel()  # the cells at the dimension's first level
            for level, sign in signed.items():
                cells = base + index[dim][level] * strides[d_index]
                rows.append(n_relations + np.arange(len(base)))
                cols.append(cells)
                vals.append(np.full(len(base), sign, dtype=float))
            n_relations += len(base)
    if not rows:
        return sparse.csr_matrix((0, len(cube)))
    return sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                             shape=(n_relations, len(cube)))


def _dimension_relations(dim: str, sums: Mapping[str, Sequence[str]], levels: list) -> list[dict]:
    """The relations of one dimension as {level: coefficient}."""
    groups = {}
    for aggregate, parts in sums.items():
        parts = [p for p in parts if p != aggregate]
        missing = [lvl for lvl in (aggregate, *parts) if lvl not in levels]
        if missing:
            raise ValueError(f"sums of {dim!r}: levels {missing} are not in the table")
        if parts:
            groups[aggregate] = set(parts)
    relations = [{**{p: 1.0 for p in parts}, aggregate: -1.0} for aggregate, parts in groups.items()]
    for outer, outer_parts in groups.items():
        for inner, inner_parts in groups.items():
            if inner != outer and inner_parts < outer_parts:
                relations.append({**{p: 1.0 for p in outer_parts - inner_parts}, inner: 1.0, outer: -1.0})
    return relations


def _aggregate_cells(cube: pd.DataFrame, sums: Sums) -> np.ndarray:
    """How many of a cell's levels are sums: complements are taken from base cells first."""
    weight = np.zeros(len(cube), dtype=np.int64)
    for dim, levels in sums.items():
        weight += cube[dim].isin(list(levels)).to_numpy(dtype=np.int64)
    return weight


class _Complements:
    """Chooses complementary cells for a table's linear relations (one per row
    of ``relations``: +1 on the parts, -1 on the sum)."""

    def __init__(self, counts: np.ndarray, hidden: np.ndarray, relations: sparse.csr_matrix,
                 aggregate: np.ndarray):
        self.counts = counts
        self.hidden = hidden.copy()
        self.relations = relations
        self.incidence = abs(relations).tocsr()
        self.by_cell = self.incidence.T.tocsr()
        self.aggregate = aggregate
        self.per_relation = self.incidence @ self.hidden.astype(np.int64)

    def members(self, relation: int) -> np.ndarray:
        return self.incidence.indices[self.incidence.indptr[relation]:self.incidence.indptr[relation + 1]]

    def relations_of(self, cell: int) -> np.ndarray:
        return self.by_cell.indices[self.by_cell.indptr[cell]:self.by_cell.indptr[cell + 1]]

    def hide(self, cell: int) -> None:
        self.hidden[cell] = True
        self.per_relation[self.relations_of(cell)] += 1

    def ranked(self, candidates: np.ndarray) -> np.ndarray:
        """Visible candidates, best complement first: never a cell another table
        shows; base cells before sums; a positive count before a zero; then the
        fewest relations left with a lone hidden cell; then the smallest count."""
        candidates = candidates[~self.hidden[candidates] & (self.aggregate[candidates] < _NEVER)]
        lonely = np.array([int((self.per_relation[self.relations_of(c)] == 0).sum())
                           - int((self.per_relation[self.relations_of(c)] == 1).sum()) for c in candidates],
                          dtype=np.int64)
        order = np.lexsort((candidates, self.counts[candidates], lonely, self.counts[candidates] == 0,
                            self.aggregate[candidates]))
        return candidates[order]

    def run(self) -> np.ndarray:
        if self.relations.shape[0] == 0:
            return self.hidden
        while True:
            self.line_rule()
            exposed = _recomputable(self.hidden, self.relations)
            if not len(exposed):
                return self.hidden
            if not any([self.protect(int(cell)) for cell in exposed]):
                raise SuppressionError(f"{len(exposed)} hidden cell(s) stay recomputable and no cell is left to "
                                       "hide with them (are too many cells kept visible?)")

    def line_rule(self) -> None:
        """Until no relation holds exactly one hidden cell, hide a complement in each that does."""
        while True:
            lonely = np.flatnonzero(self.per_relation == 1)
            changed = False
            for r in lonely:
                if self.per_relation[r] != 1:
                    continue  # an earlier complement in this pass already fixed it
                best = self.ranked(self.members(r))
                if len(best):
                    self.hide(int(best[0]))
                    changed = True
            if not changed:
                return

    def protect(self, cell: int) -> bool:
        """Hide one more cell in the tightest relation of a recomputable ``cell``
        (the one with the fewest hidden cells that still has a candidate)."""
        for r in sorted(self.relations_of(cell), key=lambda r: self.per_relation[r]):
            best = self.ranked(self.members(r))
            if len(best):
                self.hide(int(best[0]))
                return True
        return False


def _recomputable(hidden: np.ndarray, relations: sparse.csr_matrix) -> np.ndarray:
    """Hidden cells whose value the relations fix exactly.

    Exact linear algebra on the relations restricted to the hidden cells, made
    small first: a relation left with one unknown fixes it; one left with two
    ties them (``x_b = m·x_a + c``), so they are solved as one (union-find). On
    what remains, a cell is fixed when its unit vector lies in the row space
    (projection 1, from a pivoted QR), per connected group."""
    cells = np.flatnonzero(hidden)
    if not len(cells):
        return cells
    system = relations[:, cells].tocsr()
    ties = _Ties(len(cells))
    rows = [(system.indices[system.indptr[r]:system.indptr[r + 1]], system.data[system.indptr[r]:system.indptr[r + 1]])
            for r in range(system.shape[0]) if system.indptr[r + 1] > system.indptr[r]]
    while True:
        wide, changed = [], False
        for columns, coefficients in rows:
            active = ties.reduce(columns, coefficients)
            if len(active) == 1:
                ties.fix(next(iter(active)))
                changed = True
            elif len(active) == 2:
                (a, alpha), (b, beta) = active.items()
                ties.tie(b, a, -alpha / beta)
                changed = True
            elif active:
                wide.append(active)
        if not changed:
            break
    fixed_roots = ties.fixed.copy()
    if wide:
        roots = sorted({root for active in wide for root in active})
        column = {root: j for j, root in enumerate(roots)}
        matrix = sparse.lil_matrix((len(wide), len(roots)))
        for i, active in enumerate(wide):
            for root, coefficient in active.items():
                matrix[i, column[root]] = coefficient
        matrix = matrix.tocsr()
        for group in _connected_groups(matrix):
            block = matrix[:, group]
            block = block[np.flatnonzero(abs(block).sum(axis=1).A1 > 0)].toarray()
            with threadpool_limits(1, user_api="blas"):  # small blocks: BLAS threads only contend
                q, r, _ = qr(block.T, mode="economic", pivoting=True)
            diagonal = np.abs(np.diag(r))
            rank = int((diagonal > 1e-9 * max(diagonal.max(initial=0.0), 1.0)).sum())
            projection = (q[:, :rank] ** 2).sum(axis=1)
            for j in np.asarray(group)[projection > 1 - 1e-8]:
                fixed_roots[roots[j]] = True
    exposed = [cells[j] for j in range(len(cells)) if fixed_roots[ties.find(j)[0]]]
    return np.asarray(sorted(exposed), dtype=np.int64)


class _Ties:
    """Unknowns tied by two-unknown relations: ``x_j = multiplier·x_root + c``."""

    def __init__(self, n: int):
        self.parent = list(range(n))
        self.multiplier = [1.0] * n
        self.fixed = np.zeros(n, dtype=bool)

    def find(self, j: int) -> tuple[int, float]:
        if self.parent[j] == j:
            return j, 1.0
        root, m = self.find(self.parent[j])
        self.parent[j], self.multiplier[j] = root, self.multiplier[j] * m  # path compression
        return root, self.multiplier[j]

    def reduce(self, columns, coefficients) -> dict[int, float]:
        """A relation over the current roots, without fixed ones and zero coefficients."""
        active: dict[int, float] = {}
        for j, a in zip(columns, coefficients, strict=True):
            root, m = self.find(int(j))
            if not self.fixed[root]:
                active[root] = active.get(root, 0.0) + a * m
        return {root: c for root, c in active.items() if abs(c) > 1e-9}

    def fix(self, root: int) -> None:
        self.fixed[root] = True

    def tie(self, child: int, root: int, multiplier: float) -> None:
        self.parent[child], self.multiplier[child] = root, multiplier


def _connected_groups(system: sparse.csr_matrix) -> Iterable[np.ndarray]:
    """Columns (hidden cells) linked through shared relations."""
    from scipy.sparse.csgraph import connected_components

    link = abs(system).T @ abs(system)
    n_groups, labels = connected_components(link, directed=False)
    for g in range(n_groups):
        yield np.flatnonzero(labels == g)


# --------------------------------------------------------------------------- building sums


def with_totals(table: pd.DataFrame, dims: Sequence[str], *, total: str = "total",
                value: str = COUNT) -> tuple[pd.DataFrame, dict[str, dict[str, tuple]]]:
    """Add a ``total`` level to each of ``dims`` (the sum over its other levels,
    per combination of the rest) and return the table with the matching sums."""
    sums: dict[str, dict[str, tuple]] = {}
    for dim in dims:
        levels = tuple(dict.fromkeys(table[dim]))
        if total in levels:
            raise ValueError(f"dimension {dim!r} already has a level {total!r}")
        rest = [c for c in table.columns if c not in (dim, value)]
        margin = (table.groupby(rest, sort=False, dropna=False)[value].sum().reset_index() if rest
                  else pd.DataFrame({value: [table[value].sum()]}))
        margin[dim] = total
        table = pd.concat([table, margin[table.columns]], ignore_index=True)
        sums[dim] = {total: levels}
    return table, sums
