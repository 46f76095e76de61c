"""Shared, session-scoped fixtures: one de-identifier, one small corpus, one small model."""

from __future__ import annotations

from pathlib import Path

import pytest

from research.classify.config import load_config
from research.classify.corpus import build_training_corpus
from research.classify.fitting import fit_suggestion_model

PROJECT = Path(__file__).resolve().parents[2]
SMALL_CONFIG = PROJECT / "experiments" / "small.yaml"


@pytest.fixture(scope="session")
def deidentifier():
    from research.classify.anonymizer import shared_deidentifier

    return shared_deidentifier()


@pytest.fixture(scope="session")
def small_config():
    return load_config(SMALL_CONFIG)


@pytest.fixture(scope="session")
def small_corpus(small_config, deidentifier):
    """The small config's corpus: de-identified seed slice + generated conversations."""
    return build_training_corpus(small_config.data, deidentifier)


@pytest.fixture(scope="session")
def small_model(small_config, small_corpus):
    return fit_suggestion_model(small_config, small_corpus.train, small_corpus.train_weights)
