"""PERSON from gazetteers and context: first names (with a following surname),
and whatever follows «jeg heter», «vennen min», «tante», «hei», «mvh» ...

A name that is also an ordinary word («liv», «per», «mai», «sol») needs
evidence: a capital letter where a sentence does not start, a context cue, or
the NER. «kjipt liv», «17. mai», «per dag» and «på ski» stay.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex as re
from presidio_analyzer import RecognizerResult

from research.anonymize.lexicon import Lexicon
from research.anonymize.recognizers.base import NorwegianRecognizer
from research.anonymize.recognizers.date_of_birth import MONTHS
from research.anonymize.text import Word, is_sentence_start, lemma_map, strip_genitive, words

POSSESSIVE = r"(?:min|mi|mitt|mine|vår|vårt|våre|din|di|ditt|dine|hans|hennes|hennar|sin|si|sitt)"
DAY_NUMBER = re.compile(r"\d{1,2}\.?\s*$")


class NameEvidence:
    """Decides whether a word can be a name, shared by the PERSON recognizers."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def is_function_word(self, word: str) -> bool:
        lower = word.lower()
        return lower in self.lexicon.function_words or lower in self.lexicon.allowed

    def is_known_name(self, word: str) -> bool:
        lower = word.lower()
        return lower in self.lexicon.first_names or strip_genitive(lower) in self.lexicon.first_names

    def is_ordinary(self, word: str, lemma: str | None = None) -> bool:
        """An everyday word («liv», «hans»), or an inflected form of one
        («barna» -> «barn») unless it is a known name («Idas» -> «Ida»)."""
        lower = word.lower()
        ordinary = self.lexicon.ordinary_words
        if lower in ordinary and strip_genitive(lower) in ordinary:
            return True
        return self.lexicon.is_ordinary(lower, lemma) and not self.is_known_name(word)

    def is_date_month(self, text: str, word: Word) -> bool:
        """«17. mai», «1 juni»: a month after a day number is a date, not a name."""
        return word.lower in MONTHS and bool(DAY_NUMBER.search(text[max(0, word.start - 6) : word.start]))

    def can_follow_cue(self, word: Word, strong: bool, lemma: str | None = None) -> bool:
        """After «jeg heter» any word but a function word is a name; after a
        weaker cue («vennen min», «hei») an ordinary lower-case word is not."""
        if self.is_function_word(word.text) or word.text.isdigit():
            return False
        if word.is_capitalized:
            return True
        ordinary = self.is_ordinary(word.text, lemma)
        return not ordinary or (strong and self.is_known_name(word.text))

    def is_surname(self, word: Word) -> bool:
        """A capitalised word after a first name («Marte Solberg»), or a known surname in lower case."""
        if self.is_function_word(word.text) or word.text.isupper():
            return False
        return word.is_capitalized or word.lower in self.lexicon.surnames


class NameAwareRecognizer(NorwegianRecognizer):
    """A recognizer that weighs words with the shared :class:`NameEvidence`."""

    def __init__(self, lexicon: Lexicon | None = None):
        super().__init__(lexicon)
        self.evidence = NameEvidence(self.lexicon)


class FirstNameRecognizer(NameAwareRecognizer):
    """Known first names, with a following surname when there is one."""

    ENTITY = "PERSON"

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        tokens = words(text)
        lemmas = lemma_map(nlp_artifacts)
        results = []
        for i, word in enumerate(tokens):
            if not self.evidence.is_known_name(word.text) or word.lower in self.lexicon.allowed:
                continue
            score = self.score(text, word, lemmas.get(word.start))
            if score <= 0:
                continue
            end = word.end
            if i + 1 < len(tokens) and self._adjacent(text, word, tokens[i + 1]) and self.evidence.is_surname(tokens[i + 1]):
                end, score = tokens[i + 1].end, max(score, 0.6)
            results.append(self.result(word.start, end, score, "known first name"))
        return results

    def score(self, text: str, word: Word, lemma: str | None = None) -> float:
        if self.evidence.is_date_month(text, word):
            return 0.0
        if not self.evidence.is_ordinary(word.text, lemma) and not self.evidence.is_function_word(word.text):
            return 0.65 if word.is_capitalized else 0.5
        if word.is_capitalized:  # «Per» inside a sentence; at its start only with context
            return 0.2 if is_sentence_start(text, word.start) else 0.45
        return 0.0  # «liv», «per», «mai» in lower case: only a cue makes them names

    @staticmethod
    def _adjacent(text: str, left: Word, right: Word) -> bool:
        return text[left.end : right.start] == " "


