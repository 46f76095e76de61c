"""The review queue in active-learning order: most uncertain suggestions first.

A conversation's *margin* is the smallest distance between one of its current
model's category or disclosure scores and that label's decision threshold;
the smaller it is, the more a human decision teaches the next model. The
store does not hold the models' thresholds, so each is read off the
suggestions themselves: it lies between the highest score the model did not
suggest and the lowest score it did; within that interval the point closest
to 0.5 is taken (the scores are calibrated probabilities), so a label with few
suggestions falls back to 0.5 and a large store pins the threshold closely.

Same queue as :meth:`research.store.queue.ReviewQueue.next_for` (first the
reviewer's open double-coding assignments, then unreviewed, unreserved
conversations), ordered by margin instead of by time.
"""

from __future__ import annotations

from sqlalchemy import Select, and_, case, exists, func, select

from research.store.conversations import ConversationFilter, has_reviews_by, summaries
from research.store.models import Conversation, Kind, ReviewAssignment, Suggestion
from research.store.session import Sessions
from research.store.views import QueueItem

SCORED_KINDS = (Kind.category, Kind.disclosure)
CALIBRATED_THRESHOLD = 0.5


def observed_thresholds():
    """Per model and label: the threshold within [highest not suggested, lowest suggested] closest to 0.5."""
    highest_not_suggested = func.coalesce(
        func.max(case((~Suggestion.suggested, Suggestion.score))), 0.0)
    lowest_suggested = func.coalesce(func.min(case((Suggestion.suggested, Suggestion.score))), 1.0)
    at_least = case((highest_not_suggested > CALIBRATED_THRESHOLD, highest_not_suggested),
                    else_=CALIBRATED_THRESHOLD)
    threshold = case((lowest_suggested < at_least, lowest_suggested), else_=at_least)
    return (
        select(Suggestion.model_name, Suggestion.model_version, Suggestion.kind, Suggestion.code,
               threshold.label("threshold"))
        .where(Suggestion.kind.in_(SCORED_KINDS), Suggestion.score.is_not(None))
        .group_by(Suggestion.model_name, Suggestion.model_version, Suggestion.kind, Suggestion.code)
        .subquery("thresholds")
    )


def margins(candidates: Select):
    """conversation_id -> margin, for the conversations ``candidates`` selects (ids)."""
    thresholds = observed_thresholds()
    distance = func.abs(Suggestion.score - thresholds.c.threshold)
    return (
        select(Suggestion.conversation_id, func.min(distance).label("margin"))
        .join(Conversation, and_(Conversation.id == Suggestion.conversation_id,
                                 Conversation.model_name == Suggestion.model_name,
                                 Conversation.model_version == Suggestion.model_version))
        .outerjoin(thresholds, and_(thresholds.c.model_name == Suggestion.model_name,
                                    thresholds.c.model_version == Suggestion.model_version,
                                    thresholds.c.kind == Suggestion.kind,
                                    thresholds.c.code.is_not_distinct_from(Suggestion.code)))
        .where(Suggestion.kind.in_(SCORED_KINDS), Suggestion.score.is_not(None),
               Suggestion.conversation_id.in_(candidates))
        .group_by(Suggestion.conversation_id)
        .subquery("margins")
    )


def _most_uncertain(where, filters: ConversationFilter, limit: int) -> Select:
    candidates = filters.apply(select(Conversation.id).where(*where))
    margin = margins(candidates)
    return (
        filters.apply(select(Conversation).where(*where))
        .outerjoin(margin, margin.c.conversation_id == Conversation.id)
        .order_by(margin.c.margin.asc().nulls_last(), Conversation.started_at, Conversation.id)
        .limit(limit)
    )


def most_uncertain_for(sessions: Sessions, reviewer: str, *, limit: int = 20,
                       filters: ConversationFilter | None = None) -> list[QueueItem]:
    """The reviewer's queue, most uncertain first (assigned double coding before the rest)."""
    filters = filters or ConversationFilter()
    mine = exists().where(ReviewAssignment.conversation_id == Conversation.id, ReviewAssignment.reviewer == reviewer)
    reserved = exists().where(ReviewAssignment.conversation_id == Conversation.id)
    with sessions.reading() as session:
        assigned = list(session.scalars(_most_uncertain((mine, ~has_reviews_by(reviewer)), filters, limit)))
        rest = list(session.scalars(_most_uncertain((Conversation.label_version == 0, ~reserved), filters,
                                                    limit - len(assigned)))) if len(assigned) < limit else []
        items = summaries(session, assigned + rest)
    return [QueueItem(item, index < len(assigned)) for index, item in enumerate(items)]
