"""The audit log: who logged in, reviewed, exported or changed users, and when.

``detail`` carries identifiers, codes and numbers only: :func:`check_detail`
refuses anything that looks like free text, so no message text (or a password
typed into the wrong field) can end up in the log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from research.store.models import AuditEntry
from research.store.session import Sessions


class AuditAction(StrEnum):
    login = "login"
    login_failed = "login_failed"
    logout = "logout"
    review = "review"
    export = "export"
    user_added = "user_added"
    user_disabled = "user_disabled"
    ingest = "ingest"
    assign = "assign"


_TOKEN = re.compile(r"^[\w.:/@+\-]{0,80}$")  # identifiers, codes, ISO times: no spaces, no prose
_ACTION = re.compile(r"^[a-z_]{2,32}$")


class AuditDetailError(ValueError):
    """An audit detail that could carry text."""


def check_detail(detail: dict[str, Any]) -> dict[str, Any]:
    for key, value in detail.items():
        if not isinstance(key, str) or not _TOKEN.match(key):
            raise AuditDetailError(f"audit detail key {key!r} is not an identifier")
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if isinstance(item, str):
                if not _TOKEN.match(item):
                    raise AuditDetailError(f"audit detail {key!r} holds text, not an identifier")
            elif item is not None and not isinstance(item, bool | int | float):
                raise AuditDetailError(f"audit detail {key!r} must hold identifiers or numbers")
    return {k: list(v) if isinstance(v, tuple) else v for k, v in detail.items()}


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    username: str | None
    action: str
    detail: dict[str, Any]


class AuditLog:
    def __init__(self, sessions: Sessions):
        self._sessions = sessions

    def record(self, action: AuditAction | str, username: str | None = None, **detail: Any) -> None:
        with self._sessions.writing() as session:
            self.add(session, action, username, **detail)

    @staticmethod
    def add(session: Session, action: AuditAction | str, username: str | None = None, **detail: Any) -> None:
        """Record inside the caller's transaction (so the entry commits with the act)."""
        if not _ACTION.match(str(action)):
            raise AuditDetailError(f"audit action {action!r} is not an identifier")
        session.add(AuditEntry(action=str(action), username=username, detail=check_detail(detail)))

    def entries(self, *, action: AuditAction | str | None = None, username: str | None = None,
                since: datetime | None = None, limit: int = 200) -> list[AuditRecord]:
        """The newest entries first."""
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if action is not None:
            query = query.where(AuditEntry.action == str(action))
        if username is not None:
            query = query.where(AuditEntry.username == username)
        if since is not None:
            query = query.where(AuditEntry.at >= since)
        with self._sessions.reading() as session:
            return [AuditRecord(e.id, e.at, e.username, e.action, dict(e.detail or {}))
                    for e in session.scalars(query)]
