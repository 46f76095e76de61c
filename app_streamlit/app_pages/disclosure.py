"""Disclosure analysis: which counsellor moves come before a disclosure (odds
ratios with 95 % intervals, by age group), how often a disclosure follows a
move within k messages, and one conversation's moves as a timeline."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_streamlit.explorer.widgets import (
    cached,
    count_text,
    filter_bar,
    label,
    labelled,
    refresh_button,
    share_text,
    suppression_note,
)
from app_streamlit.i18n import number, t
from app_streamlit.shell import require
from research.analysis.dimensions import TOTAL, age_groups
from research.analysis.precursors import (
    DEFAULT_K,
    disclosure_conversations,
    precursor_analysis,
    sequence,
)
from research.analysis.report import available_years
from research.store import Page

user = require(Page.explore)
st.title(t("disclosure.title"))
st.caption(t("disclosure.intro"))
refresh_button("disclosure_refresh")

filters = filter_bar("disclosure", cached(available_years)(), category=False, age_group=False)
left, right = st.columns(2)
with left:
    k = st.slider(t("disclosure.k"), 1, 10, DEFAULT_K, key="disclosure_k", help=t("disclosure.k_help"))
with right:
    age = st.selectbox(t("explore.age_group"), [TOTAL, *age_groups()[0]], key="disclosure_age", format_func=label)

# --------------------------------------------------------------------------- odds ratios
odds, within = cached(precursor_analysis)(filters, k=k)
st.subheader(t("disclosure.odds"))
st.caption(t("disclosure.odds_help", k=k, position=number(odds.reference_position * 100, 0)))
rows = odds.odds[odds.odds["age_group"] == age]
table = pd.DataFrame({
    t("disclosure.move"): rows["move"].map(label),
    t("disclosure.a"): rows["a"].map(count_text), t("disclosure.b"): rows["b"].map(count_text),
    t("disclosure.c"): rows["c"].map(count_text), t("disclosure.d"): rows["d"].map(count_text),
    t("disclosure.or"): rows["estimate"].map(lambda v: number(v) if pd.notna(v) else "–"),
    t("disclosure.ci"): [f"{number(lo)}–{number(hi)}" if pd.notna(lo) else "–"
                         for lo, hi in zip(rows["low"], rows["high"], strict=True)],
})
st.dataframe(table, hide_index=True, key="disclosure_odds")
forest = labelled(rows.dropna(subset=["estimate"]), "move")
if forest.empty:
    st.info(t("disclosure.too_few"))
else:
    base = alt.Chart(forest).encode(y=alt.Y("move:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)))
    scale = alt.Scale(type="log")
    st.altair_chart(
        (base.mark_rule().encode(x=alt.X("low:Q", scale=scale, title=t("disclosure.or_axis")), x2="high:Q")
         + base.mark_point(filled=True, size=60).encode(
             x=alt.X("estimate:Q", scale=scale),
             tooltip=[alt.Tooltip("move:N", title=t("disclosure.move")),
                      alt.Tooltip("estimate:Q", format=".2f", title=t("disclosure.or")),
                      alt.Tooltip("low:Q", format=".2f"), alt.Tooltip("high:Q", format=".2f")])
         + alt.Chart(pd.DataFrame({"one": [1.0]})).mark_rule(strokeDash=[4, 4], color="grey").encode(x="one:Q"))
        .properties(height=max(200, 30 * len(forest))), key="disclosure_forest")

# --------------------------------------------------------------------------- within k
st.subheader(t("disclosure.within", k=k))
st.caption(t("disclosure.within_help", k=k))
shares = within.shares[within.shares["age_group"] == age]
st.dataframe(pd.DataFrame({
    t("disclosure.move"): shares["move"].map(label),
    t("disclosure.occurrences"): shares["occurrences"].map(count_text),
    t("disclosure.followed"): shares["followed"].map(count_text),
    t("disclosure.share"): shares["share"].map(share_text),
}), hide_index=True, key="disclosure_within")
bars = labelled(shares.dropna(subset=["share"]), "move")
if not bars.empty:
    st.altair_chart(alt.Chart(bars.assign(share=bars["share"].astype(float))).mark_bar().encode(
        y=alt.Y("move:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)), x=alt.X("share:Q", axis=alt.Axis(format="%"),
                                                          title=t("disclosure.share"))), key="disclosure_within_chart")
suppression_note()

# --------------------------------------------------------------------------- sequence
st.subheader(t("disclosure.sequence"))
ids = cached(disclosure_conversations)(filters)
if not ids:
    st.info(t("disclosure.no_disclosures"))
    st.stop()
chosen = st.selectbox(t("disclosure.conversation"), ids, key="disclosure_conversation")
timeline = cached(sequence)(chosen)
turn = timeline.loc[timeline["disclosure"], "message_index"]
marks = timeline.dropna(subset=["move"]).assign(
    move_label=lambda f: f["move"].map(label), speaker_label=lambda f: f["speaker"].map(label))
order = list(dict.fromkeys(marks.sort_values(["speaker", "move"], ascending=[True, True])["move_label"]))
chart = alt.Chart(marks).mark_square(size=140).encode(
    x=alt.X("message_index:O", title=t("disclosure.message")),
    y=alt.Y("move_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
    color=alt.Color("speaker_label:N", title=None),
    tooltip=[alt.Tooltip("message_index:O", title=t("disclosure.message")),
             alt.Tooltip("move_label:N", title=t("disclosure.move")), alt.Tooltip("source:N")])
if len(turn):
    at = int(turn.iloc[0])
    window = pd.DataFrame({"message_index": list(range(max(0, at - k), at))})
    chart = (alt.Chart(window).mark_rect(color="#f4d9b0", opacity=0.6).encode(x="message_index:O")
             + alt.Chart(pd.DataFrame({"message_index": [at]})).mark_rect(color="#d9822b", opacity=0.5)
             .encode(x="message_index:O") + chart)
    st.caption(t("disclosure.sequence_help", turn=at, k=k))
st.container(key="disclosure_timeline").altair_chart(chart.properties(height=max(160, 24 * len(order))))
