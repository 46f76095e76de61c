"""Load what the pages import while the user is still signing in.

A fresh app process spends about a second importing pandas, SciPy,
scikit-learn and Altair the first time a page needs them; that second would
land on the first page a researcher opens. Importing them on a background
thread as soon as the app serves its first script run (the sign-in page)
moves it out of the way. Imports are thread-safe; a page that needs a module
still loading simply waits for it.
"""

from __future__ import annotations

import importlib
import threading

# What the explorer and review pages import beyond Streamlit itself.
PAGE_MODULES = (
    "pandas", "altair",
    "research.analysis.agreement", "research.analysis.commands", "research.analysis.precursors",
    "research.analysis.prevalence", "research.analysis.report", "research.analysis.trends",
    "research.reporting.documents",
    "app_streamlit.explorer.widgets", "app_streamlit.review.panels", "app_streamlit.review.queue",
)

_lock = threading.Lock()
_thread: threading.Thread | None = None


def _import_all() -> None:
    for name in PAGE_MODULES:
        importlib.import_module(name)


def start_once() -> threading.Thread:
    """Start the import thread the first time this process asks; return it."""
    global _thread
    with _lock:
        if _thread is None:
            _thread = threading.Thread(target=_import_all, name="page-imports", daemon=True)
            _thread.start()
        return _thread
