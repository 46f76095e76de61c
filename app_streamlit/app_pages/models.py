"""Models: the champion model's evaluation as logged in MLflow (read through
the classification room's helpers), or a clear message when there is none."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from app_streamlit.explorer.widgets import label
from app_streamlit.i18n import number, t
from app_streamlit.shell import require
from research.store import Page

HEADLINE = ("primary", "categories.micro_f1", "categories.macro_f1", "moves.micro_f1", "disclosure.f1",
            "disclosure.turn_within_1")


@st.cache_data(ttl=60, show_spinner=False)
def champion() -> tuple[dict | None, str | None]:
    """The champion's summary, or the reason there is none to show."""
    try:
        from research.classify.tracking import champion_summary
    except ImportError:
        return None, "models.unavailable"
    try:
        return champion_summary(), None
    except Exception as error:  # an unreachable or empty tracking store is a message, not a crash
        return None, f"models.error:{type(error).__name__}"


def per_label(metrics: dict[str, float], task: str) -> pd.DataFrame:
    rows: dict[str, dict[str, float]] = {}
    for name, value in metrics.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == task and parts[2] in ("precision", "recall", "f1"):
            rows.setdefault(parts[1], {})[parts[2]] = value
    return pd.DataFrame([{"code": code, **values} for code, values in rows.items()])


require(Page.models)
st.title(t("models.title"))
summary, problem = champion()
if problem is not None:
    reason, _, detail = problem.partition(":")
    st.info(t("models.unavailable") if reason == "models.unavailable" else t("models.error", error=detail),
            icon=":material/info:")
    st.stop()
if summary is None:
    st.info(t("models.none"), icon=":material/info:")
    st.stop()

created = datetime.fromtimestamp(summary["created"] / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")
st.caption(t("models.champion", name=summary["name"], version=summary["version"], alias=summary["alias"],
             config=summary.get("config") or "–", created=created))
metrics = summary["metrics"]
with st.container(horizontal=True, key="models_headline"):
    for name in HEADLINE:
        if name in metrics:
            st.metric(t(f"models.metric.{name.replace('.', '_')}"), number(metrics[name]))
for task in ("categories", "moves"):
    table = per_label(metrics, task)
    if table.empty:
        continue
    st.subheader(t(f"models.{task}"))
    st.dataframe(pd.DataFrame({
        t("models.label"): table["code"].map(label),
        t("models.precision"): table.get("precision", pd.Series(dtype=float)).map(number),
        t("models.recall"): table.get("recall", pd.Series(dtype=float)).map(number),
        t("models.f1"): table.get("f1", pd.Series(dtype=float)).map(number),
    }), hide_index=True, key=f"models_{task}")
