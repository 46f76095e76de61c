"""Fixtures of the app's tests: Chromium via Playwright, databases per backend,
and the app started once per backend and test module.

Browser tests of other pages reuse ``browser``, ``store_backend`` and
``app_harness.start_app`` (see tests/app/app_harness.py).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from app_harness import CHROMIUM, CHROMIUM_ARGS, VIEWPORT

from research.store.testing import postgres_available, temporary_database

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies, no session) per test. Fails the test
    if the page asked for anything beyond this machine (a CDN, web fonts,
    telemetry)."""
    context = browser.new_context(viewport=VIEWPORT, locale="nb-NO")
    context.set_default_timeout(30_000)
    remote: list[str] = []
    context.on("request", lambda request: None if _is_local(request.url) else remote.append(request.url))
    tab = context.new_page()
    yield tab
    context.close()
    assert remote == [], f"the app fetched from outside this machine: {remote}"


def _is_local(url: str) -> bool:
    host = urlsplit(url).hostname
    return url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost", "::1")


@pytest.fixture(scope="session")
def pg_database():
    """A PostgreSQL database for this test session (dropped afterwards)."""
    if not postgres_available():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    with temporary_database("disclosure_app_test") as url:
        yield url


@pytest.fixture(scope="module", params=BACKENDS)
def store_backend(request, tmp_path_factory):
    """(backend name, database URL, data folder): a fresh SQLite file, or a fresh
    PostgreSQL database dropped afterwards."""
    home = tmp_path_factory.mktemp(f"app-{request.param}")
    if request.param == "sqlite":
        yield request.param, f"sqlite:///{home / 'store' / 'disclosure.db'}", home
        return
    if not postgres_available():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    with temporary_database("disclosure_app_test") as url:
        yield request.param, url, home
