"""Trend tables against a small store whose every count is worked out by hand
(on SQLite and on PostgreSQL)."""

from __future__ import annotations

import pandas as pd
import pytest
from analysis_records import record
from sqlalchemy import select

from research.analysis.queries import current_disclosures, present_labels
from research.analysis.trends import Filters, trend_table
from research.store import Decision
from research.store.labels import category_labels_query, disclosure_labels_query, move_labels_query
from research.store.models import Kind

ALL = 0  # threshold 0 hides nothing: the hand-worked counts are compared as they are


@pytest.fixture(scope="module")
def small_store(module_store):
    store, make_record = module_store, record
    """Five conversations in 2024 and one in 2023; a counsellor changes three."""
    records = [
        make_record("c1", started_at="2024-01-10T18:00:00", age=12, categories=["vold_foreldre", "mobbing"],
                    moves=[["C_OPENING"], ["U_HINT"], ["C_DIRECT_Q"], ["U_DISCLOSURE"]], disclosure_turn=3),
        make_record("c2", started_at="2024-01-20T10:00:00", channel="telefon", age=8, gender="gutt",
                    categories=["vold_foreldre"]),
        make_record("c3", started_at="2024-02-05T20:00:00", age=15, categories=["selvmord"]),
        make_record("c4", started_at="2024-02-06T21:00:00", channel="sms", age=None, gender=None,
                    categories=["vitne_vold"]),
        make_record("c5", started_at="2024-02-07T22:00:00", age=17, gender="hen"),
        make_record("c6", started_at="2023-12-31T23:00:00", age=11, categories=["vold_annen"]),
    ]
    for r in records:
        assert store.conversations.add(r)
    store.users.add("anna", "counsellor", "anna-password-123")
    version = store.reviews.save("c2", "anna", 0, [Decision.category("vold_foreldre", "reject"),
                                                   Decision.category("seksuelle_overgrep", "add")]).label_version
    v3 = store.reviews.save("c3", "anna", 0, [Decision.category("selvmord", "accept")]).label_version
    store.reviews.save("c3", "anna", v3, [Decision.disclosure_at(1)])  # a disclosure the model missed
    v = store.reviews.save("c1", "anna", 0, [Decision.category("mobbing", "reject")]).label_version
    store.reviews.save("c1", "anna", v, [Decision.category("mobbing", "accept"),  # the latest decision wins
                                         Decision.move(3, "U_DISCLOSURE", "reject")])
    assert version == 1
    return store


def cell(table, **where):
    frame = table.long()
    for dim, level in where.items():
        frame = frame[frame[dim] == level]
    assert len(frame) == 1, where
    return frame.iloc[0]


def test_month_by_category_with_sources_and_parent_sums(small_store):
    table = trend_table(small_store, ["month", "category"], Filters(year=2024), threshold=ALL)
    assert table.measure == "labels"
    jan = cell(table, month="2024-01", category="vold_foreldre")
    assert (jan["count"], jan["human"], jan["machine"]) == (1, 0, 1)  # c2's was rejected by anna
    assert cell(table, month="2024-01", category="mobbing")["human"] == 1
    assert cell(table, month="2024-01", category="seksuelle_overgrep")["human"] == 1
    vold = cell(table, month="2024-01", category="vold")
    assert (vold["count"], vold["human"], vold["machine"]) == (3, 2, 1)
    assert vold["human_share"] == pytest.approx(2 / 3)
    assert cell(table, month="2024-02", category="vold")["count"] == 1
    assert cell(table, month="2024-02", category="psykisk_helse")["count"] == 1
    assert cell(table, month="total", category="vold")["count"] == 4
    assert cell(table, month="2024-07", category="vold")["count"] == 0
    months = table.long()["month"].unique().tolist()
    assert months == [f"2024-{m:02d}" for m in range(1, 13)] + ["total"]
    assert "vold_annen" in table.long()["category"].tolist()  # every category, even at zero
    assert cell(table, month="total", category="vold_annen")["count"] == 0  # c6 is from 2023


