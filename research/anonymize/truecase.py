"""Truecasing for the NER: chat is often written in lower case, where a name
looks like any other word. Before the spaCy pipeline runs, a text whose writer
does not capitalise names gets a capital on every word that is not an ordinary
Norwegian word («bor i tafjord» -> «bor i Tafjord»), the cue the NER learned
from edited text. The copy has the same length as the original, so every
offset stays valid; the recognizers still read the original text.
"""

from __future__ import annotations

import regex as re

from research.anonymize.lexicon import Lexicon
from research.anonymize.text import WORD, is_sentence_start

CAPITAL = re.compile(r"\p{Lu}")
# endings of inflected nouns, verbs and adjectives («juleferien», «krangla», «lenkene»)
INFLECTIONS = ("ene", "ane", "en", "et", "er", "ar", "a", "e", "t", "te", "de", "s")
MIN_PART = 4  # the shortest word that counts as the last part of a compound


class TrueCaser:
    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def __call__(self, text: str) -> str:
        if not self.writes_in_lower_case(text):
            return text  # the writer capitalises names: the capitals are already the evidence
        return WORD.sub(self._word, text)

    @staticmethod
    def writes_in_lower_case(text: str) -> bool:
        """No capital letter except where a sentence starts."""
        return all(is_sentence_start(text, m.start()) for m in CAPITAL.finditer(text))

    def _word(self, match: re.Match) -> str:
        word = match.group()
        first = word[0]
        if not first.islower() or len(first.upper()) != 1 or not self.could_be_a_name(word):
            return word
        return first.upper() + word[1:]

    def could_be_a_name(self, word: str) -> bool:
        lower = word.lower()
        if len(lower) < 2 or not lower.isalpha() or lower in self.lexicon.function_words or lower in self.lexicon.allowed:
            return False
        return not self.lexicon.is_ordinary(lower) and not self.is_inflected(lower)

    def is_inflected(self, word: str) -> bool:
        """An inflected form of an ordinary word or of a compound ending in one:
        «juleferien» = «jule» + «ferie» + n; «tafjord» is not (no ending)."""
        ordinary = self.lexicon.ordinary_words
        for ending in INFLECTIONS:
            stem = word[: -len(ending)]
            if not word.endswith(ending) or len(stem) < 3:
                continue
            for base in (stem, stem + "e"):
                if any(base[i:] in ordinary for i in range(len(base) - MIN_PART + 1)):
                    return True
        return False
