"""Users (admin): the accounts and their roles, adding one with a generated
password shown once, disabling one, and assigning double coding."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_streamlit.i18n import t
from app_streamlit.shell import get_store, require
from research.store import Page, Role, UserError

NOTICE_KEY = "users_notice"  # what the last action did, shown once

admin = require(Page.users)
store = get_store()


def add_user() -> None:
    try:
        new = store.users.add(st.session_state.new_username.strip(), st.session_state.new_role, by=admin.username)
    except UserError as exc:
        st.session_state[NOTICE_KEY] = ("error", t("users.error", error=exc), None)
    else:  # the generated password is shown on the next run only, then forgotten
        st.session_state[NOTICE_KEY] = ("success", t("users.added", username=new.user.username),
                                        new.generated_password)


def disable_user() -> None:
    username = st.session_state.disable_username
    try:
        store.users.disable(username, by=admin.username)
    except UserError as exc:
        st.session_state[NOTICE_KEY] = ("error", t("users.error", error=exc), None)
    else:
        st.session_state[NOTICE_KEY] = ("success", t("users.disabled", username=username), None)


def assign_double_coding() -> None:
    try:
        count = store.assignments.assign_double_coding(st.session_state.double_coding_share, by=admin.username)
    except ValueError as exc:
        st.session_state[NOTICE_KEY] = ("error", t("users.error", error=exc), None)
    else:
        st.session_state[NOTICE_KEY] = ("success", t("users.double_coding_done", count=count), None)


st.title(t("users.title"))
notice = st.session_state.pop(NOTICE_KEY, None)
if notice is not None:
    kind, message, password = notice
    (st.success if kind == "success" else st.error)(message)
    if password:
        st.code(password, language=None)

users = store.users.list()
st.container(key="users_table").dataframe(
    pd.DataFrame({
        t("users.username"): [u.username for u in users],
        t("users.role"): [t(f"role.{u.role.value}") for u in users],
        t("users.active"): [u.active for u in users],
        t("users.created"): [u.created_at for u in users],
    }),
    hide_index=True,
)

left, right = st.columns(2, gap="large")
with left, st.form("add_user", clear_on_submit=True):
    st.subheader(t("users.add"))
    st.text_input(t("users.username"), key="new_username")
    st.selectbox(t("users.role"), list(Role), format_func=lambda r: t(f"role.{r.value}"), key="new_role")
    st.form_submit_button(t("users.add_submit"), key="add_user_submit", on_click=add_user)

with right:
    st.subheader(t("users.disable"))
    active = [u.username for u in users if u.active and u.username != admin.username]
    st.selectbox(t("users.username"), active, key="disable_username", index=None, placeholder=t("users.choose"))
    st.button(t("users.disable"), key="disable_user", on_click=disable_user,
              disabled=st.session_state.get("disable_username") is None)

st.subheader(t("users.double_coding"))
st.caption(t("users.double_coding_help"))
st.write(t("users.double_coding_current", count=len(store.assignments.double_coded())))
with st.form("double_coding"):
    st.number_input(t("users.double_coding_share"), min_value=0.0, max_value=1.0, value=0.1, step=0.05,
                    key="double_coding_share")
    st.form_submit_button(t("users.double_coding_submit"), key="double_coding_submit", on_click=assign_double_coding)
