"""Inline PII markup for hand-written conversations.

Authors write ``jeg heter [[Ida|PERSON]]``; :func:`strip_markup` returns the
plain text and the character spans, so offsets are computed, never typed.
"""

from __future__ import annotations

import re

MARKUP = re.compile(r"\[\[(?P<surface>[^\[\]|]+)\|(?P<type>[A-Z_]+)\]\]")


class MarkupError(ValueError):
    """A message whose markup is unbalanced or malformed."""


def strip_markup(marked: str) -> tuple[str, list[dict]]:
    """Return ``(text, spans)`` with spans as ``{start, end, type, text}``."""
    parts: list[str] = []
    spans: list[dict] = []
    cursor = 0
    length = 0
    for match in MARKUP.finditer(marked):
        before = marked[cursor : match.start()]
        parts.append(before)
        length += len(before)
        surface = match.group("surface")
        spans.append(
            {"start": length, "end": length + len(surface), "type": match.group("type"), "text": surface}
        )
        parts.append(surface)
        length += len(surface)
        cursor = match.end()
    parts.append(marked[cursor:])
    text = "".join(parts)
    if "[[" in text or "]]" in text:
        raise MarkupError(f"unbalanced or malformed [[...|TYPE]] markup in: {marked!r}")
    return text, spans
