"""How long each explorer page takes to render in a real browser, on a large store.

    .venv/bin/python benchmarks/explorer_pages.py [--n 100000] [--db-url URL] [--pages trends,models]

benchmarks/explorer.py times the analysis calls alone; a page does more on its
first render (Streamlit itself, labels, tables, charts, download buttons).
This starts the app the way the browser tests do (tests/app/app_harness.py) on
the store benchmarks/explorer.py builds (it never builds one itself), signs in
with Playwright on Debian's Chromium and, per page, times from the click on the
page's menu link until the page is finished: a script run that began after the
click is over (stApp's ``data-test-script-state`` back to ``notRunning``), the
page's title and its own last element are there, and every chart and table has
drawn. Times are taken in the browser, so Playwright's polling adds nothing.

* cold: the first visit after the app started; every page gets a fresh app
  process, since ``st.cache_data`` is shared by the whole process;
* warm: the same link clicked again at once (the page's analysis calls cached).

Prints seconds per page next to the 2 s target and saves a screenshot of each
page to test-artifacts/benchmarks/. The app runs with this data folder
(``DISCLOSURE_HOME``), as ``disclosure app`` would, so the Models page reads its
MLflow tracking; its logs go to <data>/benchmarks/logs/. Two accounts (a
researcher, who also sees the download buttons, and a data scientist for
Models) are added to the store on first use, their passwords kept in a private
file in the data folder. A measurement, never a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import suppress
from dataclasses import dataclass
from itertools import count
from pathlib import Path

from explorer import TARGET_SECONDS, stored
from playwright.sync_api import Browser, Error, Page, sync_playwright

from app_streamlit.i18n import code_label, translate
from app_streamlit.navigation import PAGES, page
from research.analysis.dimensions import focus_age_group
from research.analysis.export import write_atomic
from research.paths import PROJECT_DIR, data_home, data_path
from research.store import can_open, open_store
from research.store.users import generate_password

sys.path.insert(0, str(PROJECT_DIR))  # the browser tests' harness lives in tests/app/
from tests.app.app_harness import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    RunningApp,
    login,
    screenshot,
    start_app,
    wait_idle,
)

ARTIFACTS = PROJECT_DIR / "test-artifacts" / "benchmarks"
LANG = "nb"  # the app's default language: titles and menu entries are looked up in it
TIMEOUT_MS = 300_000  # the slowest cold page on a slow store still ends
QUIET_MS = 500  # a page is finished when no further run starts within this
EXCEPTION = '[data-testid="stException"]'


@dataclass(frozen=True)
class Timed:
    """One page to time: who opens it, its title, an element it draws near its end."""

    key: str  # app_streamlit.navigation key: the menu entry and URL
    role: str  # a role that may open it (a researcher also gets the download buttons)
    title: str  # i18n key of the page's st.title
    # key= of a container that every render on the benchmark store draws (an st.dataframe's key gives
    # no .st-key- class, a container's does); None: the title is the only sure element
    marker: str | None = None

    @property
    def name(self) -> str:
        return translate(page(self.key).title_key, "en")

    @property
    def link(self) -> str:
        return translate(page(self.key).title_key, LANG)

    @property
    def heading(self) -> str:
        return translate(self.title, LANG, group=code_label(focus_age_group(), LANG))


TIMED = (
    Timed("trends", "researcher", "trends.title", "trends_table"),
    Timed("focus", "researcher", "focus.title", "focus_table"),
    Timed("disclosure", "researcher", "disclosure.title", "disclosure_timeline"),
    Timed("annual_report", "researcher", "report.title", "report_categories"),
    Timed("agreement", "researcher", "agreement.title"),
    Timed("models", "data_scientist", "models.title"),
)


@dataclass
class Result:
    timed: Timed
    cold: float | None = None
    warm: float | None = None
    problem: str | None = None


# --------------------------------------------------------------------------- the store and its accounts


def store_url(n: int, db_url: str | None) -> str:
    """The benchmark store's URL; stops with the command that builds it when it is missing."""
    build = f".venv/bin/python benchmarks/explorer.py --n {n}"
    if db_url is None:
        path = data_path("benchmarks", f"explorer-{n}.db")
        if not path.exists():  # opening it would create an empty store
            raise SystemExit(f"no store at {path}: build it first with\n    {build}")
        return f"sqlite:///{path}"
    with open_store(db_url) as store:
        if not stored(store):
            raise SystemExit(f"{store.url} holds no conversations: build it first with\n    {build} --db-url URL")
    return db_url


