"""Saving a reviewer's decisions: at once, with the label version they saw.

Buttons call :func:`decide` as their ``on_click`` callback with the
``label_version`` of the view the reviewer was looking at. When someone else
saved in between, the store refuses (:class:`StaleLabelsError`) and writes
nothing; the page then shows the other decisions next to the reviewer's own
and lets them save it again on the new version, so nothing is lost.

Double coding is the exception: a coder must not see the other coder's
decisions, so a stale save there is simply repeated on the new version (both
codings are kept; they are meant to be independent).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from app_streamlit.review.queue import queue_for
from app_streamlit.shell import get_store
from research.store import Decision, ReviewError, ReviewRecord, StaleLabelsError

NOTICE_KEY = "review_notice"  # (kind, payload) shown once on the next run
INDEPENDENT_RETRIES = 3


@dataclass(frozen=True)
class StaleSave:
    """A save the store refused because the labels had moved on."""

    conversation_id: str
    mine: tuple[Decision, ...]
    theirs: tuple[ReviewRecord, ...]


def decide(conversation_id: str, reviewer: str, seen_version: int, decisions: Sequence[Decision],
           independent: bool = False) -> None:
    """Write ``decisions`` now; leave a notice (saved / stale / error) for the page."""
    if not decisions:
        return
    store = get_store()
    for _attempt in range(INDEPENDENT_RETRIES + 1):
        try:
            saved = store.reviews.save(conversation_id, reviewer, seen_version, list(decisions))
        except StaleLabelsError as stale:
            if independent:  # the other coder's decisions stay unseen; save ours on the new version
                seen_version = stale.current_version
                continue
            st.session_state[NOTICE_KEY] = ("stale", StaleSave(conversation_id, tuple(decisions), stale.decisions))
            return
        except ReviewError as error:
            st.session_state[NOTICE_KEY] = ("error", str(error))
            return
        st.session_state[NOTICE_KEY] = ("saved", len(saved.reviews))
        queue_for.clear()  # the conversation may have left someone's queue
        return
    st.session_state[NOTICE_KEY] = ("error", f"conversation {conversation_id} keeps changing; try again")


def take_notice() -> tuple[str, object] | None:
    return st.session_state.pop(NOTICE_KEY, None)
