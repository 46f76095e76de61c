"""The recognizer registry: every Norwegian recognizer, composed once."""

from __future__ import annotations

from presidio_analyzer import RecognizerRegistry

from research.anonymize.lexicon import Lexicon, load_lexicon
from research.anonymize.nlp_engine import LANGUAGE
from research.anonymize.recognizers import NAME_RECOGNIZERS, PATTERN_RECOGNIZERS, NorwegianNerRecognizer


def build_registry(lexicon: Lexicon | None = None, with_ner: bool = True) -> RecognizerRegistry:
    """A registry for ``nb`` holding only the project's recognizers (Presidio's
    English defaults are never loaded)."""
    lexicon = lexicon or load_lexicon()
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    classes = (*PATTERN_RECOGNIZERS, *NAME_RECOGNIZERS) + ((NorwegianNerRecognizer,) if with_ner else ())
    for cls in classes:
        registry.add_recognizer(cls(lexicon))
    return registry
