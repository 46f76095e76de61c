"""What the pipeline hands the store: a de-identified conversation and the
machine suggestions for it, read from the contract's ``classify`` output.

The store accepts a conversation only when it is marked ``deidentified``: the
mark is set by the de-identification step and nothing else, so raw text
cannot reach the database by a wiring mistake.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from research.contracts import Conversation, load_taxonomy

LOCAL_TIME = ZoneInfo("Europe/Oslo")  # contract §1: times without an offset are Oslo time


class NotDeidentifiedError(ValueError):
    """A conversation reached the store without being de-identified."""


class SuggestionFormatError(ValueError):
    """A suggestions object that breaks the contract; ``field`` says where."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Scored:
    code: str
    score: float | None


@dataclass(frozen=True)
class MachineSuggestions:
    """The contract's ``suggestions`` object plus each message's ``suggested_moves``."""

    model_name: str
    model_version: str
    category_scores: dict[str, float]  # every category code
    suggested_categories: tuple[str, ...]  # the ones above the model's threshold
    disclosure_turn: int | None
    disclosure_score: float | None
    moves: tuple[tuple[Scored, ...], ...]  # per message, the suggested moves
    # The model's decision thresholds, when whoever ran it knows them (the
    # pipeline does); not in the contract's suggestions object. They only set
    # the stored uncertainty margin (research.store.margins).
    category_thresholds: dict[str, float] | None = None
    disclosure_threshold: float | None = None

    @classmethod
    def from_contract(cls, suggestions: dict[str, Any], suggested_moves: list[list[dict]] | None,
                      n_messages: int, thresholds: dict[str, Any] | None = None) -> MachineSuggestions:
        """``thresholds``: the model's, as its ``decision_thresholds`` gives them
        (``category_thresholds`` per code, ``disclosure_threshold``), or None."""
        tax = load_taxonomy()
        model = suggestions.get("model")
        if not isinstance(model, str) or not model.strip():
            raise SuggestionFormatError("suggestions.model", "required model name is missing")
        name, _, version = model.rpartition("/")
        if not name:
            name, version = version, ""
        scores = {}
        for code, score in (suggestions.get("category_scores") or {}).items():
            scores[_code(code, tax.categories, f"suggestions.category_scores.{code}")] = _score(
                score, f"suggestions.category_scores.{code}")
        suggested = []
        for i, item in enumerate(suggestions.get("categories") or []):
            where = f"suggestions.categories[{i}]"
            code = _code(_field(item, "code", where), tax.categories, f"{where}.code")
            suggested.append(code)
            scores.setdefault(code, _score(_field(item, "score", where), f"{where}.score"))
        turn = suggestions.get("disclosure_turn")
        if turn is not None and not (isinstance(turn, int) and 0 <= turn < n_messages):
            raise SuggestionFormatError("suggestions.disclosure_turn", f"{turn!r} is not a message index 0..{n_messages - 1}")
        moves = suggested_moves if suggested_moves is not None else [[] for _ in range(n_messages)]
        if len(moves) != n_messages:
            raise SuggestionFormatError("suggested_moves", f"{len(moves)} lists for {n_messages} messages")
        return cls(
            model_name=name,
            model_version=version,
            category_scores=scores,
            suggested_categories=tuple(suggested),
            disclosure_turn=turn,
            disclosure_score=_score(suggestions.get("disclosure_score"), "suggestions.disclosure_score"),
            moves=tuple(
                tuple(Scored(_code(_field(m, "code", f"messages[{i}].suggested_moves[{j}]"), tax.moves,
                                   f"messages[{i}].suggested_moves[{j}].code"),
                             _score(_field(m, "score", f"messages[{i}].suggested_moves[{j}]"),
                                    f"messages[{i}].suggested_moves[{j}].score"))
                      for j, m in enumerate(per_message))
                for i, per_message in enumerate(moves)
            ),
            **_thresholds(thresholds or {}, tax.categories),
        )

    @classmethod
    def from_classified(cls, classified: dict[str, Any], n_messages: int,
                        thresholds: dict[str, Any] | None = None) -> MachineSuggestions:
        """From either a classified conversation (contract §2 ``classify`` OUT) or a
        bare suggestions object carrying ``suggested_moves`` as a list per message."""
        if "suggestions" in classified:
            moves = [m.get("suggested_moves") or [] for m in classified.get("messages") or []]
            return cls.from_contract(classified["suggestions"], moves or None, n_messages, thresholds)
        return cls.from_contract(classified, classified.get("suggested_moves"), n_messages, thresholds)


def _thresholds(thresholds: dict[str, Any], categories: dict) -> dict[str, Any]:
    """The model's thresholds checked: known codes, finite numbers (above 1 is
    allowed: the model's mark for a category it never saw in training)."""
    given = thresholds.get("category_thresholds")
    return {
        "category_thresholds": None if given is None else {
            _code(code, categories, f"thresholds.category_thresholds.{code}"):
                _threshold(value, f"thresholds.category_thresholds.{code}")
            for code, value in given.items()},
        "disclosure_threshold": _threshold(thresholds.get("disclosure_threshold"), "thresholds.disclosure_threshold"),
    }


def _threshold(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise SuggestionFormatError(where, f"threshold {value!r} is not a number")
    return float(value)


def _field(item: Any, key: str, where: str) -> Any:
    if not isinstance(item, dict):
        raise SuggestionFormatError(where, f"expected an object with {key!r}, got {type(item).__name__}")
    return item.get(key)


def _code(code: Any, table: dict, where: str) -> str:
    if code not in table:
        raise SuggestionFormatError(where, f"unknown code {code!r}")
    return code


def _score(score: Any, where: str) -> float | None:
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0.0 <= score <= 1.0:
        raise SuggestionFormatError(where, f"score {score!r} is not a number in 0..1")
    return float(score)


def local_wall_clock(moment: datetime) -> datetime:
    """Oslo wall-clock time without tzinfo: what the report's months and hours use."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(LOCAL_TIME).replace(tzinfo=None)


@dataclass(frozen=True)
class ConversationRecord:
    """A de-identified conversation ready to store, with its suggestions."""

    conversation: Conversation
    suggestions: MachineSuggestions | None = None

    def __post_init__(self):
        if (self.conversation.model_extra or {}).get("deidentified") is not True:
            raise NotDeidentifiedError(
                f"conversation {self.conversation.conversation_id!r} is not marked deidentified")

    @property
    def id(self) -> str:
        return self.conversation.conversation_id
