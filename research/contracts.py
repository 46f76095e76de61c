"""Typed models of the taxonomy and the conversation contract, with validation.

Everything here is built from the files in ``data_contracts/``: no code or
label is written in Python. Reading a JSON Lines file yields one
:class:`Parsed` per valid line and one :class:`Problem` per problem, so a bad
line is reported (file, line, field, reason) and the rest of the batch goes on.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

CONTRACTS_DIR = Path(__file__).resolve().parent.parent / "data_contracts"


# --------------------------------------------------------------------------- taxonomy


@dataclass(frozen=True)
class Label:
    """A code with its Norwegian and English labels."""

    code: str
    label_nb: str
    label_en: str
    group: str | None = None  # parent category, or speaker for moves

    def label(self, lang: str = "nb") -> str:
        return self.label_en if lang == "en" else self.label_nb


@dataclass(frozen=True)
class AgeGroup:
    code: str
    min: int
    max: int
    label_nb: str
    label_en: str
    overlapping: bool = False  # 5-13 overlaps the disjoint report groups

    def contains(self, age: int | None) -> bool:
        return age is not None and self.min <= age <= self.max


@dataclass(frozen=True)
class Taxonomy:
    """Every code and label the platform uses, loaded from ``taxonomy.yaml``."""

    categories: dict[str, Label]  # leaf codes (plus parent-less leaves like omsorgssvikt)
    groups: dict[str, Label]  # parent groups, e.g. vold
    group_members: dict[str, tuple[str, ...]]  # group code -> leaf codes it sums
    moves: dict[str, Label]  # group = "counsellor" | "user"
    actions: dict[str, Label]
    channels: dict[str, Label]
    genders: dict[str, Label]
    contact_types: dict[str, Label]
    speakers: dict[str, Label]
    age_groups: dict[str, AgeGroup]
    pii_types: dict[str, Label]
    age_min: int
    age_max: int
    violence_group: str = "vold"
    extra: dict[str, Any] = field(default_factory=dict)

    def label(self, code: str, lang: str = "nb") -> str:
        """The user-facing label of any code, falling back to the code itself."""
        for table in (
            self.categories, self.groups, self.moves, self.actions, self.channels,
            self.genders, self.contact_types, self.speakers, self.pii_types,
        ):
            if code in table:
                return table[code].label(lang)
        if code in self.age_groups:
            group = self.age_groups[code]
            return group.label_en if lang == "en" else group.label_nb
        return code

    @property
    def category_codes(self) -> list[str]:
        return list(self.categories)

    @property
    def violence_codes(self) -> tuple[str, ...]:
        return self.group_members[self.violence_group]

    def moves_for(self, speaker: str) -> list[str]:
        return [code for code, move in self.moves.items() if move.group == speaker]

    def age_group_of(self, age: int | None, *, overlapping: bool = False) -> str | None:
        """The disjoint report age group of an age (or None when unknown)."""
        for group in self.age_groups.values():
            if group.overlapping == overlapping and group.contains(age):
                return group.code
        return None


def _labels(table: dict, group: str | None = None) -> dict[str, Label]:
    return {code: Label(code, v["label_nb"], v["label_en"], group) for code, v in table.items()}


@cache
def load_taxonomy(path: Path | None = None) -> Taxonomy:
    raw = yaml.safe_load((path or CONTRACTS_DIR / "taxonomy.yaml").read_text(encoding="utf-8"))
    categories: dict[str, Label] = {}
    groups: dict[str, Label] = {}
    members: dict[str, tuple[str, ...]] = {}
    for group_code, spec in raw["content_categories"].items():
        children = spec.get("children")
        groups[group_code] = Label(group_code, spec["label_nb"], spec["label_en"])
        if children:
            categories.update(_labels(children, group_code))
            members[group_code] = tuple(children)
        else:  # a leaf that is its own group (omsorgssvikt)
            categories[group_code] = Label(group_code, spec["label_nb"], spec["label_en"], group_code)
            members[group_code] = (group_code,)
    meta = raw["metadata"]
    return Taxonomy(
        categories=categories,
        groups=groups,
        group_members=members,
        moves={**_labels(raw["moves"]["counsellor"], "counsellor"), **_labels(raw["moves"]["user"], "user")},
        actions=_labels(raw["actions"]),
        channels=_labels(meta["channel"]),
        genders=_labels(meta["gender"]),
        contact_types=_labels(meta["contact_type"]),
        speakers=_labels(meta["speaker"]),
        age_groups={
            code: AgeGroup(code, g["min"], g["max"], g["label_nb"], g["label_en"], g.get("overlapping", False))
            for code, g in raw["age_groups"].items()
        },
        pii_types=_labels(raw["pii_entities"]),
        age_min=meta["age"]["min"],
        age_max=meta["age"]["max"],
    )


# --------------------------------------------------------------------------- conversation models


def _check_code(value: str, table: dict, what: str) -> str:
    if value not in table:
        raise ValueError(f"unknown {what} code {value!r}")
    return value


class PiiSpan(BaseModel):
    model_config = ConfigDict(extra="allow")

    start: int
    end: int
    type: str
    text: str | None = None

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        return _check_code(value, load_taxonomy().pii_types, "PII type")


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")

    speaker: Literal["user", "counsellor"]
    text: str
    sent_at: datetime | None = None
    moves: list[str] | None = None
    pii: list[PiiSpan] | None = None

    @field_validator("text")
    @classmethod
    def _not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("message text is empty")
        return value

    @field_validator("moves")
    @classmethod
    def _known_moves(cls, value: list[str] | None) -> list[str] | None:
        for move in value or []:
            _check_code(move, load_taxonomy().moves, "move")
        return value


class Conversation(BaseModel):
    """One conversation as in contract.md §1; unknown extra fields are kept."""

    model_config = ConfigDict(extra="allow")

    conversation_id: str
    channel: str
    started_at: datetime
    age: int | None = None
    gender: str | None = None
    contact_type: str | None = None
    messages: list[Message]
    categories: list[str] | None = None
    disclosure_turn: int | None = None
    actions: list[str] | None = None

    @field_validator("conversation_id")
    @classmethod
    def _id_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("conversation_id is empty")
        return value

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str) -> str:
        return _check_code(value, load_taxonomy().channels, "channel")

    @field_validator("gender")
    @classmethod
    def _gender(cls, value: str | None) -> str | None:
        return None if value is None else _check_code(value, load_taxonomy().genders, "gender")

    @field_validator("contact_type")
    @classmethod
    def _contact_type(cls, value: str | None) -> str | None:
        return None if value is None else _check_code(value, load_taxonomy().contact_types, "contact_type")

    @field_validator("age")
    @classmethod
    def _age(cls, value: int | None) -> int | None:
        tax = load_taxonomy()
        if value is not None and not tax.age_min <= value <= tax.age_max:
            raise ValueError(f"age {value} is outside {tax.age_min}..{tax.age_max}")
        return value

    @field_validator("messages")
    @classmethod
    def _at_least_one(cls, value: list[Message]) -> list[Message]:
        if not value:
            raise ValueError("a conversation needs at least one message")
        return value

    @field_validator("categories")
    @classmethod
    def _categories(cls, value: list[str] | None) -> list[str] | None:
        for code in value or []:
            _check_code(code, load_taxonomy().categories, "category")
        return value

    @field_validator("actions")
    @classmethod
    def _actions(cls, value: list[str] | None) -> list[str] | None:
        for code in value or []:
            _check_code(code, load_taxonomy().actions, "action")
        return value

    @model_validator(mode="after")
    def _cross_field(self) -> Conversation:
        problems = list(cross_field_problems(self))
        if problems:
            raise ValueError("; ".join(f"{where}: {reason}" for where, reason in problems))
        return self

    # convenience ---------------------------------------------------------------------------
    @property
    def texts(self) -> list[str]:
        return [m.text for m in self.messages]

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON form: the fields the input set (an explicit null
        ``disclosure_turn`` means "no disclosure", so it is kept)."""
        return self.model_dump(mode="json", exclude_unset=True)


