"""The parts every page shares: the store connection, who is signed in, the
login form, the sidebar (language, account, logout) and the page guard.

Pages call :func:`require` first; it stops the page unless the signed-in
user's role holds the permission (``research.store.roles``), so a page
refuses even when its URL is opened directly.
"""

from __future__ import annotations

import streamlit as st

from app_streamlit.i18n import LANG_STATE_KEY, t
from app_streamlit.navigation import landing_page
from research.store import AuditAction, Page, Store, StoreUnavailableError, UserInfo, open_store

USER_STATE_KEY = "signed_in_user"


@st.cache_resource(show_spinner=False)
def get_store() -> Store:
    """One store per app process (DISCLOSURE_DB_URL or the data folder's SQLite)."""
    return open_store()


def ensure_store() -> None:
    """Stop with a clear message when the database cannot be reached (retried on the next run)."""
    try:
        get_store()
    except StoreUnavailableError as error:
        st.error(t("app.store_error", error=type(getattr(error, "orig", None) or error).__name__), icon=":material/database:")
        st.stop()


# --------------------------------------------------------------------------- session


def current_user() -> UserInfo | None:
    """The signed-in user, re-read from the store on every run so a disabled
    account (or a changed role) takes effect at once."""
    signed_in: UserInfo | None = st.session_state.get(USER_STATE_KEY)
    if signed_in is None:
        return None
    fresh = get_store().users.get(signed_in.username)
    if fresh is None or not fresh.active:
        st.session_state.pop(USER_STATE_KEY, None)
        return None
    st.session_state[USER_STATE_KEY] = fresh
    return fresh


def sign_in(username: str, password: str) -> UserInfo | None:
    """Check the password with the store (which audits the attempt either way)."""
    user = get_store().users.authenticate(username.strip(), password)
    if user is not None:
        st.session_state[USER_STATE_KEY] = user
    return user


def sign_out() -> None:
    user: UserInfo | None = st.session_state.get(USER_STATE_KEY)
    if user is not None:
        get_store().audit.record(AuditAction.logout, user.username)
    lang = st.session_state.get(LANG_STATE_KEY, False)
    st.session_state.clear()
    st.session_state[LANG_STATE_KEY] = lang  # the language outlives the session
    st.session_state["just_signed_out"] = True


def require(permission: Page | str) -> UserInfo:
    """The signed-in user if their role may open ``permission``; otherwise the
    page shows "no access" and stops here."""
    user = current_user()
    if user is None or not user.can_open(permission):
        forbidden_page()
        st.stop()
    return user


# --------------------------------------------------------------------------- stand-in pages


def forbidden_page() -> None:
    st.error(t("app.forbidden"), icon=":material/block:")
    user = st.session_state.get(USER_STATE_KEY)
    landing = landing_page(user.role) if user else None
    if landing is not None:
        st.page_link(landing.file, label=t("app.go_to", page=t(landing.title_key)), icon=landing.icon)


def login_page() -> None:
    st.title(t("login.title"))
    if st.session_state.pop("just_signed_out", False):
        st.info(t("app.signed_out"))
    st.caption(t("login.intro"))
    with st.form("login", clear_on_submit=True, border=True, width=420):
        username = st.text_input(t("login.username"), key="login_username", autocomplete="username")
        password = st.text_input(t("login.password"), type="password", key="login_password",
                                 autocomplete="current-password")
        submitted = st.form_submit_button(t("login.submit"), type="primary", key="login_submit")
    if not submitted:
        return
    if not username.strip() or not password:
        st.warning(t("login.missing"))
        return
    if sign_in(username, password) is None:
        st.error(t("login.failed"), icon=":material/lock:")
        return
    st.rerun()  # draw the page the URL asked for, now signed in


# --------------------------------------------------------------------------- sidebar


def language_toggle() -> None:
    st.sidebar.caption(t("app.title"))
    st.sidebar.toggle(t("app.english"), key=LANG_STATE_KEY)


def account_box(user: UserInfo) -> None:
    with st.sidebar:
        st.divider()
        st.markdown(t("app.signed_in_as", username=user.username, role=t(f"role.{user.role.value}")))
        st.button(t("app.logout"), key="logout", on_click=sign_out, icon=":material/logout:")
