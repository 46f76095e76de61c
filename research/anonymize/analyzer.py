"""Presidio's AnalyzerEngine for Norwegian (``nb``: bokmål, nynorsk, lower-case
chat) and a batched front end that runs spaCy once over many messages."""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from collections.abc import Sequence

from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from spacy.language import Language

from research.anonymize.lexicon import Lexicon, load_lexicon
from research.anonymize.nlp_engine import LANGUAGE, ProjectSpacyNlpEngine
from research.anonymize.registry import build_registry
from research.anonymize.spans import AllowList, Span, from_results, resolve
from research.anonymize.text import words
from research.anonymize.truecase import TrueCaser

SCORE_THRESHOLD = 0.4
CONTEXT_WORDS_BEFORE = 5
CONTEXT_WORDS_AFTER = 0


def quiet_presidio_logs() -> None:
    """Presidio logs context words and entity text at DEBUG level; raw text
    must never reach a log, whatever the root logger is set to."""
    for name in ("presidio-analyzer", "presidio-anonymizer"):
        logging.getLogger(name).setLevel(logging.WARNING)


def build_analyzer(nlp: Language | None = None, lexicon: Lexicon | None = None) -> AnalyzerEngine:
    """The AnalyzerEngine on the project's pipeline (or ``nlp``, e.g. in tests)
    with the Norwegian recognizers and lemma-based context enhancement; the
    pipeline reads a truecased copy of each text (see truecase.py)."""
    quiet_presidio_logs()
    lexicon = lexicon or load_lexicon()
    return AnalyzerEngine(
        registry=build_registry(lexicon),
        nlp_engine=ProjectSpacyNlpEngine(nlp, truecase=TrueCaser(lexicon)),
        supported_languages=[LANGUAGE],
        default_score_threshold=SCORE_THRESHOLD,
        context_aware_enhancer=LemmaContextAwareEnhancer(
            context_prefix_count=CONTEXT_WORDS_BEFORE, context_suffix_count=CONTEXT_WORDS_AFTER
        ),
    )


class SpanCache:
    """Spans of texts seen before, keyed by a digest of the text: chats repeat
    «ja», «ok», «takk» and counsellors' set phrases. It holds offsets and types
    only, never text, and forgets the oldest entries beyond ``size``."""

    def __init__(self, size: int = 100_000):
        self.size = size
        self._spans: OrderedDict[bytes, tuple[Span, ...]] = OrderedDict()

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()

    def get(self, key: bytes) -> tuple[Span, ...] | None:
        found = self._spans.get(key)
        if found is not None:
            self._spans.move_to_end(key)
        return found

    def put(self, key: bytes, spans: Sequence[Span]) -> None:
        self._spans[key] = tuple(spans)
        if len(self._spans) > self.size:
            self._spans.popitem(last=False)


class MessageAnalyzer:
    """Final spans per message: Presidio's results, minus the allow-list, with
    overlapping results joined. ``analyze_many`` runs the spaCy pipeline once
    over all texts not seen before (``nlp.pipe``) and the recognizers on the
    precomputed NlpArtifacts."""

    def __init__(self, analyzer: AnalyzerEngine | None = None, lexicon: Lexicon | None = None):
        self.lexicon = lexicon or load_lexicon()
        self.engine = analyzer or build_analyzer(lexicon=self.lexicon)
        self.batch_engine = BatchAnalyzerEngine(self.engine)
        self.allow_list = AllowList(self.lexicon)
        self.cache = SpanCache()

    def analyze(self, text: str) -> list[Span]:
        try:
            return self.finish(text, self.engine.analyze(text, language=LANGUAGE))
        finally:
            words.cache_clear()  # no raw text outlives the call

    def analyze_many(self, texts: Sequence[str], batch_size: int = 256) -> list[list[Span]]:
        keys = [SpanCache.key(text) for text in texts]
        known: dict[bytes, Sequence[Span]] = {}
        new: dict[bytes, str] = {}
        for key, text in zip(keys, texts, strict=True):
            cached = self.cache.get(key)
            if cached is not None:
                known[key] = cached
            else:
                new[key] = text
        results = self.batch_engine.analyze_iterator(list(new.values()), language=LANGUAGE, batch_size=batch_size)
        for (key, text), found in zip(new.items(), results, strict=True):
            known[key] = spans = self.finish(text, found)
            self.cache.put(key, spans)
        words.cache_clear()  # no raw text outlives the call
        return [list(known[key]) for key in keys]

    def finish(self, text: str, results) -> list[Span]:
        return resolve(text, self.allow_list.apply(text, from_results(results)))
