"""The app's pages as ONE table: who may open what, in which menu section.

Adding a page (e.g. an explorer page):

1. Write ``app_streamlit/app_pages/<name>.py``. Start it with::

       from app_streamlit.shell import require
       from research.store import Page

       user = require(Page.explore)   # refuses (and stops) unless the role may open it

   then draw the page with strings from :mod:`app_streamlit.i18n` (``t("<name>.title")``)
   and numbers from ``research.analysis`` / ``research.store`` only.
2. Add one :class:`PageSpec` row to :data:`PAGES` below: ``key`` is the URL path
   and gives the title's i18n key ``page.<key>``; ``permission`` is the
   :class:`research.store.Page` whose holders may open it (roles → permissions
   live in ``research.store.roles.ROLE_PAGES``); ``section`` is the menu section.
3. Add ``page.<key>`` (and your page's strings) to BOTH languages in
   :mod:`app_streamlit.i18n`.

NOT ``app_streamlit/pages/``: a folder named ``pages`` beside ``main.py``
switches Streamlit to its old directory-based multipage mode, which never runs
``main.py`` (so no login, no navigation table). The launcher refuses to start
while such a folder exists.

Browser tests of a page: tests/app/app_harness.py (start the app on a free
port, log in, screenshots) and the fixtures in tests/app/conftest.py; the
``page`` fixture fails a test whose page fetched anything from outside the
machine (CDN, web fonts, a ``:material/...:`` favicon).

The shell then shows the page in the menu of every role that holds the
permission; for the other roles the URL exists but only says "no access"
(see :func:`navigation_for`). Table order is menu order; a role's landing page
is the first row it may open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from research.store import Page, Role, can_open

APP_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class PageSpec:
    key: str  # URL path (/<key>) and i18n title key page.<key>
    file: str  # page script, relative to app_streamlit/
    permission: Page  # the research.store permission a role needs to open it
    section: str  # menu section: one of SECTIONS
    icon: str = ":material/article:"

    @property
    def title_key(self) -> str:
        return f"page.{self.key}"

    @property
    def path(self) -> Path:
        return APP_DIR / self.file


# Menu sections, in menu order; each is the i18n key "nav.<section>".
SECTIONS = ("review", "explore", "models", "admin")

PAGES: tuple[PageSpec, ...] = (
    PageSpec("review", "app_pages/review.py", Page.review, "review", ":material/fact_check:"),
    # --- explorer pages (research.analysis) are registered below this line: Page.explore in
    # section "explore" (Page.export where a page downloads tables), the Models page Page.models
    # in section "models" ---
    PageSpec("trends", "app_pages/trends.py", Page.explore, "explore", ":material/show_chart:"),
    PageSpec("focus", "app_pages/focus.py", Page.explore, "explore", ":material/child_care:"),
    PageSpec("disclosure", "app_pages/disclosure.py", Page.explore, "explore", ":material/timeline:"),
    PageSpec("annual_report", "app_pages/annual_report.py", Page.explore, "explore", ":material/summarize:"),
    PageSpec("agreement", "app_pages/agreement.py", Page.explore, "explore", ":material/handshake:"),
    PageSpec("models", "app_pages/models.py", Page.models, "models", ":material/model_training:"),
    # --- administration ---
    PageSpec("users", "app_pages/users.py", Page.users, "admin", ":material/group:"),
    PageSpec("audit", "app_pages/audit.py", Page.audit, "admin", ":material/policy:"),
)


def page(key: str) -> PageSpec:
    for spec in PAGES:
        if spec.key == key:
            return spec
    raise KeyError(f"no page {key!r} in app_streamlit.navigation.PAGES")


def pages_for_role(role: Role | str) -> list[PageSpec]:
    """The pages a role may open, in menu order."""
    return [spec for spec in PAGES if can_open(role, spec.permission)]


def landing_page(role: Role | str) -> PageSpec | None:
    allowed = pages_for_role(role)
    return allowed[0] if allowed else None


@dataclass(frozen=True)
class NavEntry:
    """What :func:`navigation_for` decides about one URL; the shell turns it
    into an ``st.Page``."""

    key: str
    title_key: str
    icon: str
    section: str | None  # None: not in the menu (hidden)
    target: str | Path | Callable[[], None]  # page script, or the shell's stand-in
    default: bool = False


def navigation_for(role: Role | str | None, *, login: Callable[[], None],
                   forbidden: Callable[[], None]) -> list[NavEntry]:
    """Every page's URL for this session.

    Signed out (``role`` None): the login form is the landing page and every
    page's URL shows the login form too, so a deep link survives logging in.
    Signed in: the pages the role may open are in the menu; the others keep
    their URL but run ``forbidden`` and are hidden from the menu.
    """
    if role is None:
        entries = [NavEntry("login", "page.login", ":material/login:", None, login, default=True)]
        return entries + [NavEntry(s.key, s.title_key, s.icon, None, login) for s in PAGES]
    landing = landing_page(role)
    entries = []
    for spec in PAGES:
        if can_open(role, spec.permission):
            entries.append(NavEntry(spec.key, spec.title_key, spec.icon, spec.section, spec.path,
                                    default=spec is landing))
        else:
            entries.append(NavEntry(spec.key, spec.title_key, spec.icon, None, forbidden))
    if landing is None:  # a role with no page at all still needs a landing page
        entries.insert(0, NavEntry("noaccess", "app.forbidden", ":material/block:", None, forbidden, default=True))
    return entries
