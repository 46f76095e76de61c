"""The Norwegian de-identification room (Presidio).

Nothing else in the platform may see text that has not passed through here.
:class:`Deidentifier` is the API: load once, then ``deidentify`` conversations
in batches; every name, place, school, number, address, handle and birth date
becomes a tag (``<PERSON_1>``) that is consistent within a conversation.

Imports are lazy, so ``research.anonymize.ner_training`` does not load Presidio.
"""

from __future__ import annotations

from importlib import import_module

_EXPORTS = {
    "Deidentifier": "research.anonymize.deidentify",
    "DeidentifiedConversation": "research.anonymize.deidentify",
    "PseudonymMap": "research.anonymize.pseudonyms",
    "Span": "research.anonymize.spans",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
