"""One tokenised training sentence with IOB2 entity tags, and its conversion to spaCy."""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc
from spacy.vocab import Vocab


@dataclass(frozen=True)
class TaggedSentence:
    """Tokens, whether a space follows each, IOB2 tags with pipeline labels, and lemmas when known."""

    words: tuple[str, ...]
    spaces: tuple[bool, ...]
    tags: tuple[str, ...]
    lemmas: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if not (len(self.words) == len(self.spaces) == len(self.tags)):
            raise ValueError("words, spaces and tags differ in length")

    @property
    def text(self) -> str:
        return "".join(w + (" " if s else "") for w, s in zip(self.words, self.spaces, strict=True)).rstrip()

    @property
    def has_entities(self) -> bool:
        return any(tag != "O" for tag in self.tags)

    def entity_spans(self) -> list[tuple[int, int, str]]:
        """(first token, end token, label) of each entity."""
        spans: list[tuple[int, int, str]] = []
        for i, tag in enumerate(self.tags):
            if tag.startswith("B-"):
                spans.append((i, i + 1, tag[2:]))
            elif tag.startswith("I-") and spans and spans[-1][1] == i:
                spans[-1] = (spans[-1][0], i + 1, spans[-1][2])
        return spans

    def with_words(self, words: list[str] | tuple[str, ...]) -> TaggedSentence:
        """The same sentence with other token strings (lemmas no longer apply)."""
        return replace(self, words=tuple(words), lemmas=None)

    def keep(self, indices: list[int]) -> TaggedSentence:
        """Only the tokens at ``indices`` (in order), spaces between all of them."""
        return TaggedSentence(
            words=tuple(self.words[i] for i in indices),
            spaces=tuple(True for _ in indices[:-1]) + ((False,) if indices else ()),
            tags=repair_iob([self.tags[i] for i in indices]),
        )

    def to_doc(self, vocab: Vocab) -> Doc:
        return Doc(vocab, words=list(self.words), spaces=list(self.spaces), ents=list(self.tags))


def repair_iob(tags: list[str]) -> tuple[str, ...]:
    """Make a tag sequence valid IOB2: an I- that does not continue its own type starts an entity."""
    fixed: list[str] = []
    for tag in tags:
        if tag.startswith("I-"):
            label = tag[2:]
            if not fixed or fixed[-1] not in (f"B-{label}", f"I-{label}"):
                tag = f"B-{label}"
        fixed.append(tag)
    return tuple(fixed)
