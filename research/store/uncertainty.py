"""The review queue in active-learning order: most uncertain suggestions first.

A conversation's *margin* is the smallest distance between one of its current
model's category or disclosure scores and that label's decision threshold;
the smaller it is, the more a human decision teaches the next model. It is
computed once, when the conversation is stored, and kept in
``conversations.margin`` (:mod:`research.store.margins` says where the
thresholds come from): deriving it from every suggestion on each call took
seconds on a store of 100,000 conversations, while reading the queue in
``ix_conversations_uncertain`` order stops after one page.

Same queue as :meth:`research.store.queue.ReviewQueue.next_for` (first the
reviewer's open double-coding assignments, then unreviewed, unreserved
conversations), ordered by margin instead of by time; conversations without
a margin (not classified) come last, oldest first.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from research.store.conversations import ConversationFilter, has_reviews_by, summaries
from research.store.models import Conversation, ReviewAssignment
from research.store.session import Sessions
from research.store.views import QueueItem


def _most_uncertain(session: Session, where, filters: ConversationFilter, limit: int) -> list[Conversation]:
    """Smallest margin first, then the unclassified. Two queries rather than one
    ``NULLS LAST``, which SQLite cannot read off the index (it sorts nulls first)."""
    if limit <= 0:
        return []
    query = filters.apply(select(Conversation).where(*where))
    scored = list(session.scalars(query.where(Conversation.margin.is_not(None))
                                  .order_by(Conversation.margin, Conversation.started_at, Conversation.id)
                                  .limit(limit)))
    if len(scored) == limit:
        return scored
    return scored + list(session.scalars(query.where(Conversation.margin.is_(None))
                                         .order_by(Conversation.started_at, Conversation.id)
                                         .limit(limit - len(scored))))


def most_uncertain_for(sessions: Sessions, reviewer: str, *, limit: int = 20,
                       filters: ConversationFilter | None = None) -> list[QueueItem]:
    """The reviewer's queue, most uncertain first (assigned double coding before the rest)."""
    filters = filters or ConversationFilter()
    mine = exists().where(ReviewAssignment.conversation_id == Conversation.id, ReviewAssignment.reviewer == reviewer)
    reserved = exists().where(ReviewAssignment.conversation_id == Conversation.id)
    with sessions.reading() as session:
        assigned = _most_uncertain(session, (mine, ~has_reviews_by(reviewer)), filters, limit)
        rest = _most_uncertain(session, (Conversation.label_version == 0, ~reserved), filters, limit - len(assigned))
        items = summaries(session, assigned + rest)
    return [QueueItem(item, index < len(assigned)) for index, item in enumerate(items)]
