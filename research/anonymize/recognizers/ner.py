"""PERSON, LOCATION and ORGANIZATION from the project's spaCy NER.

The pipeline's PER/LOC/ORG are mapped to Presidio's entities in the NLP
engine's NerModelConfiguration. An entity that is one ordinary word («liv»,
«Ski» at the start of a sentence) gets a low score: it needs a context word
(«heter», «bor») to count.
"""

from __future__ import annotations

from presidio_analyzer import RecognizerResult
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from research.anonymize.lexicon import Lexicon, load_lexicon
from research.anonymize.nlp_engine import LANGUAGE
from research.anonymize.text import is_sentence_start

NER_ENTITIES = ["PERSON", "LOCATION", "ORGANIZATION"]
# Cues that can confirm a doubtful entity («jeg heter liv», «bor i ski»); not
# «skole», which an organisation entity often contains itself.
CONTEXT_ENTITIES = ["PERSON", "LOCATION"]
NER_SCORE = 0.85
DOUBTFUL_SCORE = 0.3


class NorwegianNerRecognizer(SpacyRecognizer):
    def __init__(self, lexicon: Lexicon | None = None):
        self.lexicon = lexicon or load_lexicon()
        context = [w for entity in CONTEXT_ENTITIES for w in self.lexicon.context_words[entity]]
        super().__init__(
            supported_language=LANGUAGE,
            supported_entities=NER_ENTITIES,
            ner_strength=NER_SCORE,
            context=list(dict.fromkeys(context)),
            name="NorwegianNerRecognizer",
        )

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        results = []
        for result in super().analyze(text, entities, nlp_artifacts):
            if not any(char.isalpha() for char in text[result.start : result.end]):
                continue  # «14», «45 67»: numbers are the pattern recognizers' business
            if self._doubtful(text, result, nlp_artifacts):
                result.score = DOUBTFUL_SCORE
            results.append(result)
        return results

    def _doubtful(self, text: str, result: RecognizerResult, nlp_artifacts) -> bool:
        """Every word of the entity is an ordinary word (or an inflection of
        one), and it is in lower case or starts a sentence: «hvilken skole»,
        «Hvordan kjennes», «sover»."""
        span = nlp_artifacts.tokens.char_span(result.start, result.end, alignment_mode="expand")
        tokens = [t for t in span or () if t.is_alpha]
        if not tokens:
            return False
        if not all(self.lexicon.is_ordinary(t.text, t.lemma_.lower()) or t.is_stop for t in tokens):
            return False
        first = tokens[0]  # the pipeline read a truecased copy: ask the original for the case
        return not text[first.idx].isupper() or is_sentence_start(text, first.idx)
