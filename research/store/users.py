"""Users, bcrypt passwords and logins.

There is no default user or password: the first admin is created from the
command line (``disclosure users add NAME --role admin``). Every login attempt
is written to the audit log; disabled users cannot log in.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

import bcrypt
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from research.store.audit import AuditAction, AuditLog
from research.store.models import Role, User
from research.store.roles import Page, pages_for
from research.store.session import Sessions

USERNAME = re.compile(r"^[a-z0-9][a-z0-9_.\-]{1,63}$")
MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_BYTES = 72  # bcrypt's limit; longer ones are refused, not truncated
ROUNDS_ENV = "DISCLOSURE_BCRYPT_ROUNDS"  # the bcrypt cost; 12 unless set (tests use the minimum, 4)


def default_rounds() -> int:
    return max(4, int(os.environ.get(ROUNDS_ENV, "12")))


class UserError(ValueError):
    """A user that cannot be added or changed (message names the reason)."""


@dataclass(frozen=True)
class UserInfo:
    username: str
    role: Role
    active: bool
    created_at: datetime

    @property
    def pages(self) -> frozenset[Page]:
        return pages_for(self.role)

    def can_open(self, page: Page | str) -> bool:
        return self.active and Page(page) in self.pages


@dataclass(frozen=True)
class NewUser:
    user: UserInfo
    generated_password: str | None  # shown once when the password was generated


def _info(user: User) -> UserInfo:
    return UserInfo(user.username, Role(user.role), user.active, user.created_at)


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise UserError(f"password must have at least {MIN_PASSWORD_CHARS} characters")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise UserError(f"password must be at most {MAX_PASSWORD_BYTES} bytes")


def generate_password() -> str:
    return secrets.token_urlsafe(15)  # 20 characters, 120 bits


class Users:
    def __init__(self, sessions: Sessions, audit: AuditLog, *, bcrypt_rounds: int | None = None):
        self._sessions = sessions
        self._audit = audit
        self._rounds = bcrypt_rounds or default_rounds()

    @cached_property
    def _dummy_hash(self) -> bytes:
        """Unknown usernames are checked against this, so a failed login takes as
        long whether or not the user exists."""
        return bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt(self._rounds))

    def hash_password(self, password: str) -> str:
        check_password_policy(password)
        return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(self._rounds)).decode("ascii")

    def add(self, username: str, role: Role | str, password: str | None = None, *, by: str | None = None) -> NewUser:
        """Add a user; without a password one is generated and returned once."""
        if not USERNAME.match(username):
            raise UserError(f"username {username!r} must be 2-64 lowercase letters, digits, '.', '_' or '-'")
        try:
            role = Role(role)
        except ValueError:
            raise UserError(f"unknown role {role!r}; one of {', '.join(r.value for r in Role)}") from None
        generated = generate_password() if password is None else None
        password_hash = self.hash_password(password if password is not None else generated)
        try:
            with self._sessions.writing() as session:
                user = User(username=username, role=role, password_hash=password_hash, active=True)
                session.add(user)
                session.flush()
                AuditLog.add(session, AuditAction.user_added, by, user=username, role=role.value)
                info = _info(user)
        except IntegrityError:
            raise UserError(f"user {username!r} already exists") from None
        return NewUser(info, generated)

    def disable(self, username: str, *, by: str | None = None) -> UserInfo:
        with self._sessions.writing() as session:
            changed = session.execute(
                update(User).where(User.username == username).values(active=False)
                .execution_options(synchronize_session=False)
            ).rowcount
            if not changed:
                raise UserError(f"no user {username!r}")
            AuditLog.add(session, AuditAction.user_disabled, by, user=username)
            return _info(session.scalars(select(User).where(User.username == username)).one())

    def get(self, username: str) -> UserInfo | None:
        with self._sessions.reading() as session:
            user = session.scalars(select(User).where(User.username == username)).one_or_none()
            return _info(user) if user else None

    def list(self) -> list[UserInfo]:
        with self._sessions.reading() as session:
            return [_info(u) for u in session.scalars(select(User).order_by(User.username))]

    def authenticate(self, username: str, password: str) -> UserInfo | None:
        """The user when the password is right and the user active; audited either way."""
        with self._sessions.writing() as session:
            user = session.scalars(select(User).where(User.username == username)).one_or_none()
            stored = user.password_hash.encode("ascii") if user else self._dummy_hash
            matches = _checkpw(password, stored)
            if user is None:
                # The attempted name may be mistyped text (even a password): not logged.
                AuditLog.add(session, AuditAction.login_failed, None, reason="unknown_user")
                return None
            if not matches or not user.active:
                reason = "wrong_password" if not matches else "disabled"
                AuditLog.add(session, AuditAction.login_failed, user.username, reason=reason)
                return None
            AuditLog.add(session, AuditAction.login, user.username, role=user.role.value)
            return _info(user)


def _checkpw(password: str, stored: bytes) -> bool:
    encoded = password.encode("utf-8")
    if len(encoded) > MAX_PASSWORD_BYTES:
        return False
    return bcrypt.checkpw(encoded, stored)
