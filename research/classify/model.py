"""The bundle the platform ships and registers: three estimators, one ``suggest``.

``SuggestionModel.suggest`` takes de-identified conversations and returns them
as the contract's ``disclosure classify`` output lines (contract.md §2): each
with ``"deidentified": true``, a ``suggestions`` object and, per message,
``suggested_moves``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from research.classify.frames import as_dicts

REGISTERED_NAME = "disclosure-classifier"


def _rounded(score: float) -> float:
    return round(float(score), 4)


class SuggestionModel:
    """Category classifier + move tagger + disclosure locator, with their codes.

    ``version`` is what the ``model`` field reports after the registered name:
    a registry version, an alias, or ``shipped`` for the model in the repository.
    """

    def __init__(self, categories, moves, disclosure, category_codes: Sequence[str], move_codes: Sequence[str],
                 version: str = "shipped", info: dict | None = None):
        self.categories = categories
        self.moves = moves
        self.disclosure = disclosure
        self.category_codes = list(category_codes)
        self.move_codes = list(move_codes)
        self.version = version
        self.info = dict(info or {})  # training summary: config name, metrics, digests (no text)

    @property
    def model_name(self) -> str:
        return f"{REGISTERED_NAME}/{self.version}"

    @property
    def category_thresholds(self) -> np.ndarray:
        return self.categories[-1].thresholds_

    @property
    def decision_thresholds(self) -> dict[str, Any]:
        """The thresholds behind ``suggest``'s decisions (a score at or above one
        is suggested), for the store's uncertainty margin. Not part of the
        contract's output: the pipeline hands them to the store beside it.
        A category never seen in training has a threshold just above 1."""
        return {
            "category_thresholds": dict(zip(self.category_codes, map(float, self.category_thresholds), strict=True)),
            "disclosure_threshold": float(self.disclosure.threshold_),
        }

    def predict_all(self, conversations: Sequence[dict[str, Any]]):
        """Raw predictions: category probabilities, move probabilities and decisions
        per message, disclosure turns and scores."""
        category_proba = self.categories.predict_proba(conversations)
        messages = self.moves[0].transform(conversations)
        tagger = self.moves[-1]
        move_proba = tagger.predict_proba(messages)
        move_chosen = tagger.decide(move_proba, messages["speaker"].to_numpy())
        turns, disclosure_scores = self.disclosure.locate(conversations)
        return category_proba, move_proba, move_chosen, turns, disclosure_scores

    def _suggestions(self, category_proba: np.ndarray, turn: int, disclosure_score: float) -> dict[str, Any]:
        suggested = [
            (code, score) for code, score, threshold in zip(
                self.category_codes, category_proba, self.category_thresholds, strict=True)
            if score >= threshold
        ]
        suggested.sort(key=lambda pair: -pair[1])
        return {
            "model": self.model_name,
            "categories": [{"code": code, "score": _rounded(score)} for code, score in suggested],
            "category_scores": {code: _rounded(s) for code, s in zip(self.category_codes, category_proba, strict=True)},
            "disclosure_turn": None if turn < 0 else int(turn),
            "disclosure_score": _rounded(disclosure_score),
        }

    def _moves(self, proba: np.ndarray, chosen: np.ndarray) -> list[dict[str, Any]]:
        picked = [(self.move_codes[j], proba[j]) for j in np.flatnonzero(chosen)]
        picked.sort(key=lambda pair: -pair[1])
        return [{"code": code, "score": _rounded(score)} for code, score in picked]

    def suggest(self, deidentified_conversations: Iterable[Any]) -> list[dict[str, Any]]:
        """The conversations (copies) with ``deidentified``, ``suggestions`` and
        per-message ``suggested_moves`` added."""
        conversations = [copy.deepcopy(c) for c in as_dicts(deidentified_conversations)]
        if not conversations:
            return []
        category_proba, move_proba, move_chosen, turns, scores = self.predict_all(conversations)
        row = 0
        for i, conv in enumerate(conversations):
            conv["deidentified"] = True
            conv["suggestions"] = self._suggestions(category_proba[i], turns[i], scores[i])
            for message in conv["messages"]:
                message["suggested_moves"] = self._moves(move_proba[row], move_chosen[row])
                row += 1
        return conversations
