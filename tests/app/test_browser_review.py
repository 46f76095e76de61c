"""The review app in Chromium, on SQLite and on PostgreSQL: a counsellor's
decisions reach the store at once and survive a reload; another reviewer's
concurrent decision is shown, not overwritten; roles see only their pages;
a wrong password is refused and audited. Screenshots of every page go to
test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest
from app_harness import click, expect_text, fill_login, key, login, screenshot, start_app, wait_idle
from app_seed import FAST_BCRYPT, seed
from playwright.sync_api import expect

from research.store import Decision, DecisionType, Kind, Role, Source, open_store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def review_app(store_backend):
    """The app on a store seeded with users and conversations; started once per backend."""
    backend, db_url, home = store_backend
    store = open_store(db_url, bcrypt_rounds=FAST_BCRYPT)
    seeded = seed(store)
    app = start_app(home, db_url)
    try:
        yield backend, app, store, seeded
    finally:
        app.stop()
        store.close()


def _decisions(store, conversation_id):
    return [(r.reviewer, r.kind, r.decision, r.code, r.message_index, r.based_on_version)
            for r in store.conversations.get(conversation_id).history]


def test_counsellor_decisions_are_saved_at_once_and_survive_a_reload(review_app, page):
    backend, app, store, seeded = review_app
    login(page, app.url, "anna", seeded.passwords["anna"])
    click(page, "queue_APP-001")
    expect(page).to_have_url(re.compile(r"[?&]conversation=APP-001$"))
    expect(page.locator(key("msg_user_1")).locator("mark.pseudonym")).to_have_text(["<PERSON_1>", "<ORGANIZATION_1>"])
    expect(page.locator(key("disclosure_marker_3"))).to_be_visible()  # the model's suggestion
    screenshot(page, f"{backend}-review")

    click(page, "accept_cat_vold_foreldre")
    expect_text(page, "cat_vold_foreldre", "godtatt")
    click(page, "add_cat_mobbing")
    expect_text(page, "cat_mobbing", "lagt til")
    click(page, "disclose_5")
    expect_text(page, "disclosure_current", "melding 5")
    expect(page.locator(key("disclosure_marker_5"))).to_be_visible()
    expect(page.locator(key("disclosure_marker_3"))).to_have_count(0)
    screenshot(page, f"{backend}-review-decided")

    # each click was one save, against the version the page showed
    assert _decisions(store, "APP-001") == [
        ("anna", Kind.category, DecisionType.accept, "vold_foreldre", None, 0),
        ("anna", Kind.category, DecisionType.add, "mobbing", None, 1),
        ("anna", Kind.disclosure, DecisionType.move_disclosure, None, 5, 2),
    ]
    labels = store.conversations.get("APP-001").labels
    assert {"vold_foreldre", "mobbing"} <= set(labels.present_categories)
    assert (labels.disclosure.turn, labels.disclosure.source, labels.disclosure.reviewer) == (5, Source.human, "anna")

    page.reload()  # a new session: log in again, the URL keeps the conversation open
    fill_login(page, "anna", seeded.passwords["anna"])
    expect_text(page, "cat_vold_foreldre", "godtatt")
    expect_text(page, "cat_mobbing", "lagt til")
    expect(page.locator(key("disclosure_marker_5"))).to_be_visible()
    assert len(_decisions(store, "APP-001")) == 3


def test_a_concurrent_decision_is_shown_and_nothing_is_lost(review_app, page):
    backend, app, store, seeded = review_app
    login(page, app.url, "anna", seeded.passwords["anna"], path="review?conversation=APP-002")
    expect_text(page, "cat_mobbing", "forslag")
    # bo rejects the same suggestion while anna has the page open
    store.reviews.save("APP-002", "bo", 0, [Decision.category("mobbing", DecisionType.reject)])

    click(page, "accept_cat_mobbing")
    notice = page.locator(key("stale_notice"))
    expect(notice).to_contain_text("bo: avviste Mobbing og trakassering")
    expect_text(page, "cat_mobbing", "avvist")  # reloaded: bo's decision shows
    assert [d[0] for d in _decisions(store, "APP-002")] == ["bo"]  # anna's click wrote nothing
    screenshot(page, f"{backend}-review-stale")

    click(page, "stale_retry")  # anna decides again, on the new version
    expect_text(page, "cat_mobbing", "godtatt")
    assert _decisions(store, "APP-002")[-1] == ("anna", Kind.category, DecisionType.accept, "mobbing", None, 1)


def test_keyboard_shortcut_accepts_all_suggestions(review_app, page):
    _, app, store, seeded = review_app
    login(page, app.url, "bo", seeded.passwords["bo"], path="review?conversation=APP-003")
    expect_text(page, "cat_sorg_ensomhet_frykt", "forslag")
    wait_idle(page)
    page.get_by_role("heading", name="APP-003").click()  # focus the page itself, not a widget
    page.keyboard.press("a")
    expect_text(page, "cat_sorg_ensomhet_frykt", "godtatt")
    decided = {(r.kind, r.decision, r.code) for r in store.conversations.get("APP-003").history}
    assert decided == {(Kind.category, DecisionType.accept, "sorg_ensomhet_frykt"),
                       (Kind.disclosure, DecisionType.clear_disclosure, None)}


def test_researcher_cannot_open_the_users_page_and_logs_out(review_app, page):
    backend, app, store, seeded = review_app
    login(page, app.url, "rolf", seeded.passwords["rolf"], path="users")
    expect(page.get_by_text("Du har ikke tilgang til denne siden.")).to_be_visible()
    expect(page.locator(key("users_table"))).to_have_count(0)
    expect(page.get_by_role("link", name="Brukere")).to_have_count(0)  # not in the menu either
    screenshot(page, f"{backend}-users-refused")
    click(page, "logout")
    expect(page.locator(key("login_submit"))).to_be_visible()
    assert store.audit.entries(action="logout", username="rolf")


def test_wrong_password_is_refused_and_audited(review_app, page):
    backend, app, store, seeded = review_app
    failures_before = len(store.audit.entries(action="login_failed", username="anna"))
    page.goto(app.url)
    screenshot(page, f"{backend}-login")
    page.locator(f"{key('login_username')} input").fill("anna")
    page.locator(f"{key('login_password')} input").fill("not-" + seeded.passwords["anna"])
    click(page, "login_submit")
    expect(page.get_by_text("Feil brukernavn eller passord.")).to_be_visible()
    expect(page.locator(key("logout"))).to_have_count(0)
    screenshot(page, f"{backend}-login-refused")
    failures = store.audit.entries(action="login_failed", username="anna")
    assert len(failures) == failures_before + 1
    assert failures[0].detail == {"reason": "wrong_password"}


def test_admin_pages_and_the_english_switch(review_app, page):
    backend, app, store, seeded = review_app
    login(page, app.url, "adam", seeded.passwords["adam"], path="users")
    expect(page.locator(key("users_table"))).to_be_visible()
    page.locator(f"{key('new_username')} input").fill("cato")
    click(page, "add_user_submit")
    shown = page.locator("[data-testid='stCode'] code")
    expect(shown).to_be_visible()
    screenshot(page, f"{backend}-users")
    password = shown.inner_text().strip()
    assert store.users.authenticate("cato", password).role == Role.counsellor  # the password shown once works
    added = store.audit.entries(action="user_added", username="adam")
    assert added and added[0].detail["user"] == "cato"
    page.get_by_role("link", name="Revisjonslogg").click()
    expect(page.locator(key("audit_table"))).to_be_visible()
    screenshot(page, f"{backend}-audit")
    page.locator(f"{key('lang_en')} label").click()
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    expect(page.get_by_role("link", name="Users")).to_be_visible()
    page.get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", name="Review suggestions")).to_be_visible()
    screenshot(page, f"{backend}-review-english")
