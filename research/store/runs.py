"""Ingest runs: which ``disclosure run`` stored which conversations, with what."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from research.store.audit import AuditAction, AuditLog
from research.store.models import IngestRun, utcnow
from research.store.session import Sessions


@dataclass(frozen=True)
class RunCounts:
    stored: int = 0
    skipped: int = 0  # already stored before this run
    invalid: int = 0  # lines or conversations reported and left out


class Runs:
    def __init__(self, sessions: Sessions):
        self._sessions = sessions

    def start(self, engine: str) -> str:
        run_id = uuid.uuid4().hex
        with self._sessions.writing() as session:
            session.add(IngestRun(id=run_id, engine=engine, stored=0, skipped=0, invalid=0))
        return run_id

    def finish(self, run_id: str, counts: RunCounts, *, deidentifier: str | None = None,
               model: str | None = None) -> None:
        with self._sessions.writing() as session:
            run = session.get(IngestRun, run_id)
            run.finished_at = utcnow()
            run.stored, run.skipped, run.invalid = counts.stored, counts.skipped, counts.invalid
            run.deidentifier, run.model = deidentifier, model
            AuditLog.add(session, AuditAction.ingest, None, run=run_id, stored=counts.stored,
                         skipped=counts.skipped, invalid=counts.invalid)
