"""Phrase templates for the synthetic corpus, compiled once into flat variants.

A template is text with ``{slot}`` references and ``(a|b|c)`` alternatives
(which may nest; ``(a|)`` makes a part optional). Compiling expands the
alternatives, so that drawing a phrase at generation time is two index draws
and a walk over literal strings and :class:`Slot` markers.

The phrase books live in ``synth_scripts/`` as YAML: ``common.yaml`` (moves
any conversation can use) and ``categories/<code>.yaml`` (one script per leaf
category). :func:`load_scripts` reads them and checks every move, category
and action code against ``data_contracts/`` and every slot against the
slots the generator fills.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from research.contracts import Taxonomy, load_taxonomy

SCRIPTS_DIR = Path(__file__).resolve().parent / "synth_scripts"
MAX_VARIANTS = 5000  # per template line: more means a typo in the alternatives


class TemplateError(ValueError):
    """A template, group or script that cannot be used; names file and template."""


@dataclass(frozen=True, slots=True)
class Slot:
    """A place in a phrase that the conversation's cast fills."""

    name: str
    capitalize: bool = False


Variant = tuple  # of str | Slot


# --------------------------------------------------------------------------- compiling


_TOKEN = re.compile(r"\{([A-Za-z_]+)\}|[()|]|[^{}()|]+")


def _parse(text: str, pos: int, depth: int) -> tuple[list[list], int]:
    """Parse alternatives until ``)`` (or the end); returns (alternatives, position)."""
    alternatives: list[list] = [[]]
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise TemplateError(f"unbalanced braces at column {pos + 1}")
        token = match.group(0)
        if token == "(":
            inner, pos = _parse(text, match.end(), depth + 1)
            if len(inner) < 2:
                raise TemplateError(f"group without '|' at column {match.start() + 1} (literal parentheses are not allowed)")
            alternatives[-1].append(inner)
            continue
        if token == ")":
            if depth == 0:
                raise TemplateError(f"unmatched ')' at column {pos + 1}")
            return alternatives, match.end()
        if token == "|":
            if depth == 0:
                raise TemplateError(f"'|' outside a group at column {pos + 1}")
            alternatives.append([])
        elif match.group(1):
            alternatives[-1].append(Slot(match.group(1)))
        else:
            alternatives[-1].append(token)
        pos = match.end()
    if depth:
        raise TemplateError("unclosed '('")
    return alternatives, pos


def _expand(sequence: list) -> list[list]:
    variants: list[list] = [[]]
    for item in sequence:
        if isinstance(item, list):  # a group: its alternatives, each a sequence
            options = [v for alternative in item for v in _expand(alternative)]
            variants = [head + tail for head in variants for tail in options]
        else:
            variants = [head + [item] for head in variants]
        if len(variants) > MAX_VARIANTS:
            raise TemplateError(f"more than {MAX_VARIANTS} variants")
    return variants


_SPACE_BEFORE_PUNCT = re.compile(r" +([.,!?])")


def _tidy(parts: list) -> Variant:
    """Join adjacent literals, collapse spaces, trim the ends."""
    merged: list = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    tidy: list = []
    for i, part in enumerate(merged):
        if isinstance(part, str):
            part = _SPACE_BEFORE_PUNCT.sub(r"\1", re.sub(r" {2,}", " ", part))
            if i == 0:
                part = part.lstrip()
            if i == len(merged) - 1:
                part = part.rstrip()
            if not part:
                continue
        tidy.append(part)
    return tuple(tidy)


def compile_template(text: str, known_slots: frozenset[str] | None = None) -> list[Variant]:
    """All distinct flat variants of one template line."""
    alternatives, _ = _parse(text, 0, 0)
    variants: list[Variant] = []
    seen: set[Variant] = set()
    for raw in _expand(alternatives[0]):
        variant = _tidy([_resolve_case(p, known_slots) if isinstance(p, Slot) else p for p in raw])
        if not variant:
            raise TemplateError("a variant is empty")
        if variant not in seen:
            seen.add(variant)
            variants.append(variant)
    return variants


def _resolve_case(slot: Slot, known: frozenset[str] | None) -> Slot:
    """``{Perp}`` is ``{perp}`` capitalised (when the capitalised name is not a slot itself)."""
    name = slot.name
    lowered = name[:1].lower() + name[1:]
    if name[:1].isupper() and (known is None or name not in known):
        if known is not None and lowered not in known:
            raise TemplateError(f"unknown slot {{{name}}}")
        return Slot(lowered, True)
    if known is not None and name not in known:
        raise TemplateError(f"unknown slot {{{name}}}")
    return slot


# --------------------------------------------------------------------------- phrase books


@dataclass(frozen=True)
class PhraseGroup:
    """Phrases that carry the same moves: one list of variants per template line."""

    name: str
    moves: tuple[str, ...]
    speaker: str | None  # None for move-less parts (a letter's signature)
    lines: tuple[tuple[Variant, ...], ...]

    @property
    def size(self) -> int:
        """Number of distinct phrasings (before slots are filled)."""
        return sum(len(line) for line in self.lines)


@dataclass(frozen=True)
class CategoryScript:
    code: str
    violence: bool
    perps: tuple[tuple[str, str], ...]  # (words, gender m|f|p)
    topics: tuple[str, ...]
    hard_negatives: tuple[str, ...]  # kinds of hard negative this topic can carry
    groups: dict[str, PhraseGroup]
    actions: dict[str, dict[str, float]]  # situation -> action -> probability

    def group(self, name: str) -> PhraseGroup | None:
        return self.groups.get(name)


