"""Saving human decisions: append-only, with optimistic concurrency.

A reviewer saves decisions together with the ``label_version`` they saw. In
one transaction the store bumps the version only if it is still the one seen
and appends the decisions; if someone else saved in between, nothing is
written and :class:`StaleLabelsError` carries the decisions made since, so the
app can show them and the reviewer can decide again. Nothing is overwritten,
nothing is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from research.contracts import load_taxonomy
from research.store.audit import AuditAction, AuditLog
from research.store.current import refresh_current_labels
from research.store.labels import AT_TURN
from research.store.models import Conversation, DecisionType, Kind, Message, Review, Suggestion, User
from research.store.roles import Page, can_open
from research.store.session import Sessions
from research.store.views import ReviewRecord

_ALLOWED = {
    Kind.category: {DecisionType.accept, DecisionType.reject, DecisionType.add},
    Kind.move: {DecisionType.accept, DecisionType.reject, DecisionType.add},
    Kind.disclosure: {DecisionType.accept, DecisionType.reject, DecisionType.move_disclosure,
                      DecisionType.clear_disclosure},
}


class ReviewError(ValueError):
    """A decision the store refuses (unknown code, message out of range, no permission ...)."""


class StaleLabelsError(RuntimeError):
    """The labels changed since the reviewer saw them; nothing was saved."""

    def __init__(self, conversation_id: str, seen_version: int, current_version: int,
                 decisions: Sequence[ReviewRecord]):
        self.conversation_id = conversation_id
        self.seen_version = seen_version
        self.current_version = current_version
        self.decisions = tuple(decisions)  # made by others since `seen_version`, oldest first
        who = ", ".join(sorted({d.reviewer for d in self.decisions})) or "someone"
        super().__init__(
            f"conversation {conversation_id} changed since you opened it (version {seen_version}, now "
            f"{current_version}): {len(self.decisions)} decision(s) by {who}; nothing was saved"
        )


@dataclass(frozen=True)
class Decision:
    """One decision; build it with the class methods."""

    kind: Kind
    decision: DecisionType
    code: str | None = None
    message_index: int | None = None
    suggestion_id: int | None = None

    @classmethod
    def category(cls, code: str, decision: DecisionType | str, suggestion_id: int | None = None) -> Decision:
        return cls(Kind.category, DecisionType(decision), code, None, suggestion_id)

    @classmethod
    def move(cls, message_index: int, code: str, decision: DecisionType | str,
             suggestion_id: int | None = None) -> Decision:
        return cls(Kind.move, DecisionType(decision), code, message_index, suggestion_id)

    @classmethod
    def disclosure_at(cls, message_index: int, suggestion_id: int | None = None) -> Decision:
        """The first explicit disclosure is this message (accepting the machine's
        turn when ``suggestion_id`` names its suggestion)."""
        decision = DecisionType.accept if suggestion_id is not None else DecisionType.move_disclosure
        return cls(Kind.disclosure, decision, None, message_index, suggestion_id)

    @classmethod
    def no_disclosure(cls, suggestion_id: int | None = None) -> Decision:
        decision = DecisionType.reject if suggestion_id is not None else DecisionType.clear_disclosure
        return cls(Kind.disclosure, decision, None, None, suggestion_id)


@dataclass(frozen=True)
class SavedDecisions:
    conversation_id: str
    label_version: int  # the new version: pass it with the next save
    reviews: tuple[ReviewRecord, ...]


def _check_index(decision: Decision, speakers: list[str]) -> None:
    if decision.message_index is None or not 0 <= decision.message_index < len(speakers):
        raise ReviewError(f"message index {decision.message_index!r} is not in 0..{len(speakers) - 1}")


def _check_category(decision: Decision, speakers: list[str]) -> None:
    if decision.code not in load_taxonomy().categories:
        raise ReviewError(f"unknown category code {decision.code!r}")
    if decision.message_index is not None:
        raise ReviewError("a category decision names no message")


def _check_move(decision: Decision, speakers: list[str]) -> None:
    moves = load_taxonomy().moves
    if decision.code not in moves:
        raise ReviewError(f"unknown move code {decision.code!r}")
    _check_index(decision, speakers)
    speaker = speakers[decision.message_index]
    if moves[decision.code].group != speaker:
        raise ReviewError(f"move {decision.code} is not a {speaker} move")


def _check_disclosure(decision: Decision, speakers: list[str]) -> None:
    if decision.code is not None:
        raise ReviewError("a disclosure decision has no code")
    if decision.decision in AT_TURN:
        _check_index(decision, speakers)
    elif decision.message_index is not None:
        raise ReviewError(f"a {decision.decision} decision names no message")


_CHECKS = {Kind.category: _check_category, Kind.move: _check_move, Kind.disclosure: _check_disclosure}


def _check(decision: Decision, speakers: list[str], suggestion: Suggestion | None, conversation_id: str) -> None:
    if decision.decision not in _ALLOWED[decision.kind]:
        raise ReviewError(f"{decision.decision} is not a decision on a {decision.kind}")
    _CHECKS[decision.kind](decision, speakers)
    if decision.suggestion_id is not None and (
        suggestion is None or suggestion.conversation_id != conversation_id or suggestion.kind != decision.kind
    ):
        raise ReviewError(f"suggestion {decision.suggestion_id} is not a {decision.kind} suggestion "
                          f"of conversation {conversation_id}")


class Reviews:
    def __init__(self, sessions: Sessions):
        self._sessions = sessions

    def save(self, conversation_id: str, reviewer: str, seen_version: int,
             decisions: Sequence[Decision]) -> SavedDecisions:
        """Append ``decisions`` if the labels are still at ``seen_version``;
        otherwise raise :class:`StaleLabelsError` and write nothing."""
        if not decisions:
            raise ReviewError("no decisions to save")
        with self._sessions.writing() as session:
            self._check_reviewer(session, reviewer)
            speakers = list(session.scalars(
                select(Message.speaker).where(Message.conversation_id == conversation_id)
                .order_by(Message.message_index)))
            if not speakers:
                raise ReviewError(f"no conversation {conversation_id!r}")
            for decision in decisions:
                suggestion = session.get(Suggestion, decision.suggestion_id) if decision.suggestion_id else None
                _check(decision, speakers, suggestion, conversation_id)
            bumped = session.execute(
                update(Conversation)
                .where(Conversation.id == conversation_id, Conversation.label_version == seen_version)
                .values(label_version=Conversation.label_version + 1)
                .execution_options(synchronize_session=False)
            ).rowcount
            if bumped != 1:
                raise self._stale(session, conversation_id, seen_version)
            rows = [Review(conversation_id=conversation_id, reviewer=reviewer, kind=d.kind, decision=d.decision,
                           code=d.code, message_index=d.message_index, suggestion_id=d.suggestion_id,
                           based_on_version=seen_version) for d in decisions]
            session.add_all(rows)
            AuditLog.add(session, AuditAction.review, reviewer, conversation=conversation_id,
                         decisions=len(rows), version=seen_version + 1)
            session.flush()  # assigns the review ids
            refresh_current_labels(session, conversation_id)
            return SavedDecisions(conversation_id, seen_version + 1, tuple(ReviewRecord.of(r) for r in rows))

    def history(self, conversation_id: str, *, since_version: int = 0) -> list[ReviewRecord]:
        with self._sessions.reading() as session:
            return self._since(session, conversation_id, since_version)

    @staticmethod
    def _check_reviewer(session: Session, reviewer: str) -> None:
        user = session.scalars(select(User).where(User.username == reviewer)).one_or_none()
        if user is None or not user.active:
            raise ReviewError(f"{reviewer!r} is not an active user")
        if not can_open(user.role, Page.review):
            raise ReviewError(f"role {user.role} may not review")

    @staticmethod
    def _since(session: Session, conversation_id: str, version: int) -> list[ReviewRecord]:
        return ReviewRecord.from_rows(session.execute(
            ReviewRecord.query().where(Review.conversation_id == conversation_id, Review.based_on_version >= version)))

    def _stale(self, session: Session, conversation_id: str, seen: int) -> StaleLabelsError:
        since = self._since(session, conversation_id, seen)  # one statement: one consistent snapshot
        if since:  # every version bump appended decisions based on the version before it
            current = max(d.based_on_version for d in since) + 1
        else:
            current = session.scalar(select(Conversation.label_version).where(Conversation.id == conversation_id))
        return StaleLabelsError(conversation_id, seen, current, since)
