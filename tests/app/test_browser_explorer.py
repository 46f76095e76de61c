"""The explorer pages in Chromium: a researcher opens each one, changes a
filter and downloads an export (suppressed, and written to the audit log);
a data scientist opens the Models page. Screenshots go to
test-artifacts/screenshots/explorer-*.png."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from app_harness import key, login, screenshot, start_app, wait_idle
from playwright.sync_api import expect

from research.analysis.bulk_load import load
from research.corpus.synth import generate
from research.store import AuditAction, Decision, open_store

pytestmark = pytest.mark.browser

FAST_BCRYPT = 4
PASSWORDS = {"rita": "rita-researcher-pw-4711", "dan": "dan-datascience-pw-4711",
             "anna": "anna-counsellor-pw-4711", "bo": "bo-counsellor-pw-4711"}
ROLES = {"rita": "researcher", "dan": "data_scientist", "anna": "counsellor", "bo": "counsellor"}
EXPLORER_PAGES = {  # menu entry -> (screenshot name, a heading the page shows), in Norwegian, the default
    "11–13 år": ("focus", "11–13 år i fokus"),
    "Avdekkingsanalyse": ("disclosure", "Avdekkingsanalyse"),
    "Årsrapport": ("annual_report", "Årsrapport"),
    "Enighet": ("agreement", "Enighet mellom kodere"),
}


@pytest.fixture(scope="module")
def explorer_app(tmp_path_factory):
    """A generated year (gold labels as the machine's) with a few double-coded
    conversations, and the app on it."""
    home = tmp_path_factory.mktemp("explorer-app")
    db_url = f"sqlite:///{home / 'store' / 'disclosure.db'}"
    store = open_store(db_url, bcrypt_rounds=FAST_BCRYPT)
    conversations = list(generate(1500, 17, year=2024))
    load(store, conversations)
    for name, role in ROLES.items():
        store.users.add(name, role, PASSWORDS[name])
    for conversation in conversations[:12]:  # double coded: anna and bo decide one category each
        cid, code = conversation["conversation_id"], (conversation["categories"] or ["mobbing"])[0]
        for coder, decision in (("anna", "accept"), ("bo", "accept" if len(cid) % 3 else "reject")):
            version = store.conversations.get(cid).label_version
            store.reviews.save(cid, coder, version, [Decision.category(code, decision)])
    app = start_app(home, db_url)
    try:
        yield app, store
    finally:
        app.stop()
        store.close()


def choose(page, widget: str, option: str) -> None:
    """Pick ``option`` in the selectbox with key ``widget``."""
    wait_idle(page)
    page.locator(f"{key(widget)} [role='combobox']").click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def open_page(page, entry: str) -> None:
    """Follow the sidebar menu (a new URL would start a new, signed-out session)."""
    wait_idle(page)
    page.get_by_role("link", name=entry, exact=True).click()
    wait_idle(page)


def test_researcher_explores_every_page_filters_and_downloads(explorer_app, page):
    app, store = explorer_app
    login(page, app.url, "rita", PASSWORDS["rita"], path="trends")
    expect(page.get_by_role("heading", name="Trender", exact=True)).to_be_visible()
    expect(page.locator(key("trends_chart"))).to_be_visible()
    screenshot(page, "explorer-trends")

    choose(page, "trends_year", "2024")
    choose(page, "trends_channel", "Chat")
    expect(page.locator(key("trends_table"))).to_contain_text("2024-12")
    with page.expect_download() as download:
        page.locator(f"{key('trends_download_csv')} button").click()
    exported = pd.read_csv(io.BytesIO(download.value.path().read_bytes()), dtype=str)
    assert {"month", "category", "count", "human", "machine"} <= set(exported.columns)
    numbers = pd.to_numeric(exported["count"], errors="coerce")
    assert not numbers.between(1, 5).any() and (exported.loc[numbers.isna(), "count"] == ":").all()
    entry = store.audit.entries(action=AuditAction.export, username="rita", limit=1)  # written before the file left
    assert entry and entry[0].detail["table"] == "trends" and entry[0].detail["via"] == "app"
    assert entry[0].detail["year"] == 2024
    screenshot(page, "explorer-trends-filtered")

    for entry, (name, heading) in EXPLORER_PAGES.items():
        open_page(page, entry)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        wait_idle(page)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        screenshot(page, f"explorer-{name}")

    open_page(page, "Avdekkingsanalyse")
    page.locator(f"{key('disclosure_k')} input[type='range']").press("ArrowRight")  # k: 3 -> 4
    wait_idle(page)
    expect(page.get_by_text("de 4 meldingene før den").first).to_be_visible()
    expect(page.locator(key("disclosure_timeline"))).to_be_visible()
    screenshot(page, "explorer-disclosure-k4")

    open_page(page, "Årsrapport")
    with page.expect_download() as download:
        page.locator(f"{key('report_download_html')} button").click()
    document = download.value.path().read_text(encoding="utf-8")
    assert "Årsrapport 2024" in document and "<script" not in document
    entry = store.audit.entries(action=AuditAction.export, username="rita", limit=1)  # made on click, and audited
    assert entry[0].detail == {"table": "annual_report", "format": "html", "rows": 0, "via": "app", "year": 2024,
                               "threshold": 5}

    page.locator(f"{key('lang_en')} label").click()  # the English switch: labels from the taxonomy follow
    expect(page.get_by_role("heading", name="Annual report", exact=True)).to_be_visible()
    expect(page.locator(key("report_categories"))).to_contain_text("Violence and abuse")
    screenshot(page, "explorer-annual_report-en")
    page.locator(f"{key('lang_en')} label").click()
    expect(page.get_by_role("heading", name="Årsrapport", exact=True)).to_be_visible()

    expect(page.get_by_role("link", name="Modeller")).to_have_count(0)  # not a researcher's page ...
    login(page, app.url, "rita", PASSWORDS["rita"], path="models")  # ... and refused by URL
    expect(page.get_by_text("Du har ikke tilgang til denne siden.")).to_be_visible()


def test_data_scientist_opens_models_and_sees_no_downloads(explorer_app, page):
    app, _ = explorer_app
    login(page, app.url, "dan", PASSWORDS["dan"], path="models")
    expect(page.get_by_role("heading", name="Modeller", exact=True)).to_be_visible()
    wait_idle(page)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    screenshot(page, "explorer-models")
    open_page(page, "Trender")
    expect(page.get_by_role("heading", name="Trender", exact=True)).to_be_visible()
    wait_idle(page)
    expect(page.locator(key("trends_download_csv"))).to_have_count(0)  # may explore, may not export
