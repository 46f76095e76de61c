"""The Review page's few style rules: chat bubbles by speaker, pseudonym
tags, compact one-click category buttons. Injected once per run."""

from __future__ import annotations

import streamlit as st

REVIEW_CSS = """
<style>
div[class*="st-key-msg_counsellor_"] { background: #f4f6f8; }
div[class*="st-key-msg_user_"] { background: #eaf3fb; }
mark.pseudonym { background: #fde8a6; color: #5a4300; border-radius: 4px; padding: 0 3px;
                 font-family: monospace; font-size: 0.9em; }
.st-key-add_categories button { min-height: 0; padding: 0.1rem 0.55rem; }
.st-key-add_categories button p { font-size: 0.85rem; }
.message-text { font-size: 1rem; line-height: 1.45; white-space: pre-wrap; }
</style>
"""


def inject() -> None:
    st.html(REVIEW_CSS)
