"""The conversation-category classifier: multi-label over every leaf code.

    conversations ─► ConversationTable ─► TF-IDF (user text, counsellor text;
    word and char_wb n-grams) ─► CalibratedOneVsRest (calibrated scores,
    per-label thresholds from cross-validation)

The user's text carries most of the signal; the counsellor's text (down-
weighted) helps where the child only hints and the counsellor names it.
"""

from __future__ import annotations

from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from research.classify.calibrated import CalibratedOneVsRest
from research.classify.config import CategoryConfig, LinearModel
from research.classify.features import ConversationTable, column_features, text_columns


def linear(config: LinearModel, random_state: int) -> LogisticRegression:
    """L2 logistic regression; liblinear's dual solver is many times faster on
    wide sparse text features than the primal one."""
    return LogisticRegression(
        C=config.C, class_weight=config.class_weight, solver="liblinear", dual=True, max_iter=5000,
        random_state=random_state,
    )


def build_category_pipeline(config: CategoryConfig, random_state: int = 0) -> Pipeline:
    parts = text_columns(["user_text"], config.text)
    if config.counsellor_weight > 0:
        parts += text_columns(["counsellor_text"], config.text, config.counsellor_weight)
    return Pipeline([
        ("table", ConversationTable()),
        ("features", column_features(parts)),
        ("model", CalibratedOneVsRest(linear(config, random_state), cv=config.cv, random_state=random_state)),
    ])
