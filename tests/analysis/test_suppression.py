"""Small-count protection: properties that must hold for any table.

The recomputation check here is independent of the implementation: it builds
each table's linear relations from the table itself and asks, by matrix rank,
whether a hidden cell's unit vector lies in the row space of the relations
restricted to the hidden cells (then its value follows from the visible ones).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from research.analysis.suppression import SUPPRESSED, suppress, with_totals

SMALL_AND_LARGE = st.one_of(st.integers(0, 6), st.integers(0, 60))


def recomputable(hidden: np.ndarray, equations: list[list[tuple[int, float]]]) -> list[int]:
    """Hidden cells whose value is fixed by the equations (independent rank test)."""
    cells = np.flatnonzero(hidden)
    column = {c: j for j, c in enumerate(cells)}
    rows = []
    for equation in equations:
        row = np.zeros(len(cells))
        for cell, coefficient in equation:
            if cell in column:
                row[column[cell]] = coefficient
        if row.any():
            rows.append(row)
    if not rows:
        return []
    system = np.array(rows)
    rank = np.linalg.matrix_rank(system)
    exposed = []
    for j, cell in enumerate(cells):
        unit = np.zeros(len(cells))
        unit[j] = 1
        if np.linalg.matrix_rank(np.vstack([system, unit])) == rank:
            exposed.append(int(cell))
    return exposed


def equations_from(frame: pd.DataFrame, dims: list[str], sums: dict) -> list[list[tuple[int, float]]]:
    """Each sum as an equation over row positions of ``frame``: parts - aggregate = 0."""
    position = {key: i for i, key in enumerate(frame[dims].itertuples(index=False, name=None))}
    equations = []
    for d, dim in enumerate(dims):
        others = [list(dict.fromkeys(frame[o])) for o in dims if o != dim]
        for aggregate, parts in sums.get(dim, {}).items():
            for rest in pd.MultiIndex.from_product(others) if others else [()]:
                rest = tuple(rest) if isinstance(rest, tuple) else (rest,)
                key = lambda level, rest=rest, d=d: (*rest[:d], level, *rest[d:])  # noqa: E731
                equations.append([(position[key(p)], 1.0) for p in parts] + [(position[key(aggregate)], -1.0)])
    return equations


def check(result, original: pd.DataFrame, dims: list[str], sums: dict, threshold: int) -> None:
    frame = result.frame
    merged = frame.merge(original, on=dims, how="left", suffixes=("", "_true"))
    truth = merged["count_true"].fillna(0).astype(int).to_numpy()
    hidden = frame["suppressed"].to_numpy()
    shown = frame["count"]
    # 1. no visible cell holds a count from 1 to the threshold
    visible = shown[~hidden].astype(int).to_numpy()
    assert not ((visible >= 1) & (visible <= threshold)).any()
    # 2. every such count is hidden, and hidden cells carry no number
    assert hidden[(truth >= 1) & (truth <= threshold)].all()
    assert shown[hidden].isna().all()
    # 3. visible cells are the true counts
    assert (visible == truth[~hidden]).all()
    # 4. no line (row or column with its total) has exactly one hidden cell ...
    equations = equations_from(frame, dims, sums)
    for equation in equations:
        assert sum(hidden[cell] for cell, _ in equation) != 1
    # 5. ... and no hidden cell follows from all the sums together
    assert recomputable(hidden, equations) == []


@st.composite
def two_way_tables(draw):
    n_rows, n_cols = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    counts = draw(st.lists(SMALL_AND_LARGE, min_size=n_rows * n_cols, max_size=n_rows * n_cols))
    rows = [f"r{i}" for i in range(n_rows) for _ in range(n_cols)]
    cols = [f"c{j}" for _ in range(n_rows) for j in range(n_cols)]
    return pd.DataFrame({"row": rows, "col": cols, "count": counts})


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=two_way_tables(), threshold=st.integers(2, 10))
def test_two_way_table_with_margins(table, threshold):
    full, sums = with_totals(table, ["row", "col"])
    result = suppress(full, threshold, sums=sums)
    check(result, full, ["row", "col"], sums, threshold)


@st.composite
def hierarchical_tables(draw):
    """month x category x source, where parents are sums of leaves (like `vold`)."""
    n_months = draw(st.integers(1, 4))
    n_leaves = draw(st.integers(2, 5))
    leaves = [f"leaf{i}" for i in range(n_leaves)]
    split = draw(st.integers(1, n_leaves - 1))
    rows = []
    for m in range(n_months):
        for leaf in leaves:
            for source in ("human", "machine"):
                rows.append({"month": f"2024-{m + 1:02d}", "category": leaf, "source": source,
                             "count": draw(SMALL_AND_LARGE)})
    table = pd.DataFrame(rows)
    parents = {"parentA": leaves[:split], "parentB": leaves[split:]}
    for parent, members in parents.items():
        part = table[table.category.isin(members)].groupby(["month", "source"], as_index=False)["count"].sum()
        table = pd.concat([table, part.assign(category=parent)], ignore_index=True)
    table = table[["month", "category", "source", "count"]]
    table, sums = with_totals(table, ["month", "source"])
    sums["category"] = parents
    return table, sums


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawn=hierarchical_tables(), threshold=st.integers(3, 8))
def test_three_way_table_with_parent_sums(drawn, threshold):
    table, sums = drawn
    result = suppress(table, threshold, sums=sums)
    check(result, table, ["month", "category", "source"], sums, threshold)


def test_zero_stays_visible_and_large_counts_untouched():
    table = pd.DataFrame({"row": ["a", "a", "b", "b"], "col": ["x", "y", "x", "y"], "count": [0, 40, 50, 60]})
    full, sums = with_totals(table, ["row", "col"])
    result = suppress(full, sums=sums)
    assert not result.frame["suppressed"].any()
    assert result.frame["count"].tolist()[:2] == [0, 40]


def test_single_small_cell_gets_complements_in_its_row_and_column():
    table = pd.DataFrame({"row": ["a", "a", "b", "b"], "col": ["x", "y", "x", "y"], "count": [3, 40, 50, 60]})
    full, sums = with_totals(table, ["row", "col"])
    wide = suppress(full, sums=sums).pivot("row", "col")
    # 3 is hidden; with one row and one column through it, all four inner cells must go
    assert wide.loc[["a", "b"], ["x", "y"]].eq(SUPPRESSED).all().all()
    assert wide.loc["total", "total"] == "153"
    assert list(wide.columns) == ["x", "y", "total"]


def test_complement_is_the_smallest_positive_base_cell():
    table = pd.DataFrame({"row": ["a"] * 4, "col": ["w", "x", "y", "z"], "count": [2, 0, 9, 30]})
    full, sums = with_totals(table, ["col"])
    hidden = suppress(full, sums=sums).frame.set_index("col")["suppressed"]
    assert hidden.to_dict() == {"w": True, "x": False, "y": True, "z": False, "total": False}


def test_bad_input_is_refused():
    table = pd.DataFrame({"row": ["a", "a"], "count": [1, 2]})
    with pytest.raises(ValueError, match="repeated cells"):
        suppress(table)
    with pytest.raises(ValueError, match="dimension 'col'"):
        suppress(pd.DataFrame({"row": ["a"], "count": [1]}), sums={"col": {"t": ("a",)}})
    with pytest.raises(ValueError, match="threshold"):
        suppress(pd.DataFrame({"row": ["a"], "count": [1]}), threshold=-1)


def test_the_threshold_itself_is_hidden_and_zero_hides_nothing():
    table = pd.DataFrame({"row": ["a", "b", "c", "total"], "count": [5, 6, 0, 11]})
    shown = suppress(table, 5, sums={"row": {"total": ("a", "b", "c")}}).frame.set_index("row")["count"]
    assert pd.isna(shown["a"]) and shown["c"] == 0
    assert pd.isna(shown["b"]) or pd.isna(shown["total"])  # a's complement: it would be total - b - c
    assert suppress(table, 0).frame["count"].tolist() == [5, 6, 0, 11]


def test_cell_fixed_by_several_lines_together_is_protected():
    """Two hidden 2x2 squares joined by one hidden bridge cell: every row and
    column holds two or more hidden cells, yet the bridge follows from the
    rows r0+r1 minus the columns c0+c1. The exact check must hide more."""
    small = {("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1"), ("r1", "c2"),
             ("r2", "c2"), ("r2", "c3"), ("r3", "c2"), ("r3", "c3")}
    rows = [{"row": f"r{i}", "col": f"c{j}", "count": 2 if (f"r{i}", f"c{j}") in small else 50}
            for i in range(5) for j in range(5)]
    full, sums = with_totals(pd.DataFrame(rows), ["row", "col"])
    result = suppress(full, sums=sums)
    check(result, full, ["row", "col"], sums, 5)
    assert result.frame["suppressed"].sum() > len(small)


def test_linked_tables_hide_the_same_cells():
    """A cell hidden in a table already published stays hidden here; a cell
    shown there is never picked here as a complement."""
    table = pd.DataFrame({"row": ["a", "a", "b", "b"], "col": ["x", "y", "x", "y"], "count": [40, 50, 60, 3]})
    full, sums = with_totals(table, ["col"])
    plain = suppress(full, sums=sums).frame.set_index(["row", "col"])["suppressed"]
    assert plain[("b", "x")] and plain[("b", "y")] and not plain[("b", "total")]
    linked = suppress(full, sums=sums, hide=[("a", "x")], keep=[("b", "x")]).frame.set_index(["row", "col"])
    hidden = linked["suppressed"]
    assert hidden[("a", "x")] and hidden[("a", "y")]  # hidden there, so here too, with its complement
    assert not hidden[("b", "x")] and hidden[("b", "total")]  # shown there: the total is hidden instead
    check(suppress(full, sums=sums, hide=[("a", "x")], keep=[("b", "x")]), full, ["row", "col"], sums, 5)