def cross_field_problems(conv: Conversation) -> Iterator[tuple[str, str]]:
    """Checks that span several fields: turn inside messages, spans inside text,
    moves matching their speaker."""
    tax = load_taxonomy()
    n = len(conv.messages)
    if conv.disclosure_turn is not None and not 0 <= conv.disclosure_turn < n:
        yield "disclosure_turn", f"{conv.disclosure_turn} is outside the {n} messages (0..{n - 1})"
    for i, msg in enumerate(conv.messages):
        for j, span in enumerate(msg.pii or []):
            where = f"messages[{i}].pii[{j}]"
            if not 0 <= span.start < span.end <= len(msg.text):
                yield where, f"span {span.start}..{span.end} is outside the text (length {len(msg.text)})"
            elif span.text is not None and msg.text[span.start : span.end] != span.text:
                yield where, f"text {span.text!r} does not match {msg.text[span.start:span.end]!r} at {span.start}..{span.end}"
        for j, move in enumerate(msg.moves or []):
            if tax.moves[move].group != msg.speaker:
                yield f"messages[{i}].moves[{j}]", f"move {move} is not a {msg.speaker} move"


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Problem:
    """One contract violation: ``FILE:LINE: field: reason``."""

    source: str
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.field}: {self.reason}"


@dataclass(frozen=True)
class Parsed:
    line: int
    conversation: Conversation


