"""What one double coder works from: the machine's suggestions and their own
decisions only, so the other coder's judgement cannot sway theirs (the
agreement statistics need independent codings)."""

from __future__ import annotations

from research.store.labels import CurrentLabels, derive_labels
from research.store.views import ConversationView, ReviewRecord


def own_history(view: ConversationView, reviewer: str) -> tuple[ReviewRecord, ...]:
    return tuple(r for r in view.history if r.reviewer == reviewer)


def labels_seen_by(view: ConversationView, reviewer: str) -> CurrentLabels:
    """The conversation's labels from its suggestions and ``reviewer``'s decisions alone."""
    return derive_labels(view.suggestions, own_history(view, reviewer))
