"""The review queue: filters, the conversations waiting (most uncertain first,
assigned double coding on top), and which one is open.

The open conversation lives in the URL (``?conversation=ID``), so a reload or
a shared link opens it again (after logging in).
"""

from __future__ import annotations

import streamlit as st

from app_streamlit.i18n import code_label, t
from app_streamlit.shell import get_store
from research.contracts import load_taxonomy
from research.store import ConversationFilter, QueueItem
from research.store.uncertainty import most_uncertain_for

OPEN_PARAM = "conversation"
SKIPPED_KEY = "review_skipped"  # ids passed over with "next" in this session
QUEUE_LENGTH = 30
# Ordering the queue reads every open conversation's scores (about 0.1 s per
# 1,000 conversations on SQLite), so it is cached briefly; a save clears it.
QUEUE_TTL_SECONDS = 60


@st.cache_data(ttl=QUEUE_TTL_SECONDS, show_spinner=False, max_entries=256)
def queue_for(reviewer: str, filters: ConversationFilter) -> list[QueueItem]:
    return most_uncertain_for(get_store().sessions, reviewer, limit=QUEUE_LENGTH, filters=filters)


def open_conversation_id() -> str | None:
    return st.query_params.get(OPEN_PARAM)


def open_conversation(conversation_id: str | None) -> None:
    if conversation_id is None:
        st.query_params.pop(OPEN_PARAM, None)
    else:
        st.query_params[OPEN_PARAM] = conversation_id


def go_next(current: str | None, queue_ids: list[str]) -> None:
    """Open the next conversation in the queue that this session has not passed over."""
    skipped: set[str] = st.session_state.setdefault(SKIPPED_KEY, set())
    if current is not None:
        skipped.add(current)
    following = [cid for cid in queue_ids if cid != current and cid not in skipped]
    open_conversation(following[0] if following else None)


def _filters() -> ConversationFilter:
    tax = load_taxonomy()
    all_ = t("review.filter_all")

    def label(code):
        return all_ if code is None else code_label(code)

    disjoint_groups = [code for code, group in tax.age_groups.items() if not group.overlapping]
    category = st.selectbox(t("review.filter_category"), [None, *tax.category_codes], format_func=label,
                            key="filter_category")
    age_group = st.selectbox(t("review.filter_age_group"), [None, *disjoint_groups], format_func=label,
                             key="filter_age_group")
    channel = st.selectbox(t("review.filter_channel"), [None, *tax.channels], format_func=label, key="filter_channel")
    return ConversationFilter(category=category, age_group=age_group, channel=channel)


def _item_label(item: QueueItem) -> str:
    summary = item.conversation
    age = t("review.age", age=summary.age) if summary.age is not None else t("review.age_unknown")
    text = f"{summary.id} · {code_label(summary.channel)} · {age}"
    return f"{text} · {t('review.double_coding')}" if item.assigned else text


def queue_panel(reviewer: str) -> list[str]:
    """Draw the queue; returns its conversation ids in order."""
    st.subheader(t("review.queue"), help=t("review.queue_help"))
    filters = _filters()
    items = queue_for(reviewer, filters)
    if not items:
        st.info(t("review.queue_empty"))
    current = open_conversation_id()
    if current is None and items:  # open the most uncertain one
        current = items[0].conversation.id
        open_conversation(current)
    with st.container(key="queue", gap="small", height=560):
        for item in items:
            cid = item.conversation.id
            st.button(_item_label(item), key=f"queue_{cid}", width="stretch",
                      type="primary" if cid == current else "secondary",
                      icon=":material/group:" if item.assigned else None,
                      on_click=open_conversation, args=(cid,))
    return [item.conversation.id for item in items]
