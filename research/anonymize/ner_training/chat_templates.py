"""Invented chat-style NER examples filled from the templates in ``chat_lexicon.yaml``.

Every example is a message text with character-offset entity spans. Slots are
filled with names (Faker ``no_NO`` lists plus our own), places, addresses,
schools, kindergartens and clubs; kinship words, ages, services and the
``negatives`` (names that are ordinary words here: liv, per, mai, sol, ski)
stay O. Each example is written in one chat style (as written, lowercase,
entities lowercase, sentence case), sometimes with chat spellings, typos or
no punctuation, some ending in an emoji. A generator with the same seed gives the same examples.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from .augment import Misspeller
from .lexicon import ChatLexicon, load_lexicon

SLOT = re.compile(r"\{([A-Z]+)\d*\}")
WORD = re.compile(r"\w+")
PUNCTUATION = re.compile(r"[.,!?:;]")
STYLES = ("as_written", "lower", "entities_lower", "sentence_case")
STYLE_WEIGHTS = (0.35, 0.35, 0.15, 0.15)


@dataclass(frozen=True)
class ChatExample:
    text: str
    spans: tuple[tuple[int, int, str], ...]  # (start, end, label), character offsets

    def to_doc(self, tokenizer: Tokenizer) -> Doc:
        """The example as a spaCy Doc; raises when a span does not fall on token boundaries."""
        doc = tokenizer(self.text)
        ents = []
        for start, end, label in self.spans:
            span = doc.char_span(start, end, label=label)
            if span is None:
                raise ValueError(f"span {self.text[start:end]!r} does not align with tokens in {self.text!r}")
            ents.append(span)
        doc.ents = ents
        return doc


@dataclass(frozen=True)
class _Style:
    casing: str
    informal: bool
    strip_punctuation: bool
    emoji: bool = False


class ChatExampleGenerator:
    """Deterministic, seeded generator of :class:`ChatExample` objects."""

    def __init__(self, seed: int = 0, lexicon: ChatLexicon | None = None, negative_share: float = 0.25):
        self.lexicon = lexicon or load_lexicon()
        self.rng = random.Random(seed)
        self.negative_share = negative_share
        self.misspeller = Misspeller(self.lexicon.informal_spellings, informal_rate=0.5, typo_rate=0.08)
        self.fillers: dict[str, Callable[[], str]] = {
            "PER": self.first_name,
            "FULL": self.full_name,
            "LOC": self.place,
            "STREET": self.street,
            "POSTAL": self.postal,
            "SCHOOL": lambda: self.institution(self.lexicon.school_kinds),
            "KINDERGARTEN": lambda: self.institution(self.lexicon.kindergarten_kinds),
            "CLUB": lambda: self.institution(self.lexicon.club_kinds),
            "WORKPLACE": lambda: self.rng.choice(self.lexicon.workplaces),
            "KIN": lambda: self.rng.choice(self.lexicon.kin),
            "AGE": lambda: str(self.rng.randint(6, 17)),
            "SERVICE": lambda: self.rng.choice(self.lexicon.services),
        }

    def generate(self, n: int) -> list[ChatExample]:
        return [self.example() for _ in range(n)]

    def example(self) -> ChatExample:
        negative = self.rng.random() < self.negative_share
        template = self.rng.choice(self.lexicon.negatives if negative else self.lexicon.templates)
        style = _Style(
            casing=self.rng.choices(STYLES, STYLE_WEIGHTS)[0],
            informal=self.rng.random() < 0.3,
            strip_punctuation=self.rng.random() < 0.25,
            emoji=self.rng.random() < 0.2,
        )
        return self.fill(template, style)

    def fill(self, template: str, style: _Style) -> ChatExample:
        """Literal text and slot fillers joined, with each entity's offsets recorded as it is placed."""
        parts: list[str] = []
        spans: list[tuple[int, int, str]] = []
        position = 0
        for index, piece in enumerate(SLOT.split(template)):
            if index % 2 == 0:
                text = self.literal(piece, style)
                label = None
            else:
                text = self.entity_text(self.fillers[piece](), style)
                label = self.lexicon.slot_labels.get(piece)
            if label:
                spans.append((position, position + len(text), label))
            parts.append(text)
            position += len(text)
        text = "".join(parts)
        if style.casing == "sentence_case" and text[:1].islower():
            text = text[0].upper() + text[1:]
        if style.emoji:
            emoji = self.rng.choice(self.lexicon.emoji)
            # a pictograph may touch a last word (the tokenizer splits it off); emoticons and punctuation may not
            glued = not emoji.isascii() and text[-1:].isalnum() and self.rng.random() < 0.5
            text += ("" if glued else " ") + emoji
        return ChatExample(text, tuple(spans))

    def literal(self, text: str, style: _Style) -> str:
        if style.casing == "lower":
            text = text.lower()
        if style.informal:
            text = WORD.sub(lambda m: self.misspeller(m.group(), self.rng), text)
        if style.strip_punctuation:
            text = PUNCTUATION.sub("", text)
        return text

    @staticmethod
    def entity_text(text: str, style: _Style) -> str:
        return text.lower() if style.casing in ("lower", "entities_lower") else text

    # ---------------------------------------------------------------- fillers

    def first_name(self) -> str:
        return self.rng.choice(self.lexicon.first_names)

    def full_name(self) -> str:
        return f"{self.first_name()} {self.rng.choice(self.lexicon.last_names)}"

    def invented_name(self) -> str:
        """A place-like name such as «Granlia» or «Solbakken»."""
        return self.rng.choice(self.lexicon.name_stems) + self.rng.choice(self.lexicon.name_endings)

    def place(self) -> str:
        roll = self.rng.random()
        if roll < 0.7:
            return self.rng.choice(self.lexicon.places)
        if roll < 0.85:
            return self.invented_name()
        return self.first_name() + self.rng.choice(self.lexicon.city_endings)  # Faker's «Astridvik» style

    def street(self) -> str:
        stem = self.rng.choice(self.lexicon.name_stems + self.lexicon.first_names)
        number = str(self.rng.randint(1, 140)) + (self.rng.choice("ABC") if self.rng.random() < 0.15 else "")
        return f"{stem}{self.rng.choice(self.lexicon.street_endings)} {number}"

    def postal(self) -> str:
        return f"{self.rng.randint(1, 9999):04d} {self.rng.choice(self.lexicon.places)}"

    def institution(self, kinds: tuple[str, ...]) -> str:
        name = self.rng.choice(self.lexicon.places) if self.rng.random() < 0.3 else self.invented_name()
        return f"{name} {self.rng.choice(kinds)}"
