"""Audit log (admin): who logged in, reviewed, exported or changed users."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_streamlit.i18n import t
from app_streamlit.shell import get_store, require
from research.store import AuditAction, Page

require(Page.audit)
store = get_store()

st.title(t("audit.title"))

filters = st.columns(3)
action = filters[0].selectbox(t("audit.action"), [None, *AuditAction], key="audit_action",
                              format_func=lambda a: t("audit.all") if a is None else a.value)
usernames = [u.username for u in store.users.list()]
username = filters[1].selectbox(t("audit.user"), [None, *usernames], key="audit_user",
                                format_func=lambda u: t("audit.all") if u is None else u)
limit = filters[2].number_input(t("audit.limit"), min_value=10, max_value=5000, value=200, step=50, key="audit_limit")

entries = store.audit.entries(action=action, username=username, limit=int(limit))
if not entries:
    st.info(t("audit.empty"))
else:
    st.container(key="audit_table").dataframe(
        pd.DataFrame({
            t("audit.at"): [e.at for e in entries],
            t("audit.user"): [e.username or "–" for e in entries],
            t("audit.action"): [e.action for e in entries],
            t("audit.detail"): [", ".join(f"{k}={v}" for k, v in e.detail.items()) for e in entries],
        }),
        hide_index=True,
    )
