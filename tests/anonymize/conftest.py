"""Fixtures of the anonymize room: loaded once per test session.

``blank_analyzer`` runs the regex and gazetteer recognizers on
``spacy.blank("nb")`` (no NER, no lemmas); ``deidentifier`` uses the shipped
pipeline in models/nb_chat_ner.
"""

from __future__ import annotations

import pytest
import spacy

from research.anonymize.analyzer import MessageAnalyzer, build_analyzer
from research.anonymize.deidentify import Deidentifier
from research.anonymize.lexicon import load_lexicon


@pytest.fixture(scope="session")
def lexicon():
    return load_lexicon()


@pytest.fixture(scope="session")
def blank_analyzer(lexicon) -> MessageAnalyzer:
    return MessageAnalyzer(build_analyzer(nlp=spacy.blank("nb"), lexicon=lexicon), lexicon)


@pytest.fixture(scope="session")
def deidentifier(lexicon) -> Deidentifier:
    return Deidentifier(lexicon=lexicon)


@pytest.fixture(scope="session")
def find(blank_analyzer):
    """text -> {(surface, type)} of every final span (regex and gazetteer recognizers)."""
    return lambda text: {(text[s.start : s.end], s.type) for s in blank_analyzer.analyze(text)}


@pytest.fixture(scope="session")
def surfaces(find):
    """text -> the set of detected surfaces."""
    return lambda text: {surface for surface, _ in find(text)}