def accounts_file() -> Path:
    return data_path("benchmarks", "explorer-pages-accounts.json")


def account(store, role: str) -> tuple[str, str]:
    """A benchmark account of ``role`` and its password, made on first use (low
    bcrypt cost: the login is not what is measured). Passwords are kept per store
    in an owner-only file; a name taken by an account whose password is not
    there is skipped (bench-researcher-2, ...)."""
    path = accounts_file()
    known = json.loads(path.read_text()) if path.exists() else {}
    passwords = known.setdefault(store.url, {})
    for n in count(1):
        username = f"bench-{role.replace('_', '-')}" + (f"-{n}" if n > 1 else "")
        user = store.users.get(username)
        if user is None:
            passwords[username] = generate_password()
            store.users.add(username, role, passwords[username])
            write_atomic(json.dumps(known, indent=1).encode("utf-8"), path)  # mkstemp: mode 0600
            return username, passwords[username]
        if username in passwords and user.active and user.role == role:
            return username, passwords[username]
    raise AssertionError("unreachable")


def outside(role: str) -> str:
    """A page ``role`` may not open: signing in there shows only "no access", so
    nothing is computed (or cached) before the first timed click."""
    return next(spec.key for spec in PAGES if not can_open(role, spec.permission))


# --------------------------------------------------------------------------- timing in the browser

# Installed once per session: the time of the last click and every change of
# Streamlit's script state (MutationObserver records keep the states a quick
# run passes through between two frames).
TRACKER = """() => {
  if (window.__bench) return;
  const app = document.querySelector('[data-testid="stApp"]');
  const bench = window.__bench = {app, click: Infinity, states: []};
  document.addEventListener('click', () => { bench.click = performance.now(); }, true);
  new MutationObserver(records => {
    const at = performance.now();
    for (const record of records) bench.states.push([at, record.oldValue]);
    bench.states.push([at, app.getAttribute('data-test-script-state')]);
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state'], attributeOldValue: true});
}"""

# performance.now() once the page is finished, else false (polled every frame).
# Elements left from an earlier run are gone once a run is over, so all that is
# checked then belongs to this page. Not Streamlit's status widget
# (stStatusWidget): this app never showed it during a run, and it fades out
# 200 ms after one ends.
FINISHED = """([heading, marker]) => {
  const bench = window.__bench, app = document.querySelector('[data-testid="stApp"]');
  if (app !== bench.app) throw new Error('the app root was replaced: the state tracker is lost');
  const ran = bench.states.some(([at, state]) => at >= bench.click && state && state !== 'notRunning');
  if (!ran || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const main = document.querySelector('[data-testid="stMain"]');
  if (![...main.querySelectorAll('h1')].some(h => h.textContent.trim() === heading)) return false;
  if (marker && !(main.querySelector(marker)?.getBoundingClientRect().height > 0)) return false;
  const drawn = (element, inner) => [...main.querySelectorAll(element)]
    .every(e => !e.checkVisibility() || e.querySelector(inner));  // in a closed expander: never drawn
  if (!drawn('[data-testid="stVegaLiteChart"]', 'svg, canvas')) return false;
  if (!drawn('[data-testid="stDataFrame"]', 'canvas')) return false;
  return performance.now();
}"""

RAN_SINCE = "since => window.__bench.states.some(([at, state]) => at > since && state && state !== 'notRunning')"


