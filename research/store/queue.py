"""The review queue: what a reviewer should look at next.

First the conversations assigned to them for double coding that they have
not coded yet; then conversations nobody has reviewed and that are not
reserved for double coding, oldest first (so the queue drains in the order
conversations happened).
"""

from __future__ import annotations

from sqlalchemy import exists, select

from research.store.conversations import ConversationFilter, has_reviews_by, summaries
from research.store.models import Conversation, ReviewAssignment
from research.store.session import Sessions
from research.store.views import QueueItem


class ReviewQueue:
    def __init__(self, sessions: Sessions):
        self._sessions = sessions

    def next_for(self, reviewer: str, *, limit: int = 20, filters: ConversationFilter | None = None) -> list[QueueItem]:
        filters = filters or ConversationFilter()
        mine = exists().where(ReviewAssignment.conversation_id == Conversation.id,
                              ReviewAssignment.reviewer == reviewer)
        reserved = exists().where(ReviewAssignment.conversation_id == Conversation.id)
        with self._sessions.reading() as session:
            assigned = list(session.scalars(
                filters.apply(select(Conversation).where(mine, ~has_reviews_by(reviewer)))
                .order_by(Conversation.started_at, Conversation.id).limit(limit)))
            open_ = list(session.scalars(
                filters.apply(select(Conversation).where(Conversation.label_version == 0, ~reserved))
                .order_by(Conversation.started_at, Conversation.id).limit(limit - len(assigned)))
            ) if len(assigned) < limit else []
            items = summaries(session, assigned + open_)
        return [QueueItem(item, index < len(assigned)) for index, item in enumerate(items)]
