"""What the explorer pages share: the filter bar, cached calls into
``research.analysis`` (numbers come only from there), labelled tables, the
suppression note and audited downloads. No statistics and no SQL here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

import pandas as pd
import streamlit as st

from app_streamlit.i18n import code_label, current_language, number, t
from app_streamlit.shell import get_store
from research.analysis.commands import record_export
from research.analysis.dimensions import TOTAL, UNKNOWN
from research.analysis.export import export_bytes
from research.analysis.suppression import DEFAULT_THRESHOLD, SUPPRESSED
from research.analysis.trends import Filters, TrendTable, category_levels
from research.contracts import load_taxonomy
from research.store import Page, UserInfo

CACHE_SECONDS = 30  # numbers may lag new reviews by this much; every page has a refresh button


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _cached_call(_store, _function: Callable, name: str, *args, **kwargs):
    # ``name`` keys the cache by function (the function itself is not hashed)
    return _function(_store, *args, **kwargs)


def cached(function: Callable) -> Callable:
    """An analysis call on the app's store, cached per function and arguments."""
    name = f"{function.__module__}.{function.__qualname__}"

    def run(*args, **kwargs):
        return _cached_call(get_store(), function, name, *args, **kwargs)

    return run


def count_text(value) -> str:
    """A (suppressed) count for a table cell: the number, or ``:`` where hidden."""
    return SUPPRESSED if value is None or pd.isna(value) else str(int(value))


def refresh_button(key: str) -> None:
    if st.button(t("explore.refresh"), key=key, icon=":material/refresh:", type="tertiary"):
        st.cache_data.clear()


def label(code: object) -> str:
    """A code's label in the session's language (taxonomy, or total/unknown)."""
    code = str(code)
    if code == TOTAL:
        return t("explore.total")
    if code == UNKNOWN:
        return t("explore.unknown")
    return code_label(code)


def labelled(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        out[column] = out[column].map(label)
    return out


def wide_labels(wide: pd.DataFrame) -> pd.DataFrame:
    out = wide.copy()
    out.index = [label(i) for i in out.index]
    out.columns = [label(c) for c in out.columns]
    return out


def share_text(value) -> str:
    return SUPPRESSED if value is None or pd.isna(value) else f"{number(float(value) * 100, 0)} %"


def suppression_note(threshold: int = DEFAULT_THRESHOLD) -> None:
    st.caption(t("explore.suppressed_note", symbol=SUPPRESSED, low=threshold))


# --------------------------------------------------------------------------- filters


def filter_bar(prefix: str, years: Sequence[int], *, category: bool = True, age_group: bool = True,
               fixed_age_group: str | None = None) -> Filters:
    """Year, category, age group, gender and channel pickers in one row."""
    tax = load_taxonomy()
    columns = st.columns(5)
    with columns[0]:
        year = st.selectbox(t("explore.year"), [None, *years], key=f"{prefix}_year",
                            format_func=lambda y: t("explore.all") if y is None else str(y))
    chosen_category = None
    if category:
        with columns[1]:
            chosen_category = st.selectbox(t("explore.category"), [None, *category_levels()], key=f"{prefix}_category",
                                           format_func=lambda c: t("explore.all") if c is None else label(c))
    age = fixed_age_group
    if age_group and fixed_age_group is None:
        with columns[2]:
            age = st.selectbox(t("explore.age_group"), [None, *tax.age_groups, UNKNOWN], key=f"{prefix}_age_group",
                               format_func=lambda a: t("explore.all") if a is None else label(a))
    with columns[3]:
        gender = st.selectbox(t("explore.gender"), [None, *tax.genders], key=f"{prefix}_gender",
                              format_func=lambda g: t("explore.all") if g is None else label(g))
    with columns[4]:
        channel = st.selectbox(t("explore.channel"), [None, *tax.channels], key=f"{prefix}_channel",
                               format_func=lambda c: t("explore.all") if c is None else label(c))
    return Filters(year=year, category=chosen_category, age_group=age, gender=gender, channel=channel)


# --------------------------------------------------------------------------- downloads
#
# A download's bytes (CSV, Excel, the HTML report with its charts) are made
# only when the button is clicked: Streamlit calls ``data`` when it is a
# callable, in a worker thread after the page has run, and again on every
# click. Making them on every render cost the pages seconds on a large store.
# That thread has no session, so everything the file needs (store, language,
# user) is read while the page runs. ``on_click="ignore"``: a download does
# not rerun the page.

EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def audited(produce: Callable[[], bytes], what: str, username: str, **detail) -> Callable[[], bytes]:
    """``produce`` wrapped so that each file made is written to the audit log
    before it is handed over: no export leaves without its entry."""
    store = get_store()

    def download() -> bytes:
        data = produce()
        record_export(store, what, username=username, via="app", **detail)
        return data

    return download


def on_store(function: Callable, *args, **kwargs) -> Callable[[], object]:
    """An analysis call on the app's store, bound now and run later (on a click)."""
    store = get_store()
    return lambda: function(store, *args, **kwargs)


def download_buttons(user: UserInfo, table: TrendTable, name: str, *, by: Sequence[str],
                     year: int | None = None) -> None:
    """CSV and Excel downloads of a suppressed table, for roles that may export;
    each file is made on click and written to the audit log."""
    if not user.can_open(Page.export):
        return
    lang = current_language()
    with st.container(horizontal=True, key=f"{name}_downloads"):
        for fmt, mime in (("csv", "text/csv"), ("xlsx", EXCEL)):
            produce = audited(partial(export_bytes, table, fmt, lang), name, user.username, fmt=fmt,
                              rows=len(table.long()), by=list(by), year=year, threshold=table.table.threshold)
            st.download_button(t(f"explore.download_{fmt}"), produce, file_name=f"{name}.{fmt}", mime=mime,
                               key=f"{name}_download_{fmt}", icon=":material/download:", on_click="ignore")


def audited_download(user: UserInfo, label_text: str, produce: Callable[[], bytes], file_name: str, mime: str, *,
                     key: str, what: str, fmt: str, year: int | None = None) -> None:
    """One download button for a document (e.g. the annual report), made by
    ``produce`` on click only, and audited."""
    if not user.can_open(Page.export):
        return
    st.download_button(label_text, audited(produce, what, user.username, fmt=fmt, rows=0, year=year),
                       file_name=file_name, mime=mime, key=key, icon=":material/download:", on_click="ignore")
