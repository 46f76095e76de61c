"""How well de-identification works, measured on gold files.

* Leaks: a gold PII item leaks when any letter or digit of it is not covered
  by a detected span (the item can still identify someone), counted per type.
* Over-redaction: the share of characters outside gold spans that a detected
  span removes, and every kinship or role word («mamma», «tante») removed.
* NorNE: each sentence of a CoNLL-U file is one message; the share of
  PER/LOC/GPE_LOC/GPE_ORG/ORG entities that leak, as written and lower-cased.

The reports hold counts only, never text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from research.anonymize.deidentify import Deidentifier
from research.anonymize.spans import Span
from research.anonymize.text import words
from research.contracts import Conversation, read_conversations

NORNE_TYPES = frozenset({"PER", "LOC", "GPE_LOC", "GPE_ORG", "ORG"})


def covered(spans: Iterable[Span], length: int) -> list[bool]:
    mask = [False] * length
    for span in spans:
        for i in range(span.start, min(span.end, length)):
            mask[i] = True
    return mask


def leaks(text: str, start: int, end: int, mask: Sequence[bool]) -> bool:
    """True when a letter or digit of text[start:end] is left uncovered."""
    return any(text[i].isalnum() and not mask[i] for i in range(start, end))


@dataclass
class LeakReport:
    total: Counter = field(default_factory=Counter)
    leaked: Counter = field(default_factory=Counter)
    outside_chars: int = 0
    removed_outside_chars: int = 0
    kinship_words: int = 0
    kinship_removed: int = 0

    def add_item(self, kind: str, leaked: bool) -> None:
        self.total[kind] += 1
        self.leaked[kind] += leaked

    @property
    def leak_rate(self) -> float:
        return _rate(sum(self.leaked.values()), sum(self.total.values()))

    def leak_rate_of(self, kind: str) -> float:
        return _rate(self.leaked[kind], self.total[kind])

    @property
    def over_redaction(self) -> float:
        return _rate(self.removed_outside_chars, self.outside_chars)

    def lines(self) -> list[str]:
        out = [f"leaks: {sum(self.leaked.values())}/{sum(self.total.values())} = {self.leak_rate:.1%}"]
        for kind in sorted(self.total):
            out.append(f"  {kind:<15} {self.leaked[kind]:>4}/{self.total[kind]:<4} = {self.leak_rate_of(kind):.1%}")
        if self.outside_chars:
            out.append(
                f"over-redaction: {self.removed_outside_chars}/{self.outside_chars} characters outside gold spans "
                f"= {self.over_redaction:.2%}"
            )
            out.append(f"kinship/role words removed: {self.kinship_removed} of {self.kinship_words}")
        return out


def _rate(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


# ------------------------------------------------------------------ gold conversations


def evaluate_conversations(
    conversations: Iterable[Conversation], deidentifier: Deidentifier, report: LeakReport | None = None
) -> LeakReport:
    """Leaks and over-redaction against the gold ``pii`` spans of each message."""
    report = report or LeakReport()
    conversations = list(conversations)
    kinship = deidentifier.lexicon.kinship_roles
    for conversation, result in zip(conversations, deidentifier.deidentify(conversations), strict=True):
        for message, found in zip(conversation.messages, result.spans, strict=True):
            text = message.text
            mask = covered(found, len(text))
            gold = covered([Span(p.start, p.end, p.type) for p in message.pii or []], len(text))
            for item in message.pii or []:
                report.add_item(item.type, leaks(text, item.start, item.end, mask))
            outside = [i for i, char in enumerate(text) if not gold[i] and not char.isspace()]
            report.outside_chars += len(outside)
            report.removed_outside_chars += sum(mask[i] for i in outside)
            for word in words(text):
                if word.lower in kinship and not any(gold[word.start : word.end]):
                    report.kinship_words += 1
                    report.kinship_removed += any(mask[word.start : word.end])
    return report


def evaluate_gold_file(path: str | Path, deidentifier: Deidentifier | None = None) -> LeakReport:
    conversations, problems = read_conversations(path)
    if problems:
        raise ValueError(f"{path}: {len(problems)} invalid lines, first: {problems[0]}")
    return evaluate_conversations(conversations, deidentifier or Deidentifier())


# ------------------------------------------------------------------ NorNE


@dataclass(frozen=True)
class NerSentence:
    text: str
    entities: tuple[tuple[int, int, str], ...]  # (start, end, NorNE type)


def read_conllu(path: str | Path) -> Iterator[NerSentence]:
    """Sentences of a NorNE UD file (``# text`` comment, ``name=`` IOB2 tags)
    with each entity's character offsets in the sentence text."""
    text, tokens = None, []
    for line in Path(path).read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("# text = "):
            text = line[len("# text = ") :]
        elif line and not line.startswith("#"):
            columns = line.split("\t")
            if columns[0].isdigit():
                tokens.append((columns[1], columns[9]))
        elif not line and tokens:
            if text is not None:
                yield NerSentence(text, tuple(_entities(text, tokens)))
            text, tokens = None, []


def _entities(text: str, tokens: list[tuple[str, str]]) -> Iterator[tuple[int, int, str]]:
    cursor, current = 0, None
    for form, misc in tokens:
        start = text.find(form, cursor)
        if start < 0:  # a token that differs from the text: skip it, keep the cursor
            continue
        end = cursor = start + len(form)
        tag = next((part[5:] for part in misc.split("|") if part.startswith("name=")), "O")
        if tag.startswith("B-") or (tag.startswith("I-") and current is None):
            if current:
                yield current
            current = (start, end, tag[2:])
        elif tag.startswith("I-") and current:
            current = (current[0], end, current[2])
        else:
            if current:
                yield current
            current = None
    if current:
        yield current


def evaluate_ner_sentences(
    sentences: Sequence[NerSentence], deidentifier: Deidentifier, lowercase: bool = False
) -> LeakReport:
    """Each sentence analysed as a message of its own; only the chosen entity types count."""
    texts = [s.text.lower() if lowercase else s.text for s in sentences]
    report = LeakReport()
    for text, sentence, found in zip(texts, sentences, deidentifier.messages.analyze_many(texts), strict=True):
        mask = covered(found, len(text))
        for start, end, kind in sentence.entities:
            if kind in NORNE_TYPES:
                report.add_item(kind, leaks(text, start, end, mask))
    return report


def evaluate_norne(path: str | Path, deidentifier: Deidentifier | None = None) -> dict[str, LeakReport]:
    deidentifier = deidentifier or Deidentifier()
    sentences = list(read_conllu(path))
    return {
        "as written": evaluate_ner_sentences(sentences, deidentifier),
        "lowercased": evaluate_ner_sentences(sentences, deidentifier, lowercase=True),
    }


def report_lines(gold: str | Path, norne_files: Sequence[str | Path] = ()) -> Iterator[str]:
    """The evaluation report of ``disclosure anonymize-eval``, one line at a time."""
    deidentifier = Deidentifier()
    yield f"# {gold}"
    yield from evaluate_gold_file(gold, deidentifier).lines()
    for path in norne_files:
        for variant, report in evaluate_norne(path, deidentifier).items():
            yield f"# {path} ({variant})"
            yield from report.lines()
