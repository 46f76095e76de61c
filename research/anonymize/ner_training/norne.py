"""Read NorNE CoNLL-U files into :class:`TaggedSentence` objects with the pipeline's labels.

Both kinds of NorNE file are read: the rebuilt train files (NDT columns, no
``SpaceAfter``) and the UD dev files. The entity tag is ``name=<IOB2>`` in
column 10, the lemma in column 3. NorNE types are mapped with
:class:`LabelScheme`; unmapped types (PROD, EVT, DRV, MISC) become O.

A malformed sentence is reported as a :class:`Problem` (file, line, field,
reason) and skipped; the rest of the file goes on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from research.contracts import Problem

from .labels import LabelScheme, load_label_scheme
from .sentence import TaggedSentence, repair_iob

TRAIN_FILES = ("no_bokmaal-ner-train.conllu", "no_nynorsk-ner-train.conllu")
DEV_FILES = {"nob": "no_bokmaal-ud-dev.conllu", "nno": "no_nynorsk-ud-dev.conllu"}
NORNE_DIR_VARIABLE = "NORNE_DIR"


class NorneTagMapper:
    """Maps NorNE IOB2 tags (``B-GPE_LOC``) to the pipeline's labels (``B-LOC``), keeping IOB2 valid."""

    def __init__(self, scheme: LabelScheme | None = None) -> None:
        self.scheme = scheme or load_label_scheme()

    def map_tag(self, tag: str) -> str:
        if tag == "O":
            return "O"
        prefix, _, norne_type = tag.partition("-")
        if prefix not in ("B", "I") or not norne_type:
            raise ValueError(f"not an IOB2 tag: {tag!r}")
        label = self.scheme.model_label(norne_type)
        return f"{prefix}-{label}" if label else "O"

    def map_sentence(self, tags: Iterable[str]) -> tuple[str, ...]:
        return repair_iob([self.map_tag(tag) for tag in tags])


def norne_dir(path: str | Path | None = None) -> Path:
    """The NorNE folder: the given path, else the ``NORNE_DIR`` environment variable."""
    chosen = path or os.environ.get(NORNE_DIR_VARIABLE)
    if not chosen:
        raise ValueError(f"no NorNE folder given: pass a path or set {NORNE_DIR_VARIABLE}")
    folder = Path(chosen)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: NorNE folder not found")
    return folder


def iter_conllu(path: str | Path, mapper: NorneTagMapper | None = None) -> Iterator[TaggedSentence | Problem]:
    """Each sentence of a NorNE CoNLL-U file, or a Problem for a sentence that cannot be read."""
    mapper = mapper or NorneTagMapper()
    with open(path, encoding="utf-8") as lines:
        yield from _sentences(lines, str(path), mapper)


def read_conllu(path: str | Path, mapper: NorneTagMapper | None = None) -> tuple[list[TaggedSentence], list[Problem]]:
    sentences: list[TaggedSentence] = []
    problems: list[Problem] = []
    for item in iter_conllu(path, mapper):
        (problems if isinstance(item, Problem) else sentences).append(item)
    return sentences, problems


def _sentences(lines: Iterable[str], source: str, mapper: NorneTagMapper) -> Iterator[TaggedSentence | Problem]:
    block: list[tuple[int, str]] = []
    number = 0
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\n")
        if line.strip():
            block.append((number, line))
        elif block:
            yield _parse_block(block, source, mapper)
            block = []
    if block:
        yield _parse_block(block, source, mapper)


def _parse_block(block: list[tuple[int, str]], source: str, mapper: NorneTagMapper) -> TaggedSentence | Problem:
    words, spaces, tags, lemmas = [], [], [], []
    for number, line in block:
        if line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) != 10:
            return Problem(source, number, "columns", f"expected 10 tab-separated columns, found {len(columns)}")
        token_id, form, lemma, misc = columns[0], columns[1], columns[2], columns[9]
        if "-" in token_id or "." in token_id:  # multiword ranges and empty nodes carry no tag
            continue
        if not form:
            return Problem(source, number, "FORM", "empty token")
        fields = dict(item.partition("=")[::2] for item in misc.split("|"))
        if "name" not in fields:
            return Problem(source, number, "MISC", "no name=<IOB2 tag>")
        try:
            tags.append(mapper.map_tag(fields["name"]))
        except ValueError as error:
            return Problem(source, number, "MISC", str(error))
        words.append(form)
        spaces.append(fields.get("SpaceAfter") != "No")
        lemmas.append(lemma)
    if not words:
        return Problem(source, block[0][0], "sentence", "no tokens")
    spaces[-1] = False
    return TaggedSentence(tuple(words), tuple(spaces), repair_iob(tags), tuple(lemmas))
