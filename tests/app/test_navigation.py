"""Who sees which page: the navigation table against the store's roles."""

from __future__ import annotations

import pytest

from app_streamlit import launch
from app_streamlit.navigation import APP_DIR, PAGES, SECTIONS, landing_page, navigation_for, pages_for_role
from research.store import Page, Role


def login():  # stand-ins the shell passes in
    pass


def forbidden():
    pass


def keys(role) -> set[str]:
    return {spec.key for spec in pages_for_role(role)}


EXPLORER = {spec.key for spec in PAGES if spec.permission == Page.explore}


def test_counsellor_sees_only_review():
    assert keys(Role.counsellor) == {"review"}


def test_researcher_sees_review_and_the_explorer_but_no_administration():
    assert keys(Role.researcher) == {"review"} | EXPLORER | {s.key for s in PAGES if s.permission == Page.export}
    assert not keys(Role.researcher) & {"users", "audit"}


def test_data_scientist_sees_models_and_the_explorer_but_not_review():
    allowed = keys(Role.data_scientist)
    assert allowed >= EXPLORER
    assert {s.key for s in PAGES if s.permission == Page.models} <= allowed
    assert not allowed & {"review", "users", "audit"}


def test_admin_sees_everything():
    assert keys(Role.admin) == {spec.key for spec in PAGES}
    assert {"users", "audit", "review"} <= keys(Role.admin)


@pytest.mark.parametrize("role", list(Role))
def test_forbidden_pages_keep_their_url_but_are_hidden_and_refuse(role):
    entries = {entry.key: entry for entry in navigation_for(role, login=login, forbidden=forbidden)}
    allowed = keys(role)
    for spec in PAGES:
        entry = entries[spec.key]
        if spec.key in allowed:
            assert entry.section == spec.section and entry.target == spec.path
        else:
            assert entry.section is None and entry.target is forbidden
    defaults = [entry for entry in entries.values() if entry.default]
    landing = landing_page(role)
    assert len(defaults) == 1
    assert defaults[0].key == (landing.key if landing else "noaccess")  # a role with no page lands on "no access"


def test_signed_out_every_url_shows_the_login_form():
    entries = navigation_for(None, login=login, forbidden=forbidden)
    assert entries[0].key == "login" and entries[0].default
    assert {entry.key for entry in entries[1:]} == {spec.key for spec in PAGES}
    assert all(entry.target is login and entry.section is None for entry in entries)


def test_the_table_is_well_formed():
    assert len({spec.key for spec in PAGES}) == len(PAGES)
    for spec in PAGES:
        assert spec.path.is_file(), f"{spec.key}: {spec.file} is missing"
        assert spec.section in SECTIONS
    # a pages/ folder beside main.py would make Streamlit bypass main.py
    assert not (APP_DIR / "pages").exists()
    launch.check_layout()


def test_launcher_turns_usage_statistics_off_and_pins_the_address():
    command = launch.streamlit_command("127.0.0.1", 8765)
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4].endswith("app_streamlit/main.py")
    flags = set(command[5:])
    assert {"--browser.gatherUsageStats=false", "--server.headless=true", "--server.address=127.0.0.1",
            "--server.port=8765", "--browser.serverAddress=127.0.0.1"} <= flags
    # listening everywhere still names the browser address, so Streamlit never looks up an external IP
    assert "--browser.serverAddress=localhost" in launch.streamlit_command("0.0.0.0", 8765)
    assert launch.app_url("0.0.0.0", 8765) == "http://localhost:8765/"


def test_launcher_passes_an_absolute_data_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCLOSURE_HOME", "relative-home")
    env = launch.app_environment({"PATH": "/usr/bin"})
    assert env["DISCLOSURE_HOME"] == str(tmp_path / "relative-home")
    assert env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] == "false"
