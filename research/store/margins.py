"""A conversation's uncertainty margin: how close its model came to deciding otherwise.

The margin is the smallest distance between one of its current model's
category or disclosure scores and that label's decision threshold; the
smaller it is, the more a human decision teaches the next model. It is
computed once, when the conversation is stored (``conversations.margin``), so
that the active-learning queue (:mod:`research.store.uncertainty`) is an
indexed ordered scan rather than an aggregation over every suggestion.

The threshold is the model's own when the suggestions carry it (the pipeline
hands over the classifier's). Otherwise it is 0.5, the natural threshold of a
calibrated probability, moved to the score itself when the model's decision
shows its threshold lies beyond it (a suggestion scoring 0.4, or a label left
out at 0.7): the point closest to 0.5 that agrees with what the model decided.
Migration 0003 fills stores older than this column with the same rule applied
to every suggestion of the model rather than one conversation's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from research.store.models import Kind
from research.store.records import MachineSuggestions

CALIBRATED_THRESHOLD = 0.5
SCORED_KINDS = (Kind.category, Kind.disclosure)  # moves do not count: they are per message


def distance(score: float, suggested: bool, threshold: float | None = None) -> float:
    """How far ``score`` lies from the threshold that decided it (see the module docstring)."""
    if threshold is None:
        threshold = min(score, CALIBRATED_THRESHOLD) if suggested else max(score, CALIBRATED_THRESHOLD)
    return abs(score - threshold)


def margin_of(suggestions: MachineSuggestions | None) -> float | None:
    """The margin of one conversation's suggestions; None when it was not classified."""
    if suggestions is None:
        return None
    thresholds = suggestions.category_thresholds or {}
    distances = [distance(score, code in suggestions.suggested_categories, thresholds.get(code))
                 for code, score in suggestions.category_scores.items() if score is not None]
    if suggestions.disclosure_score is not None:
        distances.append(distance(suggestions.disclosure_score, suggestions.disclosure_turn is not None,
                                  suggestions.disclosure_threshold))
    return min(distances, default=None)


def margin_of_rows(rows: Iterable[Mapping[str, Any]]) -> float | None:
    """The margin of one conversation's ``suggestions`` rows (dicts with ``kind``,
    ``score``, ``suggested``), for loaders that write rows directly and know no
    thresholds: equal to :func:`margin_of` of the same suggestions without thresholds."""
    return min((distance(row["score"], row["suggested"]) for row in rows
                if row["kind"] in SCORED_KINDS and row["score"] is not None), default=None)
