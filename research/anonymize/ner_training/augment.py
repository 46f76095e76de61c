"""Chat-like copies of edited NorNE sentences: lowercased, without punctuation, informally spelled, with emoji.

NorNE is news text where nearly every name is capitalised; chats are not. Each
augmenter is a small callable ``(sentence, rng) -> sentence`` that keeps the
entity tags aligned with the tokens; :class:`ChatAugmenter` composes them and
decides, per sentence, which copies to add.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .sentence import TaggedSentence


def is_punctuation(word: str) -> bool:
    return all(unicodedata.category(char).startswith("P") for char in word)


def match_case(word: str, model: str) -> str:
    """``word`` capitalised like ``model`` (first letter only; chat spelling is rarely all caps)."""
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


class Misspeller:
    """Writes a word the way people type in chats: a known informal spelling, or a small typo."""

    def __init__(self, spellings: Mapping[str, Sequence[str]], informal_rate: float = 0.6, typo_rate: float = 0.05):
        self.spellings = spellings
        self.informal_rate = informal_rate
        self.typo_rate = typo_rate

    def __call__(self, word: str, rng: random.Random) -> str:
        forms = self.spellings.get(word.lower())
        if forms and rng.random() < self.informal_rate:
            return match_case(rng.choice(forms), word)
        if len(word) > 3 and word.isalpha() and rng.random() < self.typo_rate:
            return self.typo(word, rng)
        return word

    @staticmethod
    def typo(word: str, rng: random.Random) -> str:
        """Swap two neighbouring letters, drop one, or double one (never the first letter)."""
        i = rng.randrange(1, len(word) - 1)
        kind = rng.randrange(3)
        if kind == 0:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if kind == 1:
            return word[:i] + word[i + 1 :]
        return word[:i] + word[i] + word[i:]


class Lowercase:
    def __call__(self, sentence: TaggedSentence, rng: random.Random) -> TaggedSentence:
        return sentence.with_words([word.lower() for word in sentence.words])


class StripPunctuation:
    """Drops punctuation tokens outside entities (chat messages often have none)."""

    def __call__(self, sentence: TaggedSentence, rng: random.Random) -> TaggedSentence:
        kept = [
            i for i, (word, tag) in enumerate(zip(sentence.words, sentence.tags, strict=True))
            if tag != "O" or not is_punctuation(word)
        ]
        return sentence.keep(kept) if kept else sentence


class InformalSpelling:
    """Chat spellings and typos in the words outside entities."""

    def __init__(self, misspeller: Misspeller):
        self.misspeller = misspeller

    def __call__(self, sentence: TaggedSentence, rng: random.Random) -> TaggedSentence:
        words = [
            self.misspeller(word, rng) if tag == "O" else word
            for word, tag in zip(sentence.words, sentence.tags, strict=True)
        ]
        return sentence.with_words(words)


class AppendEmoji:
    """Ends the sentence with an emoji or emoticon (O), as chat messages often do."""

    def __init__(self, emoji: Sequence[str]):
        self.emoji = emoji

    def __call__(self, sentence: TaggedSentence, rng: random.Random) -> TaggedSentence:
        return TaggedSentence(
            words=sentence.words + (rng.choice(self.emoji),),
            spaces=sentence.spaces[:-1] + (True, False),
            tags=sentence.tags + ("O",),
        )


@dataclass(frozen=True)
class AugmentationPlan:
    """Shares of sentences that get each kind of copy (with entities / without)."""

    lowercase_with_entities: float = 0.9
    lowercase_without_entities: float = 0.15
    strip_punctuation: float = 0.12
    chat_style: float = 0.25  # informal spelling, mostly also lowercased and without punctuation
    chat_style_lowercase: float = 0.75
    chat_style_strip: float = 0.5
    chat_style_emoji: float = 0.25


class ChatAugmenter:
    """Adds chat-like copies of sentences according to an :class:`AugmentationPlan`."""

    def __init__(self, misspeller: Misspeller, emoji: Sequence[str], plan: AugmentationPlan | None = None):
        self.plan = plan or AugmentationPlan()
        self.lowercase = Lowercase()
        self.strip = StripPunctuation()
        self.informal = InformalSpelling(misspeller)
        self.append_emoji = AppendEmoji(emoji)

    def copies(self, sentence: TaggedSentence, rng: random.Random) -> list[TaggedSentence]:
        plan = self.plan
        out = []
        lower_share = plan.lowercase_with_entities if sentence.has_entities else plan.lowercase_without_entities
        if rng.random() < lower_share:
            out.append(self.lowercase(sentence, rng))
        if rng.random() < plan.strip_punctuation:
            out.append(self.strip(sentence, rng))
        if rng.random() < plan.chat_style:
            out.append(self.chat_style(sentence, rng))
        return out

    def chat_style(self, sentence: TaggedSentence, rng: random.Random) -> TaggedSentence:
        copy = self.informal(sentence, rng)
        if rng.random() < self.plan.chat_style_lowercase:
            copy = self.lowercase(copy, rng)
        if rng.random() < self.plan.chat_style_strip:
            copy = self.strip(copy, rng)
        if rng.random() < self.plan.chat_style_emoji:
            copy = self.append_emoji(copy, rng)
        return copy

    def augment(self, sentences: Iterable[TaggedSentence], rng: random.Random) -> list[TaggedSentence]:
        """The chat-like copies only (the originals are not repeated)."""
        return [copy for sentence in sentences for copy in self.copies(sentence, rng)]
