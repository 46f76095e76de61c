"""Running the app for browser tests: a free localhost port, a temporary data
folder and database, ``disclosure app`` in its own process group, readiness
by polling ``/_stcore/health``; Playwright driving Debian's Chromium.

Reuse from any browser test in tests/app/ (fixtures in tests/app/conftest.py)::

    app = start_app(home, db_url)          # RunningApp; app.stop() when done
    page = browser.new_page(...)
    login(page, app.url, "anna", password)
    screenshot(page, "review")

benchmarks/explorer_pages.py imports it too (page render times in Chromium).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, expect

PROJECT_DIR = Path(__file__).resolve().parents[2]
SCREENSHOTS = PROJECT_DIR / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1440, "height": 1000}
STARTUP_SECONDS = 90  # generous: the machine is shared with parallel test workers


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def disclosure_command() -> list[str]:
    script = Path(sys.executable).parent / "disclosure"
    return [str(script)] if script.exists() else [sys.executable, "-m", "research.cli"]


@dataclass
class RunningApp:
    url: str  # ends with "/"
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) if self.log.exists() else ""


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def start_app(home: Path, db_url: str | None = None, *, extra_env: dict[str, str] | None = None,
              log_dir: Path | None = None) -> RunningApp:
    """``disclosure app`` on a free port with ``home`` as DISCLOSURE_HOME; returns once healthy.
    Its output goes to ``app-<port>.log`` in ``log_dir`` (default: ``home``)."""
    port = free_port()
    env = {**os.environ, "DISCLOSURE_HOME": str(home), **(extra_env or {})}
    if db_url:
        env["DISCLOSURE_DB_URL"] = db_url
    home.mkdir(parents=True, exist_ok=True)
    log_dir = log_dir or home
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"app-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen([*disclosure_command(), "app", "--port", str(port), "--host", "127.0.0.1"],
                                   env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                   cwd=PROJECT_DIR)
    app = RunningApp(f"http://127.0.0.1:{port}/", process, log)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with {process.returncode}:\n{app.log_tail()}")
        if _healthy(app.url):
            return app
        time.sleep(0.25)
    app.stop()
    raise RuntimeError(f"the app did not become healthy in {STARTUP_SECONDS}s:\n{app.log_tail()}")


# --------------------------------------------------------------------------- page helpers


def key(name: str) -> str:
    """CSS selector of the Streamlit element (widget or container) with ``key=name``."""
    return f".st-key-{name}"


def wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished the current script run."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=30_000)


def click(page: Page, name: str) -> None:
    """Click the button with ``key=name`` once the previous script run is over."""
    wait_idle(page)
    page.locator(f"{key(name)} button").click()


def expect_text(page: Page, name: str, text: str) -> None:
    """Wait until the element with ``key=name`` shows ``text`` (while Streamlit
    redraws, the old copy of an element can linger beside the new one)."""
    expect(page.locator(key(name)).filter(has_text=text)).to_have_count(1)


def login(page: Page, url: str, username: str, password: str, path: str = "") -> None:
    """Open ``url + path`` and submit the login form (the page asked for opens after it)."""
    page.goto(url + path)
    fill_login(page, username, password)


def fill_login(page: Page, username: str, password: str) -> None:
    page.locator(f"{key('login_username')} input").fill(username)
    page.locator(f"{key('login_password')} input").fill(password)
    page.locator(f"{key('login_submit')} button").click()
    expect(page.locator(key("logout"))).to_be_visible(timeout=30_000)


def screenshot(page: Page, name: str, folder: Path = SCREENSHOTS) -> Path:
    """The whole page as <folder>/<name>.png (test-artifacts/screenshots/ by default).
    Streamlit scrolls inside its main area, so the window is stretched to fit it first."""
    folder.mkdir(parents=True, exist_ok=True)
    wait_idle(page)
    viewport = page.viewport_size or VIEWPORT
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight ?? 0")
    page.set_viewport_size({"width": viewport["width"], "height": max(viewport["height"], min(height, 6000))})
    path = folder / f"{name}.png"
    try:
        page.wait_for_timeout(200)  # let the layout settle at the new size
        page.screenshot(path=str(path))
    finally:
        page.set_viewport_size(viewport)
    return path
