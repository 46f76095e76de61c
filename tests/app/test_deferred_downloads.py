"""Downloads are made on click, not on render: the annual report page runs
without building its HTML document (seconds of matplotlib on a large store),
and the document, like every table export, is built, suppressed and audited
only when its button asks for it.

The page runs in Streamlit's AppTest, which has no server to ask for a
deferred file; the test records what each ``st.download_button`` was given
and calls it the way Streamlit does on a click.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import research.reporting.documents as documents
from app_streamlit.shell import USER_STATE_KEY
from research.analysis.bulk_load import load
from research.corpus.synth import generate
from research.store import AuditAction, open_store

PAGE = Path(__file__).resolve().parents[2] / "app_streamlit" / "app_pages" / "annual_report.py"
FAST_BCRYPT = 4


@pytest.fixture(scope="module")
def report_store(tmp_path_factory):
    """A generated year and one researcher."""
    url = f"sqlite:///{tmp_path_factory.mktemp('deferred') / 'disclosure.db'}"
    store = open_store(url, bcrypt_rounds=FAST_BCRYPT)
    load(store, list(generate(400, 23, year=2024)))
    store.users.add("rita", "researcher", "rita-researcher-pw-4711")
    yield url, store
    store.close()


@pytest.fixture
def page_run(report_store, monkeypatch):
    """Runs the annual report page as rita; returns (buttons by key, report_document calls, store,
    how many exports the audit log held before the run)."""
    url, store = report_store
    monkeypatch.setenv("DISCLOSURE_DB_URL", url)
    st.cache_resource.clear()  # the app's store is one per process: this test's
    st.cache_data.clear()
    built: list[int] = []
    real_document = documents.report_document

    def counted_document(*args, **kwargs):
        built.append(args[1])
        return real_document(*args, **kwargs)

    buttons: dict[str, dict] = {}
    real_button = st.download_button

    def recorded_button(label, data, **kwargs):
        buttons[kwargs["key"]] = {"data": data, **kwargs}
        return real_button(label, data, **kwargs)

    monkeypatch.setattr(documents, "report_document", counted_document)
    monkeypatch.setattr(st, "download_button", recorded_button)
    before = len(exports(store))
    app = AppTest.from_file(str(PAGE), default_timeout=120)
    app.session_state[USER_STATE_KEY] = store.users.get("rita")
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    yield buttons, built, store, before
    st.cache_resource.clear()
    st.cache_data.clear()


def exports(store) -> list:
    return store.audit.entries(action=AuditAction.export, username="rita", limit=100)


def test_the_report_page_renders_without_building_the_document(page_run):
    buttons, built, store, before = page_run
    assert built == []  # the page ran to the end, and no HTML document was made
    assert {"report_download_html", "report_channels_download_csv", "report_age_download_xlsx"} <= set(buttons)
    assert all(callable(button["data"]) for button in buttons.values())  # every file waits for its click
    assert all(button["on_click"] == "ignore" for button in buttons.values())  # a download does not rerun the page
    assert len(exports(store)) == before  # nothing was exported, so nothing new is in the audit log


def test_the_document_is_built_and_audited_on_download(page_run):
    buttons, built, store, before = page_run
    document = buttons["report_download_html"]["data"]().decode("utf-8")
    assert built == [2024]
    assert "Årsrapport 2024" in document and "<script" not in document
    entry = exports(store)[0]
    assert entry.detail == {"table": "annual_report", "format": "html", "rows": 0, "via": "app", "year": 2024,
                            "threshold": 5}
    buttons["report_download_html"]["data"]()  # each click makes (and audits) the file again
    assert built == [2024, 2024] and len(exports(store)) == before + 2


def test_table_exports_are_suppressed_and_audited_on_download(page_run):
    buttons, _, store, _ = page_run
    exported = pd.read_csv(io.BytesIO(buttons["report_age_download_csv"]["data"]()), dtype=str)
    numbers = pd.to_numeric(exported["count"], errors="coerce")
    assert not numbers.between(1, 5).any() and (exported.loc[numbers.isna(), "count"] == ":").all()
    entry = exports(store)[0]
    assert entry.detail["table"] == "report_age" and entry.detail["format"] == "csv"
    assert entry.detail["by"] == ["channel", "age_group"] and entry.detail["year"] == 2024
    assert entry.detail["rows"] == len(exported) and entry.detail["via"] == "app"
    workbook = buttons["report_age_download_xlsx"]["data"]()
    assert workbook[:2] == b"PK" and exports(store)[0].detail["format"] == "xlsx"
