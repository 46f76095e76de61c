"""The classification room's door to the anonymisation room.

Everything a classifier sees has been through :class:`research.anonymize.Deidentifier`.
For labelled training data the gold PII spans are added to what the detector
found before pseudonymising, so a name the detector misses cannot reach a
model's vocabulary; at prediction time there are no gold spans and only the
detector's spans count.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from research.contracts import Conversation


@cache
def shared_deidentifier():
    """One Deidentifier per process (loading spaCy and Presidio takes seconds)."""
    from research.anonymize import Deidentifier

    return Deidentifier()


def _conversation(row: Conversation | dict[str, Any]) -> Conversation:
    return row if isinstance(row, Conversation) else Conversation.model_validate(row)


def deidentify(conversations: Iterable[Conversation | dict[str, Any]], deidentifier=None,
               batch_size: int = 64, progress: bool = False) -> Iterator[dict[str, Any]]:
    """De-identified contract dicts (``"deidentified": true``), lazily, in order."""
    deidentifier = deidentifier or shared_deidentifier()
    results = deidentifier.deidentify(
        (_conversation(c) for c in conversations), batch_size=batch_size, progress=progress)
    for result in results:
        yield result.to_json()


def deidentify_with_gold(conversations: Iterable[Conversation | dict[str, Any]], deidentifier=None,
                         batch_size: int = 64, progress: bool = False) -> Iterator[dict[str, Any]]:
    """Like :func:`deidentify`, pseudonymising the union of detected and gold spans."""
    from research.anonymize import PseudonymMap, Span
    from research.anonymize.spans import resolve

    deidentifier = deidentifier or shared_deidentifier()
    originals = [_conversation(c) for c in conversations]
    results = deidentifier.deidentify(originals, batch_size=batch_size, progress=progress)
    for original, result in zip(originals, results, strict=True):
        data = result.to_json()
        pseudonyms = PseudonymMap()
        for message, source, detected in zip(data["messages"], original.messages, result.spans, strict=True):
            gold = [Span(s.start, s.end, s.type) for s in source.pii or []]
            message["text"] = deidentifier.pseudonymize(source.text, resolve(source.text, [*detected, *gold]),
                                                        pseudonyms)
        yield data
