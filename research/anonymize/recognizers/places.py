"""LOCATION from the list of municipalities, towns and districts, and from
locative context («bor i X», «flytta til X», «hytta på X»)."""

from __future__ import annotations

from collections.abc import Iterable

import regex as re
from presidio_analyzer import RecognizerResult

from research.anonymize.recognizers.gazetteer import GazetteerRecognizer
from research.anonymize.recognizers.names import NameAwareRecognizer
from research.anonymize.text import lemma_map, words


class PlaceGazetteerRecognizer(GazetteerRecognizer):
    """Norwegian municipalities, towns, districts and regions, and the
    world's countries and large cities (``places.txt``, ``world_places.txt``)."""

    ENTITY = "LOCATION"

    def entries(self) -> Iterable[str]:
        return self.lexicon.places


HOUSE_NUMBER = re.compile(r" \d{1,4}(?: ?[A-Ha-h])?\b(?![.,]\d| ?(?:år|kr|%|timer|dager|uker)\b)")


class PlaceContextRecognizer(NameAwareRecognizer):
    """The name after a verb of living or moving and a locative preposition."""

    ENTITY = "LOCATION"
    CUE = re.compile(
        r"\b(?:bor|bur|bodde|budde|bo|bu|flytt(?:a|et|er|e)|kommer|kjem|kom|reis(?:te|er|e)|hytt(?:a|en|e)"
        r"|hjemme|heime|oppvokst|vokste\s+opp|skole(?:n)?|skule(?:n)?|jobb(?:er)?|sendes|kjørt|kjører)"
        r"(?:\s+(?:hit|dit|tilbake|hjem|heim))?\s+(?:i|på|til|fra|frå|ved|utenfor)\s+",
        re.IGNORECASE,
    )

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        tokens = words(text)
        lemmas = lemma_map(nlp_artifacts)
        index = {word.start: i for i, word in enumerate(tokens)}
        results = []
        for cue in self.CUE.finditer(text):
            i = index.get(cue.end())
            if i is None:
                continue
            word = tokens[i]
            if self.evidence.is_function_word(word.text) or word.text.isdigit():
                continue
            known_place = word.lower in self.lexicon.places
            if not word.is_capitalized and not known_place and self.evidence.is_ordinary(word.text, lemmas.get(word.start)):
                continue  # «bor i skogen», «flytta på landet»; but «bor i moss» is the town
            end = word.end
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if word.is_capitalized and nxt and nxt.is_capitalized and text[word.end : nxt.start] == " ":
                end = nxt.end  # «Gamle Oslo», «Nordre Land»
            number = HOUSE_NUMBER.match(text, end)
            if number:
                end = number.end()  # «bor i Liespranget 58B»
            results.append(self.result(word.start, end, 0.7, "place after a locative cue"))
        return results