class NameContextRecognizer(NameAwareRecognizer):
    """The word(s) after a cue that introduces a name."""

    ENTITY = "PERSON"
    STRONG = re.compile(
        r"\b(?:het(?:er|te)|heit(?:er|te)|hete|kalles|kalla|kall(?:er|e)?\s+(?:meg|han|henne|ho|seg)"
        r"|nav(?:net|n)\s+(?:mitt|hans|hennes|hennar|ditt)?\s*(?:er|e)|namnet\s+(?:mitt|hans|hennar)?\s*(?:er|e)"
        r"|mvh|hilsen|helsing|med\s+vennlig\s+hilsen)[\s,:]+",
        re.IGNORECASE,
    )
    RELATION = re.compile(
        r"\b(?:beste)?(?:venn(?:en|inne|inna|innen)?|ven(?:en)?|kompis(?:en)?|kjæreste(?:n)?|kjærast(?:en)?|bror(?:en)?"
        r"|søster(?:en|a)?|syster(?:a)?"
        r"|(?:stor|lille|halv)(?:bror(?:en)?|søster(?:en|a)?)|fetter(?:en)?|kusin(?:e|a|en)|nabo(?:en)?"
        r"|(?:kontakt)?lærer(?:en)?|lærar(?:en)?|trener(?:en)?|trenar(?:en)?|datter(?:en)?|dattera|sønn(?:en)?"
        r"|barnebarn(?:et)?|ste(?:far|faren|mor|mora|moren)|tant(?:e|a|en)|onkel(?:en)?|kjæresten|gutten|jenta"
        rf"|typen|dama)(?:\s+{POSSESSIVE})?[\s,]+",
        re.IGNORECASE,
    )
    GREETING = re.compile(r"(?<![\p{L}\p{N}])(?:hei|hallo|heisann|hey|takk|tusen\s+takk)[\s,]+", re.IGNORECASE)

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        tokens = words(text)
        lemmas = lemma_map(nlp_artifacts)
        results = []
        for i, (score, strong) in self._cued_words(text, tokens).items():
            word = tokens[i]
            if not self.evidence.can_follow_cue(word, strong, lemmas.get(word.start)):
                continue
            end = word.end
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt and text[word.end : nxt.start] == " " and word.is_capitalized and self.evidence.is_surname(nxt):
                end = nxt.end
            results.append(self.result(word.start, end, score, "name after a cue"))
        return results

    def _cued_words(self, text: str, tokens: Sequence[Word]) -> dict[int, tuple[float, bool]]:
        """Index of each word right after a cue -> (score, strong); the strongest cue wins."""
        index = {word.start: i for i, word in enumerate(tokens)}
        cued: dict[int, tuple[float, bool]] = {}
        for pattern, score, strong in ((self.STRONG, 0.85, True), (self.RELATION, 0.7, False), (self.GREETING, 0.6, False)):
            for match in pattern.finditer(text):
                i = index.get(match.end())
                if i is None or i in cued:
                    continue
                if pattern is self.GREETING and not (tokens[i].is_capitalized or self.evidence.is_known_name(tokens[i].text)):
                    continue  # «hei jeg», «takk for»
                cued[i] = (score, strong)
        return cued


class SurnameRecognizer(NameAwareRecognizer):
    """Surnames on their own, in any case: known ones (Faker's Norwegian,
    Danish and Swedish lists) and the patronymic shape -sen/-son («bertelsen»,
    «Gustavsson»), unless the word is an inflected ordinary word («klassen»)."""

    ENTITY = "PERSON"
    PATRONYMIC = re.compile(r"\p{L}{3,}(?:sen|son)(?:s|'s|’s)?", re.IGNORECASE)

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        lemmas = lemma_map(nlp_artifacts)
        tokens = words(text)
        results = []
        for i, word in enumerate(tokens):
            score = self.score(word, lemmas.get(word.start))
            if score:
                start = self._first_names_before(text, tokens, i)
                results.append(self.result(start, word.end, 0.6 if start < word.start else score, "surname"))
        return results

    def _first_names_before(self, text: str, tokens: Sequence[Word], i: int) -> int:
        """Start of «finn gustavsen», «tor holger bertelsen»: known first names
        right before a surname belong to the name, ordinary words or not."""
        start = tokens[i].start
        while i > 0 and text[tokens[i - 1].end : tokens[i].start] == " " and self.evidence.is_known_name(tokens[i - 1].text):
            i -= 1
            start = tokens[i].start
        return start

    def score(self, word: Word, lemma: str | None) -> float:
        if self.evidence.is_function_word(word.text) or self.evidence.is_ordinary(word.text, lemma):
            return 0.0
        base = strip_genitive(word.lower)
        if word.lower in self.lexicon.surnames or base in self.lexicon.surnames:
            return 0.5
        if self.PATRONYMIC.fullmatch(word.text) and not self._inflected_noun(base):
            return 0.5
        return 0.0

    def _inflected_noun(self, word: str) -> bool:
        """«klassen» = «klasse» + n, «bestekompisen» = «beste» + «kompis» + en:
        a definite noun, or a compound ending in one."""
        for cut in (1, 2):
            stem = word[:-cut]
            if any(stem[i:] in self.lexicon.ordinary_words for i in range(len(stem) - 3)):
                return True
        return False