def _field_path(loc: tuple) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path or "(conversation)"


def _problems_from(error: ValidationError, source: str, line: int) -> Iterator[Problem]:
    for err in error.errors():
        loc = tuple(err["loc"])
        reason = err["msg"].removeprefix("Value error, ")
        if err["type"] == "value_error" and not loc and ": " in reason:
            # cross-field problems arrive joined; split them back into one each
            for piece in reason.split("; "):
                where, _, why = piece.partition(": ")
                yield Problem(source, line, where, why)
            continue
        if err["type"] == "missing":
            reason = "required field is missing"
        yield Problem(source, line, _field_path(loc), reason)


def _open_lines(source: str | Path) -> tuple[str, Iterable[bytes]]:
    if str(source) == "-":
        return "<stdin>", sys.stdin.buffer
    path = Path(source)
    return str(path), path.open("rb")


def parse_line(raw: bytes, source: str, line: int) -> Parsed | list[Problem]:
    """Parse one JSON line into a conversation, or the problems it has."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [Problem(source, line, "(line)", f"not valid UTF-8 at byte {exc.start}")]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [Problem(source, line, "(line)", f"invalid or truncated JSON: {exc.msg} at column {exc.colno}")]
    if not isinstance(data, dict):
        return [Problem(source, line, "(line)", f"expected a JSON object, got {type(data).__name__}")]
    try:
        return Parsed(line, Conversation.model_validate(data))
    except ValidationError as exc:
        return list(_problems_from(exc, source, line))


def iter_conversations(source: str | Path) -> Iterator[Parsed | Problem]:
    """Yield each valid conversation and each problem, line by line.

    Blank lines are skipped; a repeated ``conversation_id`` is a problem on the
    later line (the first one wins).
    """
    name, lines = _open_lines(source)
    seen: dict[str, int] = {}
    try:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            result = parse_line(raw.rstrip(b"\r\n"), name, number)
            if isinstance(result, list):
                yield from result
                continue
            cid = result.conversation.conversation_id
            if cid in seen:
                yield Problem(name, number, "conversation_id", f"duplicate id {cid!r} (first on line {seen[cid]})")
                continue
            seen[cid] = number
            yield result
    finally:
        if isinstance(lines, io.IOBase) and lines is not sys.stdin.buffer:
            lines.close()


def read_conversations(source: str | Path) -> tuple[list[Conversation], list[Problem]]:
    conversations: list[Conversation] = []
    problems: list[Problem] = []
    for item in iter_conversations(source):
        if isinstance(item, Problem):
            problems.append(item)
        else:
            conversations.append(item.conversation)
    return conversations, problems


# --------------------------------------------------------------------------- writing


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_jsonl(rows: Iterable[dict[str, Any]], target: str | Path) -> int:
    """Write rows as JSON Lines atomically: a crash leaves no half-written file.

    ``-`` writes to stdout. Returns the number of rows written.
    """
    if str(target) == "-":
        count = 0
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
        sys.stdout.flush()
        return count
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                count += 1
        os.chmod(tmp, 0o666 & ~_current_umask())  # mkstemp makes 0600; outputs get the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count
