"""The focus age group (11–13 in the taxonomy): what they contact the helpline
about, month by month and next to all ages."""

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
from app_streamlit.i18n import t
from app_streamlit.shell import require
from research.analysis.dimensions import TOTAL, categories_with_parents, focus_age_group
from research.analysis.report import available_years, focus_breakdown
from research.analysis.trends import Filters, trend_table
from research.store import Page

user = require(Page.explore)
group = focus_age_group()
st.title(t("focus.title", group=label(group)))
st.caption(t("focus.intro", group=label(group)))
refresh_button("focus_refresh")

filters = filter_bar("focus", cached(available_years)(), category=False, fixed_age_group=group)

breakdown = cached(focus_breakdown)(Filters(**{**filters.active(), "age_group": None}), group)
st.subheader(t("focus.breakdown", group=label(group)))
view = pd.DataFrame({
    t("explore.category"): breakdown["category"].map(label),
    label(group): breakdown["group"].map(count_text),
    t("focus.share_group", group=label(group)): breakdown["group_share"].map(share_text),
    t("focus.all_ages"): breakdown["all"].map(count_text),
    t("focus.share_all"): breakdown["all_share"].map(share_text),
})
st.dataframe(view, hide_index=True, key="focus_breakdown")
bars = breakdown.dropna(subset=["group_share", "all_share"])
bars = bars[~bars["category"].isin(list(categories_with_parents()[1]))]
if not bars.empty:
    long = pd.concat([
        labelled(bars, "category").assign(who=label(group), share=bars["group_share"].astype(float)),
        labelled(bars, "category").assign(who=t("focus.all_ages"), share=bars["all_share"].astype(float)),
    ])[["category", "who", "share"]]
    st.altair_chart(
        alt.Chart(long).mark_bar().encode(
            y=alt.Y("category:N", sort=None, title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X("share:Q", axis=alt.Axis(format="%"),
                                                                   title=t("focus.share_axis")),
            color=alt.Color("who:N", title=None), yOffset="who:N",
            tooltip=["category:N", "who:N", alt.Tooltip("share:Q", format=".1%")])
        .properties(height=max(240, 30 * len(bars))), key="focus_chart")

st.subheader(t("focus.by_month", group=label(group)))
table = cached(trend_table)(["month", "category"], filters)
st.container(key="focus_table").dataframe(wide_labels(table.wide("category", "month")), width="stretch")
suppression_note()
download_buttons(user, table, "focus", by=["month", "category"], year=filters.year)
frame = table.long()
lines = frame[(frame["month"] != TOTAL) & frame["category"].isin(list(categories_with_parents()[1]))]
lines = labelled(lines.dropna(subset=["count"]).assign(count=lambda f: f["count"].astype(int)), "category")
if not lines.empty:
    st.altair_chart(alt.Chart(lines).mark_line(point=True).encode(
        x=alt.X("month:O", title=t("explore.month")), y=alt.Y("count:Q", title=t("explore.count")),
        color=alt.Color("category:N", title=t("explore.category"))).properties(height=280), key="focus_lines")
