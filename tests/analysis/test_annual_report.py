"""A generated year calibrated to the 2024 report, loaded into a store with its
gold labels as the machine labels: the annual-report tables reproduce the
generator's true counts, and no displayed or exported cell holds 1..threshold-1."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import datetime

import pandas as pd
import pytest

from research.analysis.bulk_load import load
from research.analysis.dimensions import TOTAL, UNKNOWN, categories_with_parents
from research.analysis.export import export_bytes
from research.analysis.report import annual_report, shares
from research.contracts import load_taxonomy
from research.corpus.synth import generate
from research.reporting.html_report import render_report
from research.store import open_store

N, SEED, YEAR, THRESHOLD = 8770, 2024, 2024, 5


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    home = tmp_path_factory.mktemp("annual")
    conversations = list(generate(N, SEED, year=YEAR))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DISCLOSURE_HOME", str(home))
        with open_store(f"sqlite:///{home / 'store.db'}") as store:
            load(store, conversations)
            yield store, conversations, annual_report(store, YEAR, THRESHOLD)


def truth_table(conversations, key) -> Counter:
    counts = Counter()
    for c in conversations:
        for cell in key(c):
            counts[cell] += 1
    return counts


def age_groups_of(age):
    tax = load_taxonomy()
    if age is None:
        return [UNKNOWN, TOTAL]
    return [g.code for g in tax.age_groups.values() if g.contains(age)] + [TOTAL]


def with_total(levels):
    return [*levels, TOTAL]


def category_cells(conversation):
    _, parents = categories_with_parents()
    leaves = conversation["categories"]
    cells = list(leaves)
    for parent, members in parents.items():
        cells += [parent] * sum(code in members for code in leaves)  # the report's sum of sub-categories
    return cells


def compare(table, truth: Counter, dims) -> int:
    """Every shown cell equals the truth; every true count 1..4 is hidden. Returns cells checked."""
    frame = table.long()
    checked = 0
    for row in frame.itertuples(index=False):
        key = tuple(getattr(row, d) for d in dims)
        true = truth.get(key if len(key) > 1 else key[0], 0)
        if not pd.isna(row.count):  # hidden: a small count, or a complement (a zero only if nothing else was left)
            assert row.count == true, f"{key}: shows {row.count}, truth {true}"
            checked += 1
        if 1 <= true < THRESHOLD:
            assert pd.isna(row.count), f"{key}: small count {true} shown"
    return checked


def test_tables_reproduce_the_generated_year(year):
    _, conversations, report = year
    hour = lambda c: f"{datetime.fromisoformat(c['started_at']).hour:02d}"  # noqa: E731
    checks = {
        "channels": (lambda c: with_total([c["channel"]]) and [c["channel"], TOTAL], ["channel"]),
        "gender": (lambda c: [(ch, g) for ch in (c["channel"], TOTAL) for g in (c["gender"] or "ikke_oppgitt", TOTAL)],
                   ["channel", "gender"]),
        "age": (lambda c: [(ch, a) for ch in (c["channel"], TOTAL) for a in age_groups_of(c["age"])],
                ["channel", "age_group"]),
        "categories_by_age": (lambda c: [(cat, a) for cat in category_cells(c) for a in age_groups_of(c["age"])],
                              ["category", "age_group"]),
        "hours": (lambda c: [(ch, h) for ch in (c["channel"], TOTAL) for h in (hour(c), TOTAL)], ["channel", "hour"]),
    }
    for name, (key, dims) in checks.items():
        shown = compare(report.tables[name], truth_table(conversations, key), dims)
        assert shown > 0.5 * len(report.tables[name].long()), f"{name}: most cells should be shown"
    assert report.contacts == N


def test_focus_group_breakdown_is_the_11_to_13_rows(year):
    _, conversations, report = year
    assert report.focus_group == "11-13"
    truth = truth_table([c for c in conversations if c["age"] is not None and 11 <= c["age"] <= 13],
                        category_cells)
    focus = report.focus.set_index("category")["count"]
    for code, shown in focus.items():
        if not pd.isna(shown):
            assert shown == truth.get(code, 0)
    # calibrated to the report: violence from parents among 11-13-year-olds is about 317 per 4,000
    share = focus["vold_foreldre"] / truth_table(
        [c for c in conversations if c["age"] is not None and 11 <= c["age"] <= 13], lambda c: ["all"])["all"]
    assert 0.04 < share < 0.13


def test_gender_shares_use_shown_counts_only(year):
    _, _, report = year
    table = shares(report.tables["gender"], "gender")
    chat_girls = table[(table.channel == "chat") & (table.gender == "jente")].iloc[0]
    assert 0.6 < chat_girls.share < 0.9  # report: 74 % of chat users are girls
    assert table.loc[table["count"].isna(), "share"].isna().all()


def test_no_displayed_or_exported_cell_holds_a_small_count(year):
    _, _, report = year
    for table in report.tables.values():
        for column in ("count", "human", "machine"):
            if column in table.long():
                values = table.long()[column].dropna().astype(int)
                assert not values.between(1, THRESHOLD - 1).any()
        csv = pd.read_csv(io.BytesIO(export_bytes(table, "csv")), dtype=str)
        xlsx = pd.read_excel(io.BytesIO(export_bytes(table, "xlsx")), sheet_name="data", dtype=str)
        for exported in (csv, xlsx):
            for column in ("count", "human", "machine"):
                if column in exported:
                    numbers = pd.to_numeric(exported[column], errors="coerce").dropna()
                    assert not numbers.between(1, THRESHOLD - 1).any()
                    assert set(exported[column][numbers.index.symmetric_difference(exported.index)]) <= {":"}
    document = render_report(report, "en")
    cells = re.findall(r"<td>([^<]*)</td>", document)
    integers = [int(c) for c in cells if c.strip().isdigit()]
    assert integers and not [n for n in integers if 1 <= n < THRESHOLD]
    assert "NA&gt;" not in document and "<NA>" not in document and "nan" not in cells
    assert "http://" not in document and "https://" not in document and "<script" not in document
