"""Review: the queue of machine suggestions waiting for a counsellor, one
conversation as a chat, and one-click decisions written to the store at once."""

from __future__ import annotations

import streamlit as st

from app_streamlit.i18n import code_label, t
from app_streamlit.review.chat import chat
from app_streamlit.review.context import ReviewContext
from app_streamlit.review.panels import categories_panel, disclosure_panel, history_panel, notices
from app_streamlit.review.queue import go_next, open_conversation_id, queue_panel
from app_streamlit.review.style import inject
from app_streamlit.shell import get_store, require
from research.store import Page

user = require(Page.review)
inject()
st.title(t("review.title"))

queue_column, main = st.columns([1, 3.4], gap="medium")
with queue_column:
    queue_ids = queue_panel(user.username)

current = open_conversation_id()

with main:
    ctx = ReviewContext.load(get_store(), current, user.username) if current else None
    if ctx is None:
        st.info(t("review.not_found", conversation_id=current) if current else t("review.pick"))
        st.stop()
    summary = ctx.view.summary
    age = t("review.age", age=summary.age) if summary.age is not None else t("review.age_unknown")
    st.subheader(summary.id)
    st.caption(t("review.meta", channel=code_label(summary.channel), started=f"{summary.started_at:%Y-%m-%d %H:%M}",
                 age=age, gender=code_label(summary.gender), n_messages=summary.n_messages,
                 version=summary.label_version))
    if ctx.independent:
        st.info(t("review.double_coding_note"), icon=":material/group:")
    if ctx.view.model is None:
        st.warning(t("review.no_model"))
    notices(ctx)
    with st.container(horizontal=True, vertical_alignment="center", key="review_actions"):
        st.button(t("review.accept_all"), key="accept_all", type="primary", icon=":material/done_all:",
                  shortcut="A", disabled=not ctx.accept_all(), **ctx.on_click(*ctx.accept_all()))
        st.button(t("review.next"), key="next", icon=":material/skip_next:", shortcut="N",
                  on_click=go_next, args=(ctx.conversation_id, queue_ids))
        st.caption(t("review.shortcuts"))
    chat_column, side = st.columns([1.7, 1.3], gap="medium")
    with chat_column:
        st.subheader(t("review.conversation"))
        chat(ctx)
    with side:
        categories_panel(ctx)
        st.divider()
        disclosure_panel(ctx)
        st.divider()
        if ctx.view.model:
            st.caption(t("review.model", model=ctx.view.model))
        history_panel(ctx)
