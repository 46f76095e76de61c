"""Users: bcrypt, audited logins, disabled users, roles; the audit log; the CLI."""

from __future__ import annotations

import bcrypt
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from research.cli import app
from research.store import AuditAction, AuditDetailError, Page, Role, UserError, can_open, open_store, pages_for
from research.store.models import User

runner = CliRunner()


def _stored_hash(store, username: str) -> str:
    with store.sessions.reading() as session:
        return session.scalar(select(User.password_hash).where(User.username == username))


def test_a_fresh_store_has_no_users_and_no_default_password(store):
    assert store.users.list() == []
    assert store.users.authenticate("admin", "admin") is None


def test_passwords_are_stored_as_bcrypt_hashes(store):
    store.users.add("anna", "counsellor", "anna-password-123")
    stored = _stored_hash(store, "anna")
    assert stored.startswith("$2b$") and "anna-password-123" not in stored
    assert bcrypt.checkpw(b"anna-password-123", stored.encode())
    store.users.add("bo", "counsellor", "anna-password-123")
    assert _stored_hash(store, "bo") != stored  # salted


def test_logins_succeed_and_fail_into_the_audit_log(store):
    store.users.add("anna", "researcher", "anna-password-123")
    user = store.users.authenticate("anna", "anna-password-123")
    assert user is not None and user.role == Role.researcher and user.can_open("explore")
    assert store.users.authenticate("anna", "wrong-password!") is None
    assert store.users.authenticate("nobody-typed-this", "anna-password-123") is None
    entries = store.audit.entries(limit=3)
    assert [(e.action, e.username, e.detail.get("reason")) for e in entries] == [
        ("login_failed", None, "unknown_user"),  # the mistyped name is not logged
        ("login_failed", "anna", "wrong_password"),
        ("login", "anna", None),
    ]
    assert not any("nobody-typed-this" in f"{e.username} {e.detail}" for e in store.audit.entries())


def test_disabled_users_cannot_log_in(store):
    store.users.add("anna", "counsellor", "anna-password-123")
    disabled = store.users.disable("anna", by="boss")
    assert disabled.active is False and not disabled.can_open("review")
    assert store.users.authenticate("anna", "anna-password-123") is None
    assert store.audit.entries(limit=1)[0].detail == {"reason": "disabled"}
    assert store.audit.entries(action=AuditAction.user_disabled)[0].username == "boss"


def test_bad_users_are_refused_with_the_reason(store):
    store.users.add("anna", "counsellor", "anna-password-123")
    with pytest.raises(UserError, match="already exists"):
        store.users.add("anna", "admin", "another-password-1")
    with pytest.raises(UserError, match="at least 10 characters"):
        store.users.add("bo", "counsellor", "short")
    with pytest.raises(UserError, match="at most 72 bytes"):
        store.users.add("bo", "counsellor", "æ" * 40)
    with pytest.raises(UserError, match="unknown role"):
        store.users.add("bo", "superuser", "bo-password-1234")
    with pytest.raises(UserError, match="lowercase"):
        store.users.add("Bo Bo", "counsellor", "bo-password-1234")
    with pytest.raises(UserError, match="no user"):
        store.users.disable("ghost")
    assert [u.username for u in store.users.list()] == ["anna"]


def test_a_generated_password_is_returned_once_and_works(store):
    new = store.users.add("boss", "admin")
    assert new.generated_password and len(new.generated_password) >= 20
    assert store.users.authenticate("boss", new.generated_password).role == Role.admin


def test_roles_open_their_pages_only():
    assert pages_for("counsellor") == {Page.review}
    assert pages_for("researcher") == {Page.explore, Page.export, Page.review}
    assert pages_for("data_scientist") == {Page.models, Page.explore}
    assert pages_for("admin") == set(Page)
    assert not can_open("counsellor", "export") and not can_open("data_scientist", "review")
    assert can_open(Role.admin, Page.audit)


def test_the_audit_log_refuses_text(store):
    store.audit.record("export", "anna", table="trends_by_month", rows=12, suppressed=True)
    assert store.audit.entries(action="export")[0].detail == {"table": "trends_by_month", "rows": 12,
                                                             "suppressed": True}
    for bad in ({"note": "pappa slo meg i går"}, {"ids": ["A1", "jeg heter Ida"]}, {"x": {"nested": 1}}):
        with pytest.raises(AuditDetailError):
            store.audit.record("export", "anna", **bad)
    with pytest.raises(AuditDetailError):
        store.audit.record("Export data now", "anna")


def test_the_users_commands(db_url, data_home, monkeypatch):
    monkeypatch.setenv("DISCLOSURE_DB_URL", db_url)
    monkeypatch.setenv("DISCLOSURE_BCRYPT_ROUNDS", "4")
    added = runner.invoke(app, ["users", "add", "boss", "--role", "admin", "--password-stdin"],
                          input="boss-password-123\n")
    assert added.exit_code == 0, added.output
    generated = runner.invoke(app, ["users", "add", "anna", "--role", "counsellor", "--generate-password"])
    password = generated.stdout.strip().rsplit(" ", 1)[-1]
    prompted = runner.invoke(app, ["users", "add", "bo", "--role", "researcher"],
                             input="bo-password-1234\nbo-password-1234\n")
    assert prompted.exit_code == 0, prompted.output
    assert runner.invoke(app, ["users", "add", "cato", "--role", "king", "--generate-password"]).exit_code == 2
    assert runner.invoke(app, ["users", "disable", "bo"]).exit_code == 0
    listed = runner.invoke(app, ["users", "list"]).stdout.splitlines()
    assert [line.split("\t")[:3] for line in listed] == [
        ["anna", "counsellor", "active"], ["bo", "researcher", "disabled"], ["boss", "admin", "active"]]
    with open_store(db_url) as store:
        assert _stored_hash(store, "boss").startswith("$2b$04$")  # the configured cost
        assert store.users.authenticate("boss", "boss-password-123").role == Role.admin
        assert store.users.authenticate("anna", password).role == Role.counsellor
        assert store.users.authenticate("bo", "bo-password-1234") is None
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