def test_conversations_by_age_group_channel_and_gender(small_store):
    ages = trend_table(small_store, ["age_group"], Filters(year=2024), threshold=ALL).long().set_index("age_group")
    assert ages["count"].to_dict() == {"5-10": 1, "11-13": 1, "14-16": 1, "17-18": 1, "unknown": 1, "5-13": 2,
                                       "total": 5}
    channels = trend_table(small_store, ["channel"], Filters(year=2024), threshold=ALL).long().set_index("channel")
    assert channels["count"].to_dict() == {"chat": 3, "telefon": 1, "sms": 1, "epost": 0, "ungno": 0, "total": 5}
    genders = trend_table(small_store, ["gender"], Filters(year=2024), threshold=ALL).long().set_index("gender")
    assert genders["count"].to_dict() == {"jente": 2, "gutt": 1, "hen": 1, "ikke_oppgitt": 1, "total": 5}


def test_filters_select_rows_or_conversations(small_store):
    chat = trend_table(small_store, ["category"], Filters(year=2024, channel="chat"), threshold=ALL)
    assert cell(chat, category="vold")["count"] == 2 and cell(chat, category="selvmord")["count"] == 1
    young = trend_table(small_store, ["month"], Filters(year=2024, category="vold", age_group="5-13"), threshold=ALL)
    assert young.dims == ("month",)
    assert cell(young, month="2024-01")["count"] == 3  # c1 (two labels) and c2, both aged 5-13
    one_category = trend_table(small_store, ["month", "category"], Filters(category="selvmord"), threshold=ALL)
    assert set(one_category.long()["category"]) == {"selvmord"}
    every_year = trend_table(small_store, ["year"], threshold=ALL).long().set_index("year")["count"].to_dict()
    assert every_year == {"2023": 1, "2024": 5, "total": 6}


def test_small_counts_are_suppressed_with_their_complements(small_store):
    table = trend_table(small_store, ["month", "category"], Filters(year=2024))
    shown = table.long()
    for column in ("count", "human", "machine"):
        values = shown[column].dropna().astype(int)
        assert not values.between(1, 5).any()
    display = table.wide("category", "month")
    assert display.loc["vold", "2024-01"] == ":"
    assert display.loc["vold", "2024-07"] == "0"


def test_unknown_dimension_or_code_is_refused(small_store):
    with pytest.raises(ValueError, match="unknown dimension"):
        trend_table(small_store, ["weekday"])
    with pytest.raises(ValueError, match="unknown category"):
        trend_table(small_store, ["month"], Filters(category="nonsense"))


def test_present_labels_agree_with_the_store_rule(small_store):
    """The analysis room's counting queries and the store's label queries give
    the same labels (the store keeps derive_labels in agreement with its own)."""
    with small_store.engine.connect() as conn:
        ours = pd.read_sql(select(present_labels(Kind.category)), conn)
        theirs = pd.read_sql(category_labels_query(), conn)
        our_moves = pd.read_sql(select(present_labels(Kind.move)), conn)
        their_moves = pd.read_sql(move_labels_query(), conn)
    theirs = theirs[theirs["label"].astype(bool)]
    key = ["conversation_id", "code", "source"]
    assert sorted(map(tuple, ours[key].to_numpy())) == sorted(map(tuple, theirs[key].to_numpy()))
    their_moves = their_moves[their_moves["label"].astype(bool)]
    key = ["conversation_id", "message_index", "code", "source"]
    assert sorted(map(tuple, our_moves[key].to_numpy())) == sorted(map(tuple, their_moves[key].to_numpy()))
    assert ("c1", 3, "U_DISCLOSURE") not in {tuple(r) for r in our_moves[key[:3]].to_numpy()}
    with small_store.engine.connect() as conn:
        ours = pd.read_sql(select(current_disclosures()), conn)
        theirs = pd.read_sql(disclosure_labels_query(), conn)
    theirs = theirs[theirs["source"].notna()]
    as_set = lambda frame: {(c, None if pd.isna(t) else int(t), s)  # noqa: E731
                            for c, t, s in frame[["conversation_id", frame.columns[1], "source"]].to_numpy()}
    assert as_set(ours[["conversation_id", "turn", "source"]]) == as_set(
        theirs[["conversation_id", "disclosure_turn", "source"]])
    assert ("c3", 1, "human") in as_set(ours[["conversation_id", "turn", "source"]])
