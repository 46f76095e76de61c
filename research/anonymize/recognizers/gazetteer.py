"""A recognizer over a list of known names (places, organisations)."""

from __future__ import annotations

from collections.abc import Iterable

from presidio_analyzer import RecognizerResult

from research.anonymize.lexicon import Lexicon
from research.anonymize.recognizers.base import NorwegianRecognizer
from research.anonymize.text import Gazetteer, Word, is_sentence_start, strip_genitive


class GazetteerRecognizer(NorwegianRecognizer):
    """Entries of a list, in any case; an entry that is also an ordinary word
    («Ski», «Moss», «Høyre») only when capitalised inside a sentence, an
    acronym («USA», «NRK») only in capitals."""

    def __init__(self, lexicon: Lexicon | None = None):
        super().__init__(lexicon)
        self.gazetteer = Gazetteer(self.entries())

    def entries(self) -> Iterable[str]:
        raise NotImplementedError

    def entity_of(self, surface: str) -> str:
        return self.ENTITY

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        results = []
        for first, last in self.gazetteer.find(text):
            score = self.score(text, first, last)
            if score > 0:
                result = self.result(first.start, last.end, score, "known name")
                result.entity_type = self.entity_of(text[first.start : last.end])
                results.append(result)
        return results

    def score(self, text: str, first: Word, last: Word) -> float:
        surface = text[first.start : last.end]
        if surface.lower() in self.lexicon.acronyms and not surface.isupper():
            return 0.0
        if first is not last or not self.lexicon.is_ordinary(first.text):
            return 0.65 if first.is_capitalized else 0.5
        if first.is_capitalized and not is_sentence_start(text, first.start):
            return 0.45
        return 0.0  # «på ski», «moss», «høyre»: an ordinary word, left to the NER and to cues


class KnownNameRecognizer(GazetteerRecognizer):
    """Persons, places and organisations annotated in NorNE train
    (``known_names.tsv``), each with its own type."""

    ENTITY = "PERSON"

    def __init__(self, lexicon: Lexicon | None = None):
        super().__init__(lexicon)
        self.supported_entities = sorted(set(self.lexicon.known_names.values()))

    def entries(self) -> Iterable[str]:
        return self.lexicon.known_names

    def entity_of(self, surface: str) -> str:
        key = " ".join(surface.lower().split())
        return self.lexicon.known_names.get(key) or self.lexicon.known_names.get(strip_genitive(key), self.ENTITY)
