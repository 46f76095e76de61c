"""The disclosure locator: the first message where violence is explicitly told.

A message-level classifier scores every message of the contacting person (with
the counsellor's message before it, which may be a direct question, and the one
after it, which often answers a disclosure with «det er ikke lov å slå barn»).
The conversation's disclosure score is a Platt-calibrated function of its best
message score; a conversation is a disclosure when that score reaches a
threshold chosen by cross-validation (maximum F1 on out-of-fold scores), and
the disclosure turn is then the first message whose score reaches a second,
also cross-validated, threshold (the best message when none does).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from research.classify.calibrated import best_f1_threshold, cv_splits, sigmoid
from research.classify.categories import linear
from research.classify.config import DisclosureConfig
from research.classify.features import column_features, position_part, text_columns
from research.classify.frames import as_dicts, message_frame


def build_message_model(config: DisclosureConfig, random_state: int = 0) -> Pipeline:
    parts = text_columns(["text"], config.text)
    parts += text_columns(config.context_columns, config.context)
    parts += position_part(config.position_weight)
    return Pipeline([("features", column_features(parts)), ("model", linear(config, random_state))])


def _first_row_per_group(groups: np.ndarray, rows: np.ndarray, n_groups: int) -> np.ndarray:
    """For each group, the first of the given (ascending) rows in it, or -1."""
    first = np.full(n_groups, -1)
    found, at = np.unique(groups[rows], return_index=True)
    first[found] = rows[at]
    return first


class DisclosureLocator(ClassifierMixin, BaseEstimator):
    """Conversation-level disclosure score and the turn of the first disclosure.

    ``fit(conversations, turns)`` takes the gold turns (-1 for none); message
    targets default to "this message is the turn" but should be given from
    the gold moves (every message carrying the disclosure move).
    """

    def __init__(self, message_model=None, speaker: str = "user", cv: int = 5, random_state: int = 0,
                 grid=(0.05, 0.95, 91)):
        self.message_model = message_model
        self.speaker = speaker
        self.cv = cv
        self.random_state = random_state
        self.grid = grid

    # ------------------------------------------------------------------ helpers
    def _speaker_rows(self, conversations: Sequence[dict[str, Any]]):
        frame = message_frame(conversations)
        frame["conv_row"] = np.repeat(np.arange(len(conversations)), [len(c["messages"]) for c in conversations])
        frame["global_row"] = np.arange(len(frame))
        return frame[frame["speaker"] == self.speaker].reset_index(drop=True)

    def _conversation_decision(self, message_proba: np.ndarray, conv_row: np.ndarray, n: int) -> np.ndarray:
        """Best message score per conversation, as a logit (no message: far negative)."""
        best = np.full(n, 1e-6)
        np.maximum.at(best, conv_row, message_proba)
        best = np.clip(best, 1e-6, 1 - 1e-6)
        return np.log(best / (1 - best))

    def _turns(self, frame, message_proba: np.ndarray, n: int, turn_threshold: float) -> np.ndarray:
        """Per conversation: the first message at or above the threshold, else the best one."""
        conv_row = frame["conv_row"].to_numpy()
        first = _first_row_per_group(conv_row, np.flatnonzero(message_proba >= turn_threshold), n)
        by_score = np.lexsort((-message_proba, conv_row))  # per conversation, best message first
        best = np.full(n, -1)
        found, at = np.unique(conv_row[by_score], return_index=True)
        best[found] = by_score[at]
        rows = np.where(first >= 0, first, best)
        index = frame["index"].to_numpy()
        return np.where(rows >= 0, index[np.maximum(rows, 0)] if len(index) else -1, -1)

    # ------------------------------------------------------------------ fit
    def fit(self, X, y, sample_weight=None, message_targets=None, calibration_weight=None):
        """``calibration_weight`` (default ``sample_weight``) weighs the
        conversations when the sigmoid and both thresholds are chosen."""
        conversations = as_dicts(X)
        turns = np.asarray(y, dtype=int)
        n = len(conversations)
        weights = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        calibration = weights if calibration_weight is None else np.asarray(calibration_weight, dtype=float)
        frame = self._speaker_rows(conversations)
        conv_row = frame["conv_row"].to_numpy()
        targets = self._message_targets(frame, turns, message_targets)
        message_weights = weights[conv_row]

        oof = np.zeros(len(frame))
        for train, test in cv_splits(len(frame), self.cv, self.random_state, groups=conv_row):
            model = self._fit_messages(frame.iloc[train], targets[train], message_weights[train])
            oof[test] = model.predict_proba(frame.iloc[test])[:, 1]

        disclosed = (turns >= 0).astype(int)
        decision = self._conversation_decision(oof, conv_row, n)
        platt = LogisticRegression(C=1e4).fit(decision[:, None], disclosed, sample_weight=calibration)
        self.platt_a_, self.platt_b_ = float(platt.coef_[0, 0]), float(platt.intercept_[0])
        grid = np.linspace(*self.grid[:2], int(self.grid[2]))
        scores = sigmoid(self.platt_a_ * decision + self.platt_b_)
        self.threshold_ = best_f1_threshold(scores, disclosed, calibration, grid)
        self.turn_threshold_ = self._best_turn_threshold(frame, oof, turns, calibration, grid)
        self._score_cv(frame, oof, decision, turns)
        self.message_model_ = self._fit_messages(frame, targets, message_weights)
        return self

    def _score_cv(self, frame, oof: np.ndarray, decision: np.ndarray, turns: np.ndarray) -> None:
        """Out-of-fold conversation F1 and turn-within-±1 share at the chosen thresholds."""
        found = sigmoid(self.platt_a_ * decision + self.platt_b_) >= self.threshold_
        gold = turns >= 0
        tp = int((found & gold).sum())
        self.cv_f1_ = 2 * tp / max(found.sum() + gold.sum(), 1)
        predicted = self._turns(frame, oof, len(turns), self.turn_threshold_)
        hits = found & gold & (np.abs(predicted - turns) <= 1)
        self.cv_turn_within_1_ = float(hits.sum() / tp) if tp else 0.0

    def _message_targets(self, frame, turns: np.ndarray, message_targets) -> np.ndarray:
        if message_targets is not None:  # given for every message: keep this speaker's
            return np.asarray(message_targets, dtype=int)[frame["global_row"].to_numpy()]
        return (frame["index"].to_numpy() == turns[frame["conv_row"].to_numpy()]).astype(int)

    def _fit_messages(self, frame, targets: np.ndarray, weights: np.ndarray):
        model = clone(self.message_model)
        if targets.min() == targets.max():  # one class only: a constant scorer
            return _Constant(float(targets[0]))
        return model.fit(frame, targets, model__sample_weight=weights)

    def _best_turn_threshold(self, frame, oof, turns, weights, grid) -> float:
        """The message threshold whose first crossing is most often within ±1 of gold."""
        disclosed = turns >= 0
        if not disclosed.any():
            return 0.5
        hits = []
        for t in grid:
            predicted = self._turns(frame, oof, len(turns), t)
            hits.append(weights[disclosed] @ (np.abs(predicted[disclosed] - turns[disclosed]) <= 1))
        hits = np.asarray(hits)
        best = np.flatnonzero(np.isclose(hits, hits.max()))
        return float(grid[best[len(best) // 2]])

    # ------------------------------------------------------------------ predict
    def _message_proba(self, frame) -> np.ndarray:
        return self.message_model_.predict_proba(frame)[:, 1] if len(frame) else np.zeros(0)

    def locate(self, X) -> tuple[np.ndarray, np.ndarray]:
        """(turns, scores): the disclosure turn (-1 for none) and the conversation score."""
        check_is_fitted(self, "message_model_")
        conversations = as_dicts(X)
        n = len(conversations)
        frame = self._speaker_rows(conversations)
        proba = self._message_proba(frame)
        decision = self._conversation_decision(proba, frame["conv_row"].to_numpy(), n)
        scores = sigmoid(self.platt_a_ * decision + self.platt_b_)
        turns = self._turns(frame, proba, n, self.turn_threshold_)
        return np.where(scores >= self.threshold_, turns, -1), scores

    def predict_proba(self, X) -> np.ndarray:
        scores = self.locate(X)[1]
        return np.column_stack([1 - scores, scores])

    def predict(self, X) -> np.ndarray:
        return self.locate(X)[0]


class _Constant:
    """A message scorer for a training set with one class only."""

    def __init__(self, value: float):
        self.value = value

    def predict_proba(self, frame) -> np.ndarray:
        return np.column_stack([np.full(len(frame), 1 - self.value), np.full(len(frame), self.value)])


def build_disclosure_locator(config: DisclosureConfig, random_state: int = 0) -> DisclosureLocator:
    return DisclosureLocator(
        message_model=build_message_model(config, random_state),
        speaker=config.speaker,
        cv=config.cv,
        random_state=random_state,
    )
