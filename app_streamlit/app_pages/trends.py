"""Trends: counts by month and category, age group, gender or channel (current
labels: counsellors' decisions where made, machine suggestions elsewhere),
the share decided by counsellors, and prevalence corrected for the model's errors."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_streamlit.explorer.widgets import (
    cached,
    count_text,
    download_buttons,
    filter_bar,
    label,
    labelled,
    refresh_button,
    share_text,
    suppression_note,
    wide_labels,
)
from app_streamlit.i18n import number, t
from app_streamlit.shell import require
from research.analysis.dimensions import TOTAL
from research.analysis.prevalence import corrected_prevalence
from research.analysis.report import available_years
from research.analysis.trends import Filters, trend_table
from research.contracts import load_taxonomy
from research.store import Page

BREAKDOWNS = ("category", "age_group", "gender", "channel")

user = require(Page.explore)
st.title(t("trends.title"))
st.caption(t("trends.intro"))
refresh_button("trends_refresh")

filters = filter_bar("trends", cached(available_years)())
by = st.segmented_control(t("trends.breakdown"), BREAKDOWNS, default="category", required=True, key="trends_by",
                          format_func=lambda d: t(f"explore.{d}"))
table = cached(trend_table)(["month", by], filters)
frame = table.long()

# --------------------------------------------------------------------------- chart
levels = [level for level in frame[by].unique() if level != TOTAL]
groups = list(load_taxonomy().groups)  # the top level: parents and parent-less categories
default = [c for c in groups if c in levels] if by == "category" and filters.category is None else levels
chosen = st.multiselect(t("trends.series"), levels, default=default, key=f"trends_series_{by}", format_func=label)
points = frame[(frame["month"] != TOTAL) & frame[by].isin(chosen)].dropna(subset=["count"])
points = labelled(points.assign(count=points["count"].astype(int)), by).rename(columns={by: "series"})
if points.empty:
    st.info(t("explore.no_data"))
else:
    chart = (alt.Chart(points).mark_line(point=True)
             .encode(x=alt.X("month:O", title=t("explore.month")), y=alt.Y("count:Q", title=t("explore.count")),
                     color=alt.Color("series:N", title=t(f"explore.{by}")),
                     tooltip=[alt.Tooltip("series:N", title=t(f"explore.{by}")), "month:O",
                              alt.Tooltip("count:Q", title=t("explore.count"))])
             .properties(height=320).interactive(bind_y=False))
    st.container(key="trends_chart").altair_chart(chart)

# --------------------------------------------------------------------------- table
st.subheader(t("trends.table"))
st.container(key="trends_table").dataframe(wide_labels(table.wide(by, "month")), width="stretch")
if table.measure == "labels":
    totals = frame[frame["month"] == TOTAL]
    sources = pd.DataFrame({t(f"explore.{by}"): totals[by].map(label),
                            t("explore.count"): totals["count"].map(count_text),
                            t("trends.human_share"): totals["human_share"].map(share_text)})
    with st.expander(t("trends.sources")):
        st.caption(t("trends.sources_help"))
        st.dataframe(sources, hide_index=True, key="trends_sources")
else:
    st.caption(t("trends.conversations_note"))
suppression_note()
download_buttons(user, table, "trends", by=["month", by], year=filters.year)

# --------------------------------------------------------------------------- corrected prevalence
st.subheader(t("trends.corrected"))
st.caption(t("trends.corrected_help"))
corrected = cached(corrected_prevalence)(Filters(**{**filters.active(), "category": None}))
if corrected["validation"].max() == 0:
    st.info(t("trends.corrected_no_reviews"))
shown = corrected.dropna(subset=["estimate"])
if not shown.empty:
    view = pd.DataFrame({
        t("explore.category"): shown["code"].map(label),
        t("trends.raw"): shown["count"].astype(int),
        t("trends.estimate"): shown["estimate"].astype(int),
        t("trends.interval"): [f"{int(lo)}–{int(hi)}" for lo, hi in zip(shown["low"], shown["high"], strict=True)],
        t("trends.tpr"): shown["tpr"].map(lambda v: number(v) if pd.notna(v) else "–"),
        t("trends.fpr"): shown["fpr"].map(lambda v: number(v) if pd.notna(v) else "–"),
    })
    st.dataframe(view, hide_index=True, key="trends_corrected")
    bars = labelled(shown, "code")
    base = alt.Chart(bars).encode(y=alt.Y("code:N", sort=None, title=None, axis=alt.Axis(labelLimit=260)))
    st.altair_chart(
        (base.mark_rule(color="#3b6ea5").encode(x=alt.X("low:Q", title=t("trends.estimate")), x2="high:Q")
         + base.mark_point(filled=True, color="#3b6ea5").encode(x="estimate:Q")
         + base.mark_tick(color="#d9822b", thickness=2).encode(x="count:Q"))
        .properties(height=max(200, 26 * len(bars))), key="trends_corrected_chart")
    st.caption(t("trends.corrected_legend"))
