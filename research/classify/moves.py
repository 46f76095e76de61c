"""The move tagger: multi-label moves for every message.

    conversations ─► MessageTable ─► SpeakerMoveTagger
                                      ├─ user messages ─► features ─► CalibratedOneVsRest (U_ moves)
                                      └─ counsellor messages ─► ...  (C_ moves)

Only the speaker's own moves are possible, so each speaker has its own model.
A message is read with its neighbours (the other speaker's message before it
and after it: a bare «ja» after «har han slått deg?» is a disclosure, after
«vil du fortsette?» it is not) and its position (openings come first,
closings last). Every message gets at least its most likely move.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from research.classify.calibrated import CalibratedOneVsRest
from research.classify.categories import linear
from research.classify.config import MoveConfig
from research.classify.features import MessageTable, column_features, position_part, text_columns
from research.contracts import load_taxonomy


def build_speaker_model(config: MoveConfig, random_state: int = 0) -> Pipeline:
    parts = text_columns(["text"], config.text)
    parts += text_columns(config.context_columns, config.context)
    parts += position_part(config.position_weight)
    return Pipeline([
        ("features", column_features(parts)),
        ("model", CalibratedOneVsRest(linear(config, random_state), cv=config.cv, random_state=random_state)),
    ])


class SpeakerMoveTagger(ClassifierMixin, BaseEstimator):
    """Routes each message row to its speaker's model; columns follow ``classes``.

    Parameters
    ----------
    models: speaker -> unfitted pipeline for that speaker's messages.
    classes: every move code (the columns of Y and of predict_proba).
    speaker_classes: speaker -> the move codes that speaker can have.
    """

    def __init__(self, models: dict, classes: Sequence[str], speaker_classes: dict):
        self.models = models
        self.classes = classes
        self.speaker_classes = speaker_classes

    def _columns(self, speaker: str) -> list[int]:
        return [list(self.classes).index(code) for code in self.speaker_classes[speaker]]

    def fit(self, X, Y, sample_weight=None, calibration_weight=None):
        Y = np.asarray(Y)
        weights = np.ones(len(X)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        calibration = weights if calibration_weight is None else np.asarray(calibration_weight, dtype=float)
        self.models_ = {}
        for speaker, model in self.models.items():
            rows = np.flatnonzero(X["speaker"].to_numpy() == speaker)
            if not len(rows):
                continue
            subset = X.iloc[rows]
            self.models_[speaker] = clone(model).fit(
                subset,
                Y[np.ix_(rows, self._columns(speaker))],
                model__sample_weight=weights[rows],
                model__calibration_weight=calibration[rows],
                model__groups=subset["conversation_id"].to_numpy(),
            )
        return self

    def predict_proba(self, X) -> np.ndarray:
        check_is_fitted(self, "models_")
        proba = np.zeros((len(X), len(self.classes)))
        for speaker, model in self.models_.items():
            rows = np.flatnonzero(X["speaker"].to_numpy() == speaker)
            if len(rows):
                proba[np.ix_(rows, self._columns(speaker))] = model.predict_proba(X.iloc[rows])
        return proba

    def thresholds(self) -> np.ndarray:
        """The per-move decision thresholds (1 + eps for moves never seen)."""
        check_is_fitted(self, "models_")
        thresholds = np.full(len(self.classes), 1.0 + 1e-9)
        for speaker, model in self.models_.items():
            thresholds[self._columns(speaker)] = model[-1].thresholds_
        return thresholds

    def decide(self, proba: np.ndarray, speakers: np.ndarray) -> np.ndarray:
        """Moves at or above threshold; the speaker's best move where none is."""
        chosen = proba >= self.thresholds()
        for speaker in self.models_:
            rows = np.flatnonzero((speakers == speaker) & ~chosen.any(axis=1))
            columns = np.array(self._columns(speaker))
            chosen[rows, columns[proba[np.ix_(rows, columns)].argmax(axis=1)]] = True
        return chosen.astype(int)

    def predict(self, X) -> np.ndarray:
        return self.decide(self.predict_proba(X), X["speaker"].to_numpy())


def build_move_pipeline(config: MoveConfig, random_state: int = 0) -> Pipeline:
    """Conversations in, one row of move scores per message out."""
    taxonomy = load_taxonomy()
    speakers = list(taxonomy.speakers)
    return Pipeline([
        ("table", MessageTable()),
        ("tagger", SpeakerMoveTagger(
            models={speaker: build_speaker_model(config, random_state) for speaker in speakers},
            classes=list(taxonomy.moves),
            speaker_classes={speaker: taxonomy.moves_for(speaker) for speaker in speakers},
        )),
    ])
