"""From recognizer results to the final, non-overlapping spans of a message:
the allow-list is applied, overlaps are joined, and names found anywhere in a
conversation are found again in all of its messages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import regex as re
from presidio_analyzer import RecognizerResult

from research.anonymize.lexicon import Lexicon
from research.anonymize.recognizers.names import NameEvidence
from research.anonymize.text import WORD, Gazetteer, Word, strip_genitive

EDGE_PUNCTUATION = " \t\n.,;:!?«»\"()[]{}–—-'’"
NAME_TYPES = frozenset({"PERSON", "LOCATION", "ORGANIZATION"})


@dataclass(frozen=True, order=True)
class Span:
    """A detected piece of personal data: offsets into the original text."""

    start: int
    end: int
    type: str
    score: float = 1.0

    def to_json(self) -> dict:
        return {"start": self.start, "end": self.end, "type": self.type}


def from_results(results: Iterable[RecognizerResult]) -> list[Span]:
    return [Span(r.start, r.end, r.entity_type, r.score) for r in results]


class AllowList:
    """Words and phrases that are never personal data (kinship and role words,
    services, platforms, «Norge»): a name span inside one is dropped, a name
    span that reaches into one is cut back («tante Hege» -> «Hege»). Other
    spans are dropped only when they are an allowed phrase as a whole («ung.no»),
    never cut («magnus_snap» holds «snap»); the phone recognizer itself knows
    the help numbers."""

    def __init__(self, lexicon: Lexicon):
        self.phrases = Gazetteer(lexicon.allowed)

    def regions(self, text: str) -> list[tuple[int, int]]:
        return [(first.start, last.end) for first, last in self.phrases.find(text)]

    def apply(self, text: str, spans: Iterable[Span]) -> list[Span]:
        regions = self.regions(text)
        kept = []
        for span in spans:
            if span.type in NAME_TYPES:
                span = self._cut(text, span, regions)
            elif (span.start, span.end) in regions:  # «ung.no» as a URL
                span = None
            if span is not None:
                kept.append(span)
        return kept

    @staticmethod
    def _cut(text: str, span: Span, regions: list[tuple[int, int]]) -> Span | None:
        start, end = span.start, span.end
        for region_start, region_end in regions:
            if region_start <= start and end <= region_end:
                return None
            if region_start <= start < region_end:
                start = region_end
            elif region_start < end <= region_end:
                end = region_start
        return tidy(text, Span(start, end, span.type, span.score))


def tidy(text: str, span: Span) -> Span | None:
    """Trim spaces and punctuation from the edges; None when nothing is left."""
    start, end = span.start, span.end
    while start < end and text[start] in EDGE_PUNCTUATION and text[start] != "@":
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCTUATION:
        end -= 1
    if not any(char.isalnum() for char in text[start:end]):
        return None  # an emoji or punctuation alone identifies no one
    return Span(start, end, span.type, span.score)


def resolve(text: str, spans: Iterable[Span]) -> list[Span]:
    """Join overlapping spans (and same-type spans one space apart, «Robin» +
    «Lie») into one; it takes the type of its best part: a structured type
    (phone, e-mail, username ...) before a name type, then the longer part
    (a URL holding an @handle is a URL), then the higher score."""
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    merged: list[Span] = []
    for span in ordered:
        if merged and _joins(text, merged[-1], span):
            last = merged[-1]
            best = max((last, span), key=lambda s: (s.type not in NAME_TYPES, s.end - s.start, s.score))
            merged[-1] = Span(last.start, max(last.end, span.end), best.type, best.score)
        else:
            merged.append(span)
    return merged


def _joins(text: str, left: Span, right: Span) -> bool:
    if right.start < left.end:
        return True
    return left.type == right.type and left.type in NAME_TYPES and text[left.end : right.start] == " "


def name_keys(text: str, span: Span) -> set[str]:
    """The lower-case forms under which a name is found again: the whole name
    without a genitive -s, and for a person also the first name alone."""
    surface = " ".join(WORD.findall(text[span.start : span.end].lower()))
    if not surface:
        return set()
    parts = surface.split()
    keys = {" ".join(parts[:-1] + [strip_genitive(parts[-1])])}
    if span.type == "PERSON" and len(parts) > 1:
        keys.add(parts[0])
    return keys


LETTER_RUN = re.compile(r"\p{L}{4,}")


def handle_names(text: str, span: Span, first_names: frozenset[str]) -> set[str]:
    """Names a handle is made of: its first run of letters and any known first
    name in it («kevvi_2010» -> «kevvi», «the.real.kasper» -> «kasper»)."""
    runs = [run.lower() for run in LETTER_RUN.findall(text[span.start : span.end])]
    return set(runs[:1]) | {run for run in runs if run in first_names}


class ConversationNames:
    """Names detected anywhere in a conversation, found again in every
    message: «Mai» named in one message is still a name in «moren til mai»,
    and «Kevvi» in a message is the person behind the handle «kevvi_2010»."""

    def __init__(self, allow_list: AllowList, evidence: NameEvidence):
        self.allow_list = allow_list
        self.evidence = evidence

    def can_propagate(self, key: str) -> bool:
        """Not a function word, and an ordinary word only when it is also a
        known name or place (a mistaken «Hei» must not spread)."""
        if self.evidence.is_function_word(key):
            return False
        lexicon = self.evidence.lexicon
        known = key in lexicon.first_names or key in lexicon.places or key in lexicon.surnames
        return known or " " in key or not lexicon.is_ordinary(key)

    def propagate(self, texts: Sequence[str], spans: Sequence[list[Span]]) -> list[list[Span]]:
        types: dict[str, str] = {}
        first_names = self.evidence.lexicon.first_names
        for text, found in zip(texts, spans, strict=True):
            for span in found:
                if span.type in NAME_TYPES:
                    keys, kind = name_keys(text, span), span.type
                elif span.type == "USERNAME":
                    keys, kind = handle_names(text, span, first_names), "PERSON"
                else:
                    continue
                for key in filter(self.can_propagate, keys):
                    types.setdefault(key, kind)
        if not types:
            return [list(found) for found in spans]
        gazetteer = Gazetteer(types)
        result = []
        for text, found in zip(texts, spans, strict=True):
            extra = [
                Span(first.start, last.end, types[_matched_key(text, first, last, types)], 0.5)
                for first, last in gazetteer.find(text)
                if not self._skip(text, first, found)
            ]
            result.append(resolve(text, list(found) + self.allow_list.apply(text, extra)))
        return result

    def _skip(self, text: str, first: Word, found: list[Span]) -> bool:
        return self.evidence.is_date_month(text, first) or any(s.start <= first.start < s.end for s in found)


def _matched_key(text: str, first: Word, last: Word, keys: dict[str, str]) -> str:
    parts = WORD.findall(text[first.start : last.end].lower())
    whole = " ".join(parts)
    return whole if whole in keys else " ".join(parts[:-1] + [strip_genitive(parts[-1])])
