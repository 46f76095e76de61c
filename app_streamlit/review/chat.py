"""The conversation as a chat: counsellor on the left, the child on the right,
pseudonym tags highlighted, each message's suggested moves with their
confidence, and the disclosure marker on the disclosing message (a button on
every other message of the child moves it there)."""

from __future__ import annotations

import html
import re

import streamlit as st

from app_streamlit.i18n import code_label, number, t
from app_streamlit.review.context import ReviewContext
from research.store import Decision
from research.store.views import MessageView

PSEUDONYM = re.compile(r"&lt;([A-Z][A-Z_]*?(?:_\d+)?)&gt;")  # <PERSON_1> after html.escape



def message_html(text: str) -> str:
    """De-identified text as safe HTML with its pseudonym tags marked."""
    escaped = html.escape(text)
    return '<div class="message-text">' + PSEUDONYM.sub(r'<mark class="pseudonym">&lt;\1&gt;</mark>', escaped) + "</div>"


def _moves_line(ctx: ReviewContext, message: MessageView) -> str:
    chips = [f":gray-badge[{code_label(s.code)} · {number(s.score)}]" for s in ctx.suggested_moves(message.index)]
    return " ".join(chips)


def _message(ctx: ReviewContext, message: MessageView, disclosure_turn: int | None) -> None:
    is_user = message.speaker == "user"
    if is_user:
        _, bubble = st.columns([1, 4])
    else:
        bubble, _ = st.columns([4, 1])
    with bubble.container(border=True, key=f"msg_{message.speaker}_{message.index}"):
        header = f"**{code_label(message.speaker)}** · #{message.index}"
        if message.sent_at:
            header += f" · {message.sent_at:%H:%M}"
        st.markdown(header)
        if message.index == disclosure_turn:
            with st.container(key=f"disclosure_marker_{message.index}"):
                st.markdown(f":red-badge[:material/flag: {t('review.disclosure_marker')}]")
        st.html(message_html(message.text))
        moves = _moves_line(ctx, message)
        if moves:
            st.caption(f"{t('review.moves')}: {moves}")
        if is_user and message.index != disclosure_turn:
            suggestion = ctx.suggestion_for_turn(message.index)
            st.button(t("review.disclosure_here"), key=f"disclose_{message.index}", type="tertiary",
                      icon=":material/flag:",
                      **ctx.on_click(Decision.disclosure_at(message.index, suggestion.id if suggestion else None)))


def chat(ctx: ReviewContext) -> None:
    turn = ctx.labels.disclosure.turn
    if turn is not None:  # frame the disclosing message
        st.html(f"<style>div.st-key-msg_user_{turn}, div.st-key-msg_counsellor_{turn} "
                "{ border: 2px solid #b03a2e !important; }</style>")
    for message in ctx.view.messages:
        _message(ctx, message, turn)
