"""Surface styles: how one person writes (or how a call is transcribed).

Each conversation draws a :class:`Style` once: lower case or sentence case,
dropped punctuation, typos, slang, a dialect or nynorsk, second-language
slips, emojis, spoken fillers. Styles rewrite only the literal fragments of a
phrase; personal data is at most lower-cased. Offsets are computed after
styling, from the styled fragments, so PII spans always match the text.

One small class per habit, composed by :class:`Style`; :class:`StylePicker`
draws the habits from the per-channel profiles in ``synth_scripts/style.yaml``.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache

from research.contracts import load_taxonomy
from research.corpus.synth_pii import pick

Fragment = tuple[str, str | None]  # (text, PII type or None)
_CASED_TYPES = ("PERSON", "LOCATION", "ORGANIZATION")  # entity types whose surface a lower-case writer lowers too
_END = frozenset(".!?…")
_SENTENCE_START = re.compile(r"([.!?] )(\w)")
_MINE = re.compile(r"\b(min|mi|mitt|mine)\b")
_YOURS = {"min": "din", "mi": "di", "mitt": "ditt", "mine": "dine"}


def _upper(match: re.Match) -> str:
    return match.group(1) + match.group(2).upper()


def _capitalize_sentences(text: str) -> str:
    if ". " in text or "? " in text or "! " in text:
        return _SENTENCE_START.sub(_upper, text)
    return text


@lru_cache(maxsize=4096)
def second_person(words: str) -> str:
    """«stefaren min» as the counsellor says it: «stefaren din»."""
    return _MINE.sub(lambda m: _YOURS[m.group(1)], words)


class Vocabulary:
    """A word table compiled for fast lookup: words by dictionary, phrases by a short regex.

    One big alternation over every word is slow in Python's ``re``; matching
    the few multi-word phrases first and any other word as ``\\w+`` (looked
    up in a dictionary) is fast, and a phrase is never rewritten twice.
    """

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.forms = {word.lower(): tuple(forms) for word, forms in table.items()}
        phrases = sorted((w for w in self.forms if " " in w), key=len, reverse=True)
        self.pattern = re.compile(
            "".join(rf"\b{re.escape(p)}\b|" for p in phrases) + r"\w+", re.IGNORECASE
        )
        self.fixed = all(len(forms) == 1 for forms in self.forms.values())  # no choice: results can be cached
        self.cache: dict[str, str] = {}


class WordSwap:
    """Replace whole words or phrases by one form each, chosen on first use and kept for the conversation."""

    def __init__(self, vocabulary: Vocabulary, rng: random.Random) -> None:
        self.vocabulary = vocabulary
        self.rng = rng
        self.mapping: dict[str, str] = {}

    def _replace(self, match: re.Match) -> str:
        found = match.group(0)
        key = found.lower()
        forms = self.vocabulary.forms.get(key)
        if forms is None:
            return found
        new = self.mapping.get(key)
        if new is None:
            new = self.mapping[key] = forms[0] if len(forms) == 1 else pick(self.rng, forms)
        return new[:1].upper() + new[1:] if found[:1].isupper() else new

    def __call__(self, text: str, rng: random.Random) -> str:
        vocabulary = self.vocabulary
        if vocabulary.fixed:
            cached = vocabulary.cache.get(text)
            if cached is None:
                cached = vocabulary.cache[text] = vocabulary.pattern.sub(self._replace, text)
            return cached
        return vocabulary.pattern.sub(self._replace, text)


class GrammarSlips:
    """Second-language slips: a few word-order and gender rules, chosen per writer."""

    def __init__(self, rules: list[tuple[re.Pattern, str]]) -> None:
        self.rules = rules

    def __call__(self, text: str, rng: random.Random) -> str:
        for pattern, replacement in self.rules:
            text = pattern.sub(replacement, text)
        return text


class DropPunctuation:
    _PATTERN = re.compile(r"[.,!](?=\s|$)")

    def __call__(self, text: str, rng: random.Random) -> str:
        return self._PATTERN.sub("", text)


class Lowercase:
    def __call__(self, text: str, rng: random.Random) -> str:
        return text.lower()


class Typos:
    """Swap, drop, double or mistype letters at a per-word rate."""

    def __init__(self, rate: float, neighbours: dict[str, str]) -> None:
        self.rate = rate
        self.neighbours = neighbours

    def __call__(self, text: str, rng: random.Random) -> str:
        expected = (text.count(" ") + 1) * self.rate
        count = int(expected) + (rng.random() < expected - int(expected))
        if not count or len(text) < 4:
            return text
        chars = list(text)
        for _ in range(count):
            i = rng.randrange(1, len(chars) - 1)
            if not (chars[i].isalpha() and chars[i - 1].isalpha()):
                continue
            roll = rng.random()
            if roll < 0.35:
                chars[i - 1], chars[i] = chars[i], chars[i - 1]
            elif roll < 0.6:
                del chars[i]
            elif roll < 0.8:
                chars.insert(i, chars[i])
            elif chars[i].lower() in self.neighbours:
                chars[i] = rng.choice(self.neighbours[chars[i].lower()])
        return "".join(chars)


@dataclass
class Style:
    """One writer's habits. ``literal`` styles template text; ``finish`` a whole phrase."""

    steps: tuple  # transforms applied in order to literal text
    second_person: bool = False  # the counsellor speaking: cast words «min» become «din»
    lower_names: bool = False
    sentence_case: bool = False
    end_punct: bool = False
    emoji_rate: float = 0.0
    fillers: tuple[str, ...] = ()
    filler_rate: float = 0.0
    emojis: dict | None = None
    moods: dict | None = None

    def literal(self, text: str, rng: random.Random) -> str:
        for step in self.steps:
            text = step(text, rng)
        return text

    def word(self, text: str, rng: random.Random) -> str:
        """A cast word (kinship, pronoun, age) in this speaker's mouth."""
        return self.literal(second_person(text) if self.second_person else text, rng)

    def pii(self, text: str, entity: str) -> str:
        return text.lower() if self.lower_names and entity in _CASED_TYPES else text

    def finish(self, frags: list[Fragment], moves: tuple[str, ...], rng: random.Random) -> list[Fragment]:
        """Phrase-level habits: capitals, final stop, fillers, an emoji at the end."""
        if not frags or not (self.sentence_case or self.fillers or self.emoji_rate):
            return frags
        if self.sentence_case:
            frags = [(_capitalize_sentences(t), None) if e is None else (t, e) for t, e in frags]
            if frags[0][1] is None:
                first = frags[0][0]
                frags[0] = (first[:1].upper() + first[1:], None)
        if self.fillers and rng.random() < self.filler_rate:
            lead = frags[0]
            if lead[1] is None:  # «eh, jeg …»: the phrase's capital moves to the filler
                frags[0] = (lead[0][:1].lower() + lead[0][1:], None)
            filler = rng.choice(self.fillers)
            frags.insert(0, (filler[:1].upper() + filler[1:] if self.sentence_case else filler, None))
        if self.end_punct and frags[-1][0][-1:] not in _END:
            frags.append((".", None))
        if self.emoji_rate and rng.random() < self.emoji_rate:
            mood = next((self.moods[m] for m in moves if m in self.moods), "neutral")
            frags.append((" " + rng.choice(self.emojis[mood]), None))
        return frags