@dataclass(frozen=True)
class ScriptBook:
    """Everything the conversation builder says, checked against the taxonomy."""

    common: dict[str, PhraseGroup]
    categories: dict[str, CategoryScript]
    disclosure_move: str
    identity_actions: tuple[str, ...]
    acute_actions: tuple[str, ...]
    advice_action: str
    advice_move: str
    topic_referral_action: str
    lexicon: dict
    style: dict
    extra: dict = field(default_factory=dict)

    def referral(self, action: str) -> PhraseGroup | None:
        return self.common.get(f"referral_{action}")


def _speaker(moves: tuple[str, ...], tax: Taxonomy, where: str) -> str | None:
    speakers = set()
    for move in moves:
        if move not in tax.moves:
            raise TemplateError(f"{where}: unknown move {move!r}")
        speakers.add(tax.moves[move].group)
    if len(speakers) > 1:
        raise TemplateError(f"{where}: moves of both speakers in one group")
    return speakers.pop() if speakers else None


def _group(name: str, spec: dict, tax: Taxonomy, slots: frozenset[str], source: str) -> PhraseGroup:
    where = f"{source}: group {name}"
    if not isinstance(spec, dict) or "say" not in spec or "moves" not in spec:
        raise TemplateError(f"{where}: needs 'moves' and 'say'")
    moves = tuple(spec["moves"])
    lines = []
    for text in spec["say"]:
        if not isinstance(text, str):
            raise TemplateError(f"{where}: template {text!r} is not text (quote lines that start with '{{')")
        try:
            lines.append(tuple(compile_template(text, slots)))
        except TemplateError as exc:
            raise TemplateError(f"{where}: template {text!r}: {exc}") from None
    if not lines:
        raise TemplateError(f"{where}: has no templates")
    return PhraseGroup(name, moves, _speaker(moves, tax, where), tuple(lines))


class _StrictLoader(yaml.SafeLoader):
    """A YAML loader that refuses duplicate keys (a second group of the same name would hide the first)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


def _read(path: Path) -> dict:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise TemplateError(f"{path}: invalid YAML: {exc}") from None


def _check_actions(actions: dict, tax: Taxonomy, source: str) -> dict[str, dict[str, float]]:
    for situation, table in actions.items():
        for code, p in table.items():
            if code not in tax.actions:
                raise TemplateError(f"{source}: actions.{situation}: unknown action {code!r}")
            if not 0 <= p <= 1:
                raise TemplateError(f"{source}: actions.{situation}.{code}: probability {p} outside 0..1")
    return actions


@cache
def load_scripts(directory: Path = SCRIPTS_DIR) -> ScriptBook:
    """Load and check every phrase book (cached: they are read once per process)."""
    from research.corpus.synth_cast import WORD_SLOTS  # the non-personal slots the cast fills

    tax = load_taxonomy()
    lexicon = _read(directory / "lexicon.yaml")
    for slot, entity in lexicon["pii_slots"].items():
        if entity not in tax.pii_types:
            raise TemplateError(f"lexicon.yaml: pii_slots.{slot}: unknown PII type {entity!r}")
    slots = frozenset(WORD_SLOTS) | frozenset(lexicon["pii_slots"])
    common_raw = _read(directory / "common.yaml")
    common = {
        name: _group(name, spec, tax, slots, "common.yaml") for name, spec in common_raw["groups"].items()
    }
    categories: dict[str, CategoryScript] = {}
    for path in sorted((directory / "categories").glob("*.yaml")):
        raw = _read(path)
        code = raw.get("category")
        if code not in tax.categories:
            raise TemplateError(f"{path.name}: unknown category {code!r}")
        categories[code] = CategoryScript(
            code=code,
            violence=code in tax.violence_codes,
            perps=tuple((words, gender) for words, gender in raw.get("cast", {}).get("perp", [])),
            topics=tuple(raw.get("topic") or ()),
            hard_negatives=tuple(raw.get("hard_negatives") or ()),
            groups={name: _group(name, spec, tax, slots, path.name) for name, spec in raw["groups"].items()},
            actions=_check_actions(raw.get("actions") or {}, tax, path.name),
        )
    missing = [code for code in tax.categories if code not in categories]
    if missing:
        raise TemplateError(f"no script for categories {missing} in {directory / 'categories'}")
    named = [common_raw["advice_action"], common_raw["topic_referral_action"]]
    for action in common_raw["identity_actions"] + common_raw["acute_actions"] + named:
        if action not in tax.actions:
            raise TemplateError(f"common.yaml: unknown action {action!r}")
    for key in ("disclosure_move", "advice_move"):
        if common_raw[key] not in tax.moves:
            raise TemplateError(f"common.yaml: unknown {key} {common_raw[key]!r}")
    return ScriptBook(
        common=common,
        categories=categories,
        disclosure_move=common_raw["disclosure_move"],
        identity_actions=tuple(common_raw["identity_actions"]),
        acute_actions=tuple(common_raw["acute_actions"]),
        advice_action=common_raw["advice_action"],
        advice_move=common_raw["advice_move"],
        topic_referral_action=common_raw["topic_referral_action"],
        lexicon=lexicon,
        style=_read(directory / "style.yaml"),
    )
