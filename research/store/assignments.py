"""Double coding: a share of conversations goes to two counsellors, who code
it independently, so the analysis room can measure agreement.

Which conversations are double coded is decided by a hash of their id, so
the choice is reproducible and does not depend on the order of ingest; each
goes to the two active counsellors with the fewest open assignments.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from sqlalchemy import exists, func, select

from research.store.audit import AuditAction, AuditLog
from research.store.conversations import has_reviews_by
from research.store.models import Conversation, ReviewAssignment, Role, User
from research.store.session import Sessions

CODERS_PER_CONVERSATION = 2


class AssignmentError(ValueError):
    pass


def in_sample(conversation_id: str, share: float) -> bool:
    """Stable pseudo-random membership: the same id is always in or out."""
    digest = hashlib.sha256(conversation_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


class Assignments:
    def __init__(self, sessions: Sessions):
        self._sessions = sessions

    def assign_double_coding(self, share: float, *, by: str | None = None) -> int:
        """Assign the not yet reviewed, not yet assigned conversations that fall in
        the ``share`` (0..1) sample to two counsellors each. Returns how many."""
        if not 0.0 <= share <= 1.0:
            raise AssignmentError(f"share {share} is not in 0..1")
        with self._sessions.writing() as session:
            coders = list(session.scalars(
                select(User.username).where(User.role == Role.counsellor, User.active).order_by(User.username)))
            if len(coders) < CODERS_PER_CONVERSATION:
                raise AssignmentError(f"double coding needs {CODERS_PER_CONVERSATION} active counsellors, "
                                      f"found {len(coders)}")
            load = Counter({name: 0 for name in coders})
            load.update(session.scalars(select(ReviewAssignment.reviewer).where(ReviewAssignment.reviewer.in_(coders))))
            candidates = session.scalars(
                select(Conversation.id)
                .where(Conversation.label_version == 0,
                       ~exists().where(ReviewAssignment.conversation_id == Conversation.id))
                .order_by(Conversation.id))
            assigned = 0
            for conversation_id in candidates:
                if not in_sample(conversation_id, share):
                    continue
                pair = sorted(coders, key=lambda name: (load[name], name))[:CODERS_PER_CONVERSATION]
                for name in pair:
                    session.add(ReviewAssignment(conversation_id=conversation_id, reviewer=name))
                    load[name] += 1
                assigned += 1
            AuditLog.add(session, AuditAction.assign, by, share=share, conversations=assigned)
            return assigned

    def open_for(self, reviewer: str) -> list[str]:
        """Conversation ids assigned to ``reviewer`` that they have not reviewed yet."""
        with self._sessions.reading() as session:
            return list(session.scalars(
                select(ReviewAssignment.conversation_id)
                .join(Conversation, Conversation.id == ReviewAssignment.conversation_id)
                .where(ReviewAssignment.reviewer == reviewer, ~has_reviews_by(reviewer))
                .order_by(ReviewAssignment.id)))

    def double_coded(self) -> dict[str, tuple[str, ...]]:
        """Conversation id -> its coders, for every double-coded conversation."""
        with self._sessions.reading() as session:
            rows = session.execute(
                select(ReviewAssignment.conversation_id, ReviewAssignment.reviewer)
                .where(ReviewAssignment.conversation_id.in_(
                    select(ReviewAssignment.conversation_id).group_by(ReviewAssignment.conversation_id)
                    .having(func.count() >= CODERS_PER_CONVERSATION)))
                .order_by(ReviewAssignment.conversation_id, ReviewAssignment.reviewer))
            coders: dict[str, tuple[str, ...]] = {}
            for conversation_id, reviewer in rows:
                coders[conversation_id] = (*coders.get(conversation_id, ()), reviewer)
            return coders
