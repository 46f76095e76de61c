"""Fit the three estimators of a config into one :class:`SuggestionModel`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from research.classify.categories import build_category_pipeline
from research.classify.config import ExperimentConfig
from research.classify.disclosure import build_disclosure_locator
from research.classify.frames import as_dicts, category_matrix, disclosure_turns, move_matrix, repeat_per_message
from research.classify.model import SuggestionModel
from research.classify.moves import build_move_pipeline
from research.contracts import load_taxonomy


def fit_suggestion_model(
    config: ExperimentConfig,
    conversations: Sequence[Any],
    sample_weight: Sequence[float] | None = None,
    calibration_weight: Sequence[float] | None = None,
    info: dict | None = None,
) -> SuggestionModel:
    """Train on de-identified, gold-labelled conversations. ``calibration_weight``
    (default: ``sample_weight``) weighs them when scores are calibrated and
    thresholds chosen."""
    taxonomy = load_taxonomy()
    conversations = as_dicts(conversations)
    weights = np.ones(len(conversations)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    calibration = weights if calibration_weight is None else np.asarray(calibration_weight, dtype=float)
    category_codes, move_codes = taxonomy.category_codes, list(taxonomy.moves)
    seed = config.random_state

    categories = build_category_pipeline(config.categories, seed).fit(
        conversations, category_matrix(conversations, category_codes),
        model__sample_weight=weights, model__calibration_weight=calibration)

    move_labels = move_matrix(conversations, move_codes)
    moves = build_move_pipeline(config.moves, seed).fit(
        conversations, move_labels, tagger__sample_weight=repeat_per_message(weights, conversations),
        tagger__calibration_weight=repeat_per_message(calibration, conversations))

    disclosure = build_disclosure_locator(config.disclosure, seed).fit(
        conversations, disclosure_turns(conversations), sample_weight=weights, calibration_weight=calibration,
        message_targets=move_labels[:, move_codes.index(config.disclosure.move)])

    return SuggestionModel(categories, moves, disclosure, category_codes, move_codes, info=info)
