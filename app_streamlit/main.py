"""Entry point of the app (``disclosure app`` runs ``streamlit run`` on this file).

Builds the navigation from :mod:`app_streamlit.navigation` for whoever is
signed in, draws the shared sidebar and runs the chosen page.
"""

from __future__ import annotations

import streamlit as st

from app_streamlit.i18n import t
from app_streamlit.navigation import SECTIONS, navigation_for
from app_streamlit.shell import account_box, current_user, ensure_store, forbidden_page, language_toggle, login_page
from app_streamlit.warmup import start_once

# An emoji favicon is drawn locally; a ":material/...:" one would be fetched from Google's font CDN.
st.set_page_config(page_title=t("app.title"), page_icon="💬", layout="wide")


def _st_pages(entries) -> dict[str, list]:
    """NavEntry rows -> st.navigation's {section title: [st.Page]}; hidden ones last."""
    by_section: dict[str, list] = {t(f"nav.{s}"): [] for s in SECTIONS}
    hidden = []
    for entry in entries:
        page = st.Page(entry.target, title=t(entry.title_key), icon=entry.icon, url_path=entry.key,
                       default=entry.default, visibility="visible" if entry.section else "hidden")
        (by_section[t(f"nav.{entry.section}")] if entry.section else hidden).append(page)
    pages = {title: group for title, group in by_section.items() if group}
    if hidden:
        pages.setdefault("", []).extend(hidden)
    return pages


start_once()  # the pages' imports load while the user signs in
language_toggle()
ensure_store()
user = current_user()
chosen = st.navigation(
    _st_pages(navigation_for(user.role if user else None, login=login_page, forbidden=forbidden_page)),
    position="sidebar" if user else "hidden",
)
if user is not None:
    account_box(user)
chosen.run()
