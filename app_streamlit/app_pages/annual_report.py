"""Annual report: the helpline's key-figure tables for a chosen year, and the
same report as a self-contained HTML file to download (audited)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_streamlit.explorer.widgets import (
    audited_download,
    cached,
    count_text,
    download_buttons,
    label,
    labelled,
    on_store,
    refresh_button,
    share_text,
    suppression_note,
    wide_labels,
)
from app_streamlit.i18n import current_language, t
from app_streamlit.shell import require
from research.analysis.dimensions import TOTAL
from research.analysis.report import annual_report, available_years, shares
from research.reporting.documents import report_document
from research.store import Page

user = require(Page.explore)
st.title(t("report.title"))
refresh_button("report_refresh")
years = cached(available_years)()
if not years:
    st.info(t("explore.no_data"))
    st.stop()
year = st.selectbox(t("explore.year"), years, key="report_year")
report = cached(annual_report)(year)
contacts = report.contacts
st.metric(t("report.contacts"), ":" if pd.isna(contacts) else f"{int(contacts):,}".replace(",", " "))
document = on_store(report_document, year, lang=current_language())  # built on click only: seconds of charts
audited_download(user, t("report.download"), lambda: document().encode("utf-8"), f"arsrapport-{year}.html",
                 "text/html", key="report_download_html", what="annual_report", fmt="html", year=year)
suppression_note(report.threshold)


def bar(frame: pd.DataFrame, x: str, y: str, *, percent: bool = False, key: str) -> None:
    frame = frame.dropna(subset=[y])
    if frame.empty:
        return
    axis = alt.Axis(format="%") if percent else alt.Axis()
    st.altair_chart(alt.Chart(frame.assign(**{y: frame[y].astype(float)})).mark_bar().encode(
        x=alt.X(f"{x}:N", sort=list(frame[x]), title=None), y=alt.Y(f"{y}:Q", axis=axis, title=None)).properties(height=220),
        key=key)


st.subheader(t("report.channels"))
channels = report.tables["channels"]
by_channel = channels.long().set_index("channel")[["count"]].map(count_text).T
st.dataframe(wide_labels(by_channel).set_axis([t("explore.count")]), key="report_channels")
bar(labelled(channels.long()[channels.long()["channel"] != TOTAL], "channel"), "channel", "count",
    key="report_channels_chart")
download_buttons(user, channels, "report_channels", by=["channel"], year=year)

st.subheader(t("report.gender"))
gender = shares(report.tables["gender"], "gender")
wide = gender.pivot(index="gender", columns="channel", values="share")
wide = wide.reindex(index=gender["gender"].unique(), columns=gender["channel"].unique())
st.dataframe(wide_labels(wide.map(share_text)), key="report_gender")

st.subheader(t("report.age"))
age = report.tables["age"]
st.dataframe(wide_labels(age.wide("age_group", "channel")), key="report_age")
download_buttons(user, age, "report_age", by=["channel", "age_group"], year=year)

st.subheader(t("report.categories"))
st.caption(t("report.parents_note"))
categories = report.tables["categories_by_age"]
st.container(key="report_categories").dataframe(wide_labels(categories.wide("category", "age_group")))
download_buttons(user, categories, "report_categories", by=["category", "age_group"], year=year)

st.subheader(t("report.focus", group=label(report.focus_group)))
focus = report.focus
st.dataframe(pd.DataFrame({
    t("explore.category"): focus["category"].map(label),
    t("explore.count"): focus["count"].map(count_text),
    t("trends.human_share"): focus["human_share"].map(share_text),
}), hide_index=True, key="report_focus")

st.subheader(t("report.hours"))
hours = report.tables["hours"]
st.dataframe(wide_labels(hours.wide("channel", "hour")), key="report_hours")
line = hours.long()
line = labelled(line[(line["hour"] != TOTAL) & (line["channel"] != TOTAL)].dropna(subset=["count"]), "channel")
if not line.empty:
    st.altair_chart(alt.Chart(line.assign(count=line["count"].astype(int))).mark_line(point=True).encode(
        x=alt.X("hour:O", title=t("report.hour")), y=alt.Y("count:Q", title=t("explore.count")),
        color=alt.Color("channel:N", title=t("explore.channel"))).properties(height=260), key="report_hours_chart")
