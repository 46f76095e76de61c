"""One conversation as the reviewer sees it, read from the store once per run."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from app_streamlit.review.decisions import decide
from research.store import CurrentLabels, Decision, DecisionType, Kind, Label, ReviewRecord, Source, Store
from research.store.independent import labels_seen_by, own_history
from research.store.views import ConversationView, SuggestionView


@dataclass(frozen=True)
class ReviewContext:
    view: ConversationView
    reviewer: str
    independent: bool  # double coding: only the machine's and the reviewer's own decisions count here

    @classmethod
    def load(cls, store: Store, conversation_id: str, reviewer: str) -> ReviewContext | None:
        view = store.conversations.get(conversation_id)
        if view is None:
            return None
        coders = store.assignments.double_coded().get(conversation_id, ())
        return cls(view, reviewer, reviewer in coders)

    @property
    def conversation_id(self) -> str:
        return self.view.id

    @cached_property
    def labels(self) -> CurrentLabels:
        return labels_seen_by(self.view, self.reviewer) if self.independent else self.view.labels

    @cached_property
    def history(self) -> tuple[ReviewRecord, ...]:
        return own_history(self.view, self.reviewer) if self.independent else self.view.history

    # ------------------------------------------------------------------ suggestions

    def suggestion(self, kind: Kind, code: str | None = None) -> SuggestionView | None:
        for s in self.view.suggestions:
            if s.kind == kind and (kind == Kind.disclosure or s.code == code):
                return s
        return None

    def suggestion_for_turn(self, message_index: int) -> SuggestionView | None:
        """The machine's disclosure suggestion if it points at this message."""
        suggestion = self.suggestion(Kind.disclosure)
        return suggestion if suggestion and suggestion.message_index == message_index else None

    def suggested_moves(self, message_index: int) -> list[SuggestionView]:
        moves = [s for s in self.view.suggestions if s.kind == Kind.move and s.message_index == message_index]
        return sorted(moves, key=lambda s: -(s.score or 0.0))

    def category_score(self, code: str) -> float | None:
        suggestion = self.suggestion(Kind.category, code)
        return suggestion.score if suggestion else None

    # ------------------------------------------------------------------ decisions

    def decision_on(self, label: Label) -> DecisionType | None:
        """The human decision behind a label, if a human decided it."""
        for review in self.history:
            if review.id == label.review_id:
                return review.decision
        return None

    def on_click(self, *decisions: Decision) -> dict:
        """Button keyword arguments that save ``decisions`` against the version shown now."""
        return {"on_click": decide,
                "args": (self.conversation_id, self.reviewer, self.view.label_version, decisions, self.independent)}

    def accept_all(self) -> list[Decision]:
        """Accept every machine suggestion no human has decided yet: the
        suggested categories and the disclosure turn (or "no disclosure")."""
        decisions = [
            Decision.category(code, DecisionType.accept, self.suggestion(Kind.category, code).id)
            for code, label in self.labels.categories.items()
            if label.source == Source.machine and label.present
        ]
        disclosure = self.labels.disclosure
        if disclosure.source == Source.machine:
            suggestion = self.suggestion(Kind.disclosure)
            decisions.append(Decision.disclosure_at(disclosure.turn, suggestion.id) if disclosure.turn is not None
                             else Decision.no_disclosure())
        return decisions
