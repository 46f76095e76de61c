"""Consistent pseudonyms within one conversation: «Ida», «ida» and «Idas»
all become ``<PERSON_1>``; the mapping lives in memory only.

:class:`Pseudonymize` is a presidio-anonymizer operator that asks a
conversation's :class:`PseudonymMap` for the tag of each entity.
"""

from __future__ import annotations

from collections import Counter

from presidio_anonymizer.entities import InvalidParamError
from presidio_anonymizer.operators import Operator, OperatorType

from research.anonymize.text import WORD, strip_genitive

NAME_TYPES = frozenset({"PERSON", "LOCATION", "ORGANIZATION"})


def _phone_key(surface: str) -> str:
    digits = "".join(ch for ch in surface if ch.isdigit())
    for prefix in ("0047", "47"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 8:
            return digits[len(prefix) :]
    return digits


class PseudonymMap:
    """Tags of one conversation, shared by the counsellor's and the child's
    messages. Never stored, logged or printed (``repr`` shows counts only)."""

    def __init__(self) -> None:
        self._tags: dict[tuple[str, str], str] = {}
        self._counts: Counter[str] = Counter()

    def __repr__(self) -> str:
        return f"PseudonymMap({dict(self._counts)})"

    def tag(self, entity_type: str, surface: str) -> str:
        group, key = self.key(entity_type, surface)
        tag = self._find(group, key)
        if tag is None:
            self._counts[entity_type] += 1
            tag = f"<{entity_type}_{self._counts[entity_type]}>"
        self._tags.setdefault((group, key), tag)
        return tag

    @staticmethod
    def key(entity_type: str, surface: str) -> tuple[str, str]:
        """Names share one key space, whatever type a recognizer gave them;
        case and a genitive -s do not matter; phone numbers compare by digits."""
        if entity_type in NAME_TYPES:
            parts = [w.lower() for w in WORD.findall(surface)]
            return "NAME", " ".join(parts) or surface.strip().lower()
        if entity_type in {"PHONE_NUMBER", "NO_NATIONAL_ID"}:
            return entity_type, _phone_key(surface)
        return entity_type, surface.strip().lower()

    def _find(self, group: str, key: str) -> str | None:
        if (group, key) in self._tags:
            return self._tags[(group, key)]
        if group != "NAME" or not key:
            return None
        parts = key.split()
        variants = {" ".join(parts[:-1] + [strip_genitive(parts[-1])]), key + "s"}
        for (other_group, other), tag in self._tags.items():
            if other_group != group:
                continue
            if other in variants or strip_genitive(other) == key:
                return tag
            # a full name and its first name alone share a tag
            other_parts = other.split()
            if other_parts and len(parts) != len(other_parts) and parts[0] == other_parts[0]:
                return tag
        return None


class Pseudonymize(Operator):
    """Replace an entity with its conversation-wide tag (``<PERSON_1>``)."""

    PSEUDONYMS = "pseudonyms"

    def operate(self, text: str = None, params: dict = None) -> str:
        return params[self.PSEUDONYMS].tag(params["entity_type"], text)

    def validate(self, params: dict = None) -> None:
        if not isinstance((params or {}).get(self.PSEUDONYMS), PseudonymMap):
            raise InvalidParamError("pseudonymize needs a PseudonymMap in params['pseudonyms']")

    def operator_name(self) -> str:
        return "pseudonymize"

    def operator_type(self) -> OperatorType:
        return OperatorType.Anonymize
