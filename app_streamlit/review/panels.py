"""The decision panels beside the chat: categories, disclosure, history, and
the notice left by the last save (saved / changed by someone else / refused)."""

from __future__ import annotations

import streamlit as st

from app_streamlit.i18n import code_label, number, t
from app_streamlit.review.context import ReviewContext
from app_streamlit.review.decisions import StaleSave, decide, take_notice
from research.contracts import load_taxonomy
from research.store import Decision, DecisionType, Kind, Label, ReviewRecord, Source

STATE_BADGES = {
    "machine": ("blue", "review.state_machine"),
    DecisionType.accept: ("green", "review.state_accepted"),
    DecisionType.add: ("green", "review.state_added"),
    DecisionType.reject: ("red", "review.state_rejected"),
}


# --------------------------------------------------------------------------- categories


def _state(ctx: ReviewContext, label: Label) -> str:
    color, key = STATE_BADGES["machine" if label.source == Source.machine else ctx.decision_on(label)]
    return f":{color}-badge[{t(key)}]"


def _category_row(ctx: ReviewContext, code: str, label: Label) -> None:
    suggestion = ctx.suggestion(Kind.category, code)
    machine_suggested = bool(suggestion and suggestion.suggested)
    with st.container(key=f"cat_{code}", horizontal=True, vertical_alignment="center", gap="small"):
        st.markdown(f"{code_label(code)} {_state(ctx, label)} · {number(label.score)}", width="stretch")
        human = label.source == Source.human
        if label.present and not human:
            st.button(t("review.accept"), key=f"accept_cat_{code}", icon=":material/check:",
                      **ctx.on_click(Decision.category(code, DecisionType.accept, suggestion.id)))
        if label.present:
            st.button(t("review.reject") if machine_suggested else t("review.remove"), key=f"reject_cat_{code}",
                      icon=":material/close:",
                      **ctx.on_click(Decision.category(code, DecisionType.reject,
                                                       suggestion.id if machine_suggested else None)))
        elif machine_suggested:  # a rejected suggestion can be accepted again
            st.button(t("review.undo_reject"), key=f"accept_cat_{code}", icon=":material/undo:",
                      **ctx.on_click(Decision.category(code, DecisionType.accept, suggestion.id)))


def _addable(ctx: ReviewContext) -> list[str]:
    """Categories neither present nor decided, the model's likeliest first."""
    shown = {code for code, label in ctx.labels.categories.items() if label.present or label.source == Source.human}
    codes = [code for code in load_taxonomy().category_codes if code not in shown]
    return sorted(codes, key=lambda code: -(ctx.category_score(code) or 0.0))


def categories_panel(ctx: ReviewContext) -> None:
    st.subheader(t("review.categories"))
    rows = [(code, label) for code, label in ctx.labels.categories.items()
            if label.present or label.source == Source.human]
    for code, label in sorted(rows, key=lambda row: -(row[1].score or 0.0)):
        _category_row(ctx, code, label)
    st.markdown(f"**{t('review.add_category')}**", help=t("review.add_help"))
    with st.container(key="add_categories", horizontal=True, gap="small"):
        for code in _addable(ctx):
            st.button(f"{code_label(code)} · {number(ctx.category_score(code))}", key=f"add_cat_{code}",
                      icon=":material/add:", type="secondary",
                      **ctx.on_click(Decision.category(code, DecisionType.add)))


# --------------------------------------------------------------------------- disclosure


def _source_text(reviewer: str | None, source: Source | None) -> str:
    if source == Source.human:
        return t("review.source_human", reviewer=reviewer)
    return t("review.source_machine") if source == Source.machine else t("review.source_none")


def disclosure_panel(ctx: ReviewContext) -> None:
    st.subheader(t("review.disclosure"))
    suggestion = ctx.suggestion(Kind.disclosure)
    if suggestion is not None:
        if suggestion.message_index is not None:
            st.caption(t("review.disclosure_suggested", turn=suggestion.message_index, score=number(suggestion.score)))
        else:
            st.caption(t("review.disclosure_none", score=number(suggestion.score)))
    current = ctx.labels.disclosure
    source = _source_text(current.reviewer, current.source)
    with st.container(key="disclosure_current"):
        if current.turn is not None:
            st.markdown(t("review.disclosure_current", turn=current.turn, source=source))
        else:
            st.markdown(t("review.disclosure_current_none", source=source))
    with st.container(horizontal=True, gap="small"):
        if current.source == Source.machine and current.turn is not None:
            st.button(t("review.disclosure_accept"), key="disclosure_accept", icon=":material/check:",
                      **ctx.on_click(Decision.disclosure_at(current.turn, suggestion.id)))
        if not (current.source == Source.human and current.turn is None):  # unless a human already said "none"
            st.button(t("review.disclosure_clear"), key="disclosure_clear", icon=":material/block:",
                      **ctx.on_click(Decision.no_disclosure()))


# --------------------------------------------------------------------------- history and notices


def describe(reviewer: str, decision: ReviewRecord | Decision) -> str:
    """One decision in words: "anna: accepted Bullying and harassment"."""
    if decision.kind == Kind.category:
        what = code_label(decision.code)
    elif decision.kind == Kind.move:
        what = f"{code_label(decision.code)} ({t('review.message', index=decision.message_index)})"
    elif decision.message_index is not None:
        what = f"{t('review.disclosure').lower()} · {t('review.message', index=decision.message_index)}"
    else:
        what = t("review.disclosure").lower()
    return t("review.stale_item", reviewer=reviewer, decision=t(f"review.decision.{decision.decision.value}"),
             what=what)


def history_panel(ctx: ReviewContext) -> None:
    with st.expander(t("review.history"), expanded=False):
        if not ctx.history:
            st.caption(t("review.history_empty"))
        for review in reversed(ctx.history):
            st.markdown(f"`{review.created_at:%Y-%m-%d %H:%M}` {describe(review.reviewer, review)}")


def _stale(ctx: ReviewContext, stale: StaleSave) -> None:
    with st.container(border=True, key="stale_notice"):
        st.warning(t("review.stale"), icon=":material/sync_problem:")
        for review in stale.theirs:
            st.markdown(f"- {describe(review.reviewer, review)}")
        st.markdown(t("review.stale_mine"))
        for decision in stale.mine:
            st.markdown(f"- {describe(ctx.reviewer, decision)}")
        with st.container(horizontal=True):
            st.button(t("review.stale_retry"), key="stale_retry", type="primary",
                      on_click=decide, args=(stale.conversation_id, ctx.reviewer, ctx.view.label_version, stale.mine))
            st.button(t("review.stale_dismiss"), key="stale_dismiss")


def notices(ctx: ReviewContext) -> None:
    notice = take_notice()
    if notice is None:
        return
    kind, payload = notice
    if kind == "saved":
        st.toast(t("review.saved", count=payload), icon=":material/check_circle:")
    elif kind == "stale" and payload.conversation_id == ctx.conversation_id:
        _stale(ctx, payload)
    elif kind == "error":
        st.error(t("review.error", error=payload))