class StylePicker:
    """Draws a writer's habits from the channel's profile (young children and adults differ)."""

    def __init__(self, config: dict) -> None:
        for name, table in [("slang", config["slang"]), *config["dialects"].items()]:
            for word, forms in table.items():
                if not all(isinstance(f, str) for f in [word, *forms]):  # YAML reads a bare no/yes/on as a boolean
                    raise ValueError(f"style.yaml: {name}.{word}: every form must be text, got {forms!r}")
        self.config = config
        self.slang = Vocabulary(config["slang"])
        self.dialects = {name: Vocabulary(table) for name, table in config["dialects"].items()}
        self.slips = [(re.compile(p), r) for p, r in config["second_language"]]
        self.spoken = Vocabulary(config["spoken"])
        self.spoken_user = Vocabulary(config["spoken_user"])
        self.neighbours = self._neighbours(config["keyboard_rows"])
        moves = load_taxonomy().moves
        unknown = [m for m in config["emoji_moods"] if m not in moves]
        if unknown:
            raise ValueError(f"style.yaml: emoji_moods: unknown moves {unknown}")

    @staticmethod
    def _neighbours(rows: list[str]) -> dict[str, str]:
        out = {}
        for row in rows:
            for i, ch in enumerate(row):
                out[ch] = row[max(0, i - 1) : i] + row[i + 1 : i + 2]
        return out

    def profile(self, channel: str, adult: bool, age: int | None) -> dict:
        profile = dict(self.config["profiles"][channel])
        if profile.get("transcribed"):
            if adult:
                profile.update(self.config["adult_transcribed"])
            return profile
        if adult:
            profile.update(self.config["adult"])
        elif age is not None and age <= 10:
            profile.update(self.config["young"])
        return profile

    def counsellor(self, rng: random.Random, channel: str) -> Style:
        """The counsellor writes as authored; on the phone the phrases are said, not written."""
        steps = (WordSwap(self.spoken, rng),) if channel == "telefon" else ()
        return Style(steps=steps, second_person=True)

    def pick(self, rng: random.Random, channel: str, adult: bool, age: int | None) -> Style:
        p = self.profile(channel, adult, age)
        steps: list = []
        if channel == "telefon":
            steps.append(WordSwap(self.spoken_user, rng))
        roll = rng.random()
        dialect = None
        if roll < p["dialect"]:
            dialect = rng.choice([name for name in self.dialects if name != "nynorsk"])
        elif roll < p["dialect"] + p["nynorsk"]:
            dialect = "nynorsk"
        if rng.random() < p["slang"]:
            steps.append(WordSwap(self.slang, rng))
        if dialect:
            steps.append(WordSwap(self.dialects[dialect], rng))
        if rng.random() < p["second_language"]:
            steps.append(GrammarSlips(rng.sample(self.slips, k=min(len(self.slips), rng.randint(2, 4)))))
        case_roll = rng.random()
        lower = case_roll < p["lower"]
        sentence = not lower and case_roll < p["lower"] + p["sentence"]
        if lower:
            steps.append(Lowercase())
        drop = rng.random() < p["drop_punct"]
        if drop:
            steps.append(DropPunctuation())
        rate = rng.choice(p["typo"])
        if rate:
            steps.append(Typos(rate, self.neighbours))
        uses_emoji = rng.random() < p["emoji"]
        return Style(
            steps=tuple(steps),
            lower_names=lower and rng.random() < p["lower_names"],
            sentence_case=sentence,
            end_punct=sentence and not drop,
            emoji_rate=p["emoji_rate"] if uses_emoji else 0.0,
            fillers=tuple(self.config["fillers"]) if p["fillers"] else (),
            filler_rate=p["fillers"] * 0.4,
            emojis=self.config["emoji"],
            moods=self.config["emoji_moods"],
        )