def visit(tab: Page, timed: Timed) -> float:
    """Seconds from clicking the page's menu link until the page is finished."""
    tab.get_by_role("link", name=timed.link, exact=True).click()
    marker = f".st-key-{timed.marker}" if timed.marker else None
    while True:
        done = tab.wait_for_function(FINISHED, arg=[timed.heading, marker], polling="raf",
                                     timeout=TIMEOUT_MS).json_value()
        tab.wait_for_timeout(QUIET_MS)
        if not tab.evaluate(RAN_SINCE, done):  # another run started (a rerun): wait for that one too
            return (done - tab.evaluate("window.__bench.click")) / 1000


def measure(browser: Browser, timed: Timed, db_url: str, username: str, password: str) -> Result:
    """Cold and warm visits to one page, on an app process of its own."""
    app = start_app(data_home(), db_url, log_dir=data_home() / "benchmarks" / "logs")
    context = None
    try:
        context = browser.new_context(viewport=VIEWPORT, locale="nb-NO")
        return visits(context.new_page(), timed, app, username, password)
    finally:
        if context is not None:
            context.close()
        app.stop()


def visits(tab: Page, timed: Timed, app: RunningApp, username: str, password: str) -> Result:
    result = Result(timed)
    try:
        login(tab, app.url, username, password, path=outside(timed.role))
        wait_idle(tab)
        tab.evaluate(TRACKER)
        result.cold = visit(tab, timed)
        result.warm = visit(tab, timed)
        if tab.locator(EXCEPTION).count():
            result.problem = "the page shows an exception"
        screenshot(tab, timed.key, ARTIFACTS)
    except Error as error:  # a timeout or a lost page: reported in the table, the next page still runs
        result.problem = f"{type(error).__name__}: {str(error).splitlines()[0]} (log: {app.log})"
        with suppress(Error):  # what the page showed instead
            tab.screenshot(path=str(ARTIFACTS / f"{timed.key}-failed.png"), full_page=True, timeout=10_000)
    return result


# --------------------------------------------------------------------------- report


def seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def ratio(value: float | None) -> str:
    return "–" if value is None else f"{value / TARGET_SECONDS:.0%}"


def print_table(results: list[Result]) -> None:
    print(f"\n{'page':22}{'cold s':>9}{'warm s':>9}{'target s':>10}{'cold/target':>13}{'warm/target':>13}")
    for r in results:
        print(f"{r.timed.name:22}{seconds(r.cold):>9}{seconds(r.warm):>9}{TARGET_SECONDS:>10.1f}"
              f"{ratio(r.cold):>13}{ratio(r.warm):>13}")
    for r in results:
        if r.problem:
            print(f"  {r.timed.name}: {r.problem}")
    timed = [r.cold for r in results if r.cold is not None]
    if timed:
        print(f"\nslowest cold page: {max(timed):.2f} s = {max(timed) / TARGET_SECONDS:.0%} of the "
              f"{TARGET_SECONDS:.0f} s target; screenshots in {ARTIFACTS}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="conversations in the store (its file name)")
    parser.add_argument("--db-url", default=None, help="database (default: benchmarks/explorer.py's SQLite file)")
    parser.add_argument("--pages", default=",".join(t.key for t in TIMED),
                        help="comma-separated page keys (default: every explorer page)")
    args = parser.parse_args()
    chosen = [t for t in TIMED if t.key in args.pages.split(",")]
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: run `make browser-deps` (Debian's Chromium; none is downloaded)")

    db_url = store_url(args.n, args.db_url)
    with open_store(db_url, bcrypt_rounds=4) as store:
        print(f"store: {store.url} ({stored(store):,} conversations)")
        logins = {role: account(store, role) for role in sorted({t.role for t in chosen})}
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for timed in chosen:
            print(f"  {timed.name} ...", flush=True)
            results.append(measure(browser, timed, db_url, *logins[timed.role]))
        browser.close()
    print_table(results)


if __name__ == "__main__":
    main()
