"""Small text helpers shared by the recognizers: words, sentence starts and a
gazetteer that finds one- and multi-word entries with an optional genitive -s."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple
from weakref import WeakKeyDictionary

import regex as re

WORD = re.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’-]*")
# A period after a number is an ordinal («17. mai», «5. klasse»), not a sentence end.
SENTENCE_END = re.compile(r"(?:(?<!\b\d{1,2})[.!?…]|[\n:;«\"(\-–—])[\s\"»)]*$")
LIST_NUMBER = re.compile(r"(?:^|\s)\d{1,2}[.)]$")
LETTER_OR_DIGIT = re.compile(r"[\p{L}\p{N}]")
DIGIT = re.compile(r"\d")


def count_digits(text: str) -> int:
    return len(DIGIT.findall(text))


class Word(NamedTuple):  # a tuple: made for every word of every message, so it must be cheap
    start: int
    end: int
    text: str
    lower: str

    @property
    def is_capitalized(self) -> bool:
        return self.text[:1].isupper()


_LEMMA_MAPS: WeakKeyDictionary = WeakKeyDictionary()


def lemma_map(nlp_artifacts) -> dict[int, str]:
    """Start offset -> lower-case lemma of each token the pipeline produced
    (empty without a pipeline or lemmatizer); built once per NlpArtifacts,
    however many recognizers ask."""
    if nlp_artifacts is None or not nlp_artifacts.tokens:
        return {}
    found = _LEMMA_MAPS.get(nlp_artifacts)
    if found is None:
        found = _LEMMA_MAPS[nlp_artifacts] = {
            start: lemma.lower() for start, lemma in zip(nlp_artifacts.tokens_indices, nlp_artifacts.lemmas, strict=True)
            if lemma
        }
    return found


@lru_cache(maxsize=16)
def words(text: str) -> tuple[Word, ...]:
    """The words of a text, cached while a message is analysed (every
    recognizer asks for them); MessageAnalyzer clears the cache after each call."""
    return tuple(Word(m.start(), m.end(), m.group(), m.group().lower()) for m in WORD.finditer(text))


def is_sentence_start(text: str, start: int) -> bool:
    """True when nothing but punctuation, a line break or a sentence end comes
    before ``start`` (where a capital letter says nothing about a name)."""
    before = text[:start].rstrip()
    if not LETTER_OR_DIGIT.search(before[-40:] if before else ""):
        return True
    if text[start : start + 1].isupper() and LIST_NUMBER.search(before):
        return True  # «4. Anmeld det»: a numbered list item, not «17. mai»
    return bool(SENTENCE_END.search(text[max(0, start - 40) : start]))


def strip_genitive(word: str) -> str:
    """«Idas» -> «Ida», «Jonas'» -> «Jonas»; other words unchanged."""
    if word.endswith(("'", "’")):
        return word[:-1]
    return word[:-1] if len(word) > 3 and word[-1] in "sS" else word


class Gazetteer:
    """Finds entries of a word list in text, whole words only, case-insensitive.

    Multi-word entries («Mo i Rana», «Nore og Uvdal») are matched word by word;
    a genitive -s on the last word is included in the match («Oslos»).
    """

    def __init__(self, entries: Iterable[str]):
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for entry in entries:
            parts = tuple(w.lower() for w in WORD.findall(entry))
            if parts:
                self._by_first.setdefault(parts[0], []).append(parts)
        for options in self._by_first.values():
            options.sort(key=len, reverse=True)  # longest entry first

    def __contains__(self, word: str) -> bool:
        return (word.lower(),) in self._by_first.get(word.lower(), [])

    def _candidates(self, lower: str) -> list[tuple[str, ...]]:
        found = self._by_first.get(lower, [])
        if lower[-1:] in "s'’":
            base = strip_genitive(lower)
            if base != lower and base in self._by_first:
                found = found + [parts for parts in self._by_first[base] if len(parts) == 1]
        return found

    def find(self, text: str, tokens: Sequence[Word] | None = None) -> Iterator[tuple[Word, Word]]:
        """Yield (first word, last word) of every entry found, longest first at
        each position, never overlapping."""
        tokens = tokens if tokens is not None else words(text)
        i = 0
        while i < len(tokens):
            matched = 0
            for parts in self._candidates(tokens[i].lower):
                n = len(parts)
                window = tokens[i : i + n]
                if len(window) == n and self._same(window, parts):
                    matched = n
                    break
            if matched:
                yield tokens[i], tokens[i + matched - 1]
                i += matched
            else:
                i += 1

    @staticmethod
    def _same(window: Sequence[Word], parts: tuple[str, ...]) -> bool:
        *head, last = window
        if any(w.lower != p for w, p in zip(head, parts, strict=False)):
            return False
        return last.lower == parts[-1] or strip_genitive(last.lower) == parts[-1]
