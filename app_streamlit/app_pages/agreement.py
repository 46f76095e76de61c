"""Agreement: Krippendorff's alpha and Cohen's kappa per category, between
double-coding counsellors and between the model and the counsellors."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_streamlit.explorer.widgets import cached, count_text, label, refresh_button, share_text
from app_streamlit.i18n import number, t
from app_streamlit.shell import require
from research.analysis.agreement import agreement_table
from research.store import Page


def show(table: pd.DataFrame, key: str) -> None:
    if table["units"].fillna(0).max() == 0:
        st.info(t("agreement.none"))
        return
    st.dataframe(pd.DataFrame({
        t("explore.category"): table["code"].map(label),
        t("agreement.units"): table["units"].map(count_text),
        t("agreement.agreement"): table["agreement"].map(share_text),
        t("agreement.kappa"): table["kappa"].map(lambda v: number(v) if pd.notna(v) else "–"),
        t("agreement.alpha"): table["alpha"].map(lambda v: number(v) if pd.notna(v) else "–"),
    }), hide_index=True, key=key)
    bars = table.dropna(subset=["kappa"]).assign(category=lambda f: f["code"].map(label))
    if not bars.empty:
        st.altair_chart(alt.Chart(bars).mark_bar().encode(
            y=alt.Y("category:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
            x=alt.X("kappa:Q", title=t("agreement.kappa"),
                                                                  scale=alt.Scale(domain=[-1, 1])),
            tooltip=["category:N", alt.Tooltip("kappa:Q", format=".2f"), alt.Tooltip("alpha:Q", format=".2f")])
            .properties(height=max(160, 28 * len(bars))), key=f"{key}_chart")


require(Page.explore)
st.title(t("agreement.title"))
st.caption(t("agreement.intro"))
refresh_button("agreement_refresh")

st.subheader(t("agreement.counsellors"))
st.caption(t("agreement.counsellors_help"))
show(cached(agreement_table)(), "agreement_counsellors")

st.subheader(t("agreement.model"))
st.caption(t("agreement.model_help"))
show(cached(agreement_table)(with_model=True), "agreement_model")
