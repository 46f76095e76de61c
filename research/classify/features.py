"""Feature transformers: TF-IDF per text column, position columns, and the
tables (one row per conversation / per message) the pipelines start from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer

from research.classify.config import TextFeatures
from research.classify.frames import MESSAGE_NUMERIC, conversation_frame, message_frame


class ConversationTable(TransformerMixin, BaseEstimator):
    """Conversations -> one row each with the user's and the counsellor's text."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return conversation_frame(X)


class MessageTable(TransformerMixin, BaseEstimator):
    """Conversations -> one row per message with neighbours and position."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return message_frame(X)


class CompactTfidfVectorizer(TfidfVectorizer):
    """A TfidfVectorizer whose saved state holds its vocabulary as one array of
    terms in column order instead of a dict (one skops node, not one per term)."""

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: the base may hand out __dict__ itself
        vocabulary = state.pop("vocabulary_", None)
        if vocabulary is not None:
            state["terms_"] = np.array(sorted(vocabulary, key=vocabulary.get), dtype=str)
        return state

    def __setstate__(self, state):
        terms = state.pop("terms_", None)
        if terms is not None:
            state["vocabulary_"] = {term: column for column, term in enumerate(terms.tolist())}
        super().__setstate__(state)


def tfidf(spec: TextFeatures) -> TfidfVectorizer:
    """A sublinear TF-IDF vectoriser, vocabulary capped, over text the tables
    have already normalised (lower-cased, tags reduced)."""
    return CompactTfidfVectorizer(
        analyzer=spec.analyzer,
        ngram_range=tuple(spec.ngram_range),
        max_features=spec.max_features,
        min_df=spec.min_df,
        lowercase=False,
        sublinear_tf=True,
        dtype=np.float32,
    )


def text_columns(
    columns: Iterable[str], specs: Sequence[TextFeatures], column_weight: float = 1.0
) -> list[tuple[str, TfidfVectorizer, str, float]]:
    """(name, vectoriser, column, weight) for every column x vectoriser spec."""
    return [
        (f"{column}:{spec.analyzer}{spec.ngram_range[0]}{spec.ngram_range[1]}", tfidf(spec), column,
         spec.weight * column_weight)
        for column in columns
        for spec in specs
    ]


def column_features(parts: list[tuple[str, object, object, float]]) -> ColumnTransformer:
    """A ColumnTransformer from (name, transformer, columns, weight) parts."""
    return ColumnTransformer(
        [(name, transformer, columns) for name, transformer, columns, _ in parts],
        transformer_weights={name: weight for name, _, _, weight in parts},
        sparse_threshold=1.0,
    )


def position_part(weight: float) -> list[tuple[str, str, list[str], float]]:
    """The numeric message columns (relative position, first/last, ...) as they are."""
    return [("position", "passthrough", list(MESSAGE_NUMERIC), weight)] if weight > 0 else []
