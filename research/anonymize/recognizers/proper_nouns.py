"""A capitalised word inside a sentence is a proper noun in Norwegian, which
writes common nouns in lower case: a backstop for names the NER misses."""

from __future__ import annotations

import regex as re
from presidio_analyzer import RecognizerResult

from research.anonymize.lexicon import Lexicon
from research.anonymize.recognizers.names import NameAwareRecognizer
from research.anonymize.text import Word, is_sentence_start, lemma_map, words

LOCATIVE = re.compile(r"\b(?:i|på|fra|frå|til|ved|mot|utenfor|rundt|nær)\s+$", re.IGNORECASE)


class ProperNounRecognizer(NameAwareRecognizer):
    """Capitalised words (runs of them) that do not start a sentence, are not
    ordinary words, function words, acronyms or allow-listed; LOCATION after a
    locative preposition or when a known place, PERSON otherwise."""

    ENTITY = "PERSON"
    SCORE = 0.4

    def __init__(self, lexicon: Lexicon | None = None):
        super().__init__(lexicon)
        self.supported_entities = ["PERSON", "LOCATION"]

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        tokens = words(text)
        lemmas = lemma_map(nlp_artifacts)
        results = []
        i = 0
        while i < len(tokens):
            if not self._is_proper(text, tokens[i], lemmas.get(tokens[i].start)):
                i += 1
                continue
            j = i
            while j + 1 < len(tokens) and tokens[j + 1].is_capitalized and text[tokens[j].end : tokens[j + 1].start] == " " \
                    and not self.evidence.is_function_word(tokens[j + 1].text):
                j += 1
            result = self.result(tokens[i].start, tokens[j].end, self.SCORE, "capitalised word inside a sentence")
            result.entity_type = self._entity(text, tokens[i])
            results.append(result)
            i = j + 1
        return results

    def _is_proper(self, text: str, word: Word, lemma: str | None) -> bool:
        if not word.is_capitalized or word.text.isupper() or any(ch.isdigit() for ch in word.text):
            return False
        if self.evidence.is_function_word(word.text) or is_sentence_start(text, word.start):
            return False
        lower = word.lower
        known = lower in self.lexicon.first_names or lower in self.lexicon.places or lower in self.lexicon.surnames
        return known or not self.evidence.is_ordinary(word.text, lemma)

    def _entity(self, text: str, word: Word) -> str:
        if word.lower in self.lexicon.places or LOCATIVE.search(text[max(0, word.start - 12) : word.start]):
            return "LOCATION"
        return "PERSON"
