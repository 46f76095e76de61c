"""Tables the estimators read: one row per conversation or one row per message.

Conversations arrive as contract dicts or :class:`research.contracts.Conversation`
objects; these functions flatten them into pandas frames whose columns the
feature transformers pick by name. Text columns are normalised here, once per
message (:func:`research.classify.text.normalise_chat`), not once per vectoriser.
Only de-identified text ever gets here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from research.classify.text import normalise_chat
from research.contracts import Conversation

SPEAKERS = ("user", "counsellor")


def as_dict(conversation: Conversation | dict[str, Any]) -> dict[str, Any]:
    return conversation.to_json() if isinstance(conversation, Conversation) else conversation


def as_dicts(conversations: Iterable[Conversation | dict[str, Any]]) -> list[dict[str, Any]]:
    return [as_dict(c) for c in conversations]


def conversation_frame(conversations: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """One row per conversation: the user's and the counsellor's text apart."""
    rows = []
    for conv in as_dicts(conversations):
        by_speaker = {speaker: [] for speaker in SPEAKERS}
        for message in conv["messages"]:
            by_speaker[message["speaker"]].append(message["text"])
        rows.append({f"{speaker}_text": normalise_chat(" \n ".join(texts)) for speaker, texts in by_speaker.items()})
    return pd.DataFrame(rows, columns=[f"{s}_text" for s in SPEAKERS])


def _neighbour_of_other_speaker(messages: list[dict], texts: list[str], index: int, step: int) -> str:
    """The nearest message of the other speaker before (step -1) or after (+1)."""
    speaker = messages[index]["speaker"]
    j = index + step
    while 0 <= j < len(messages):
        if messages[j]["speaker"] != speaker:
            return texts[j]
        j += step
    return ""


def _message_rows(conv: dict[str, Any]) -> Iterable[dict[str, Any]]:
    messages = conv["messages"]
    texts = [normalise_chat(m["text"]) for m in messages]
    n = len(messages)
    seen_of_speaker = {speaker: 0 for speaker in SPEAKERS}
    total_of_speaker = {speaker: sum(m["speaker"] == speaker for m in messages) for speaker in SPEAKERS}
    for i, message in enumerate(messages):
        speaker = message["speaker"]
        own_index = seen_of_speaker[speaker]
        seen_of_speaker[speaker] += 1
        previous = messages[i - 1] if i else None
        following = messages[i + 1] if i + 1 < n else None
        yield {
            "conversation_id": conv["conversation_id"],
            "index": i,
            "speaker": speaker,
            "text": texts[i],
            "prev_text": texts[i - 1] if previous else "",
            "next_text": texts[i + 1] if following else "",
            "prev_other_text": _neighbour_of_other_speaker(messages, texts, i, -1),
            "next_other_text": _neighbour_of_other_speaker(messages, texts, i, +1),
            "rel_position": i / max(n - 1, 1),
            "is_first": float(i == 0),
            "is_last": float(i == n - 1),
            "first_of_speaker": float(own_index == 0),
            "last_of_speaker": float(own_index == total_of_speaker[speaker] - 1),
            "continues_own_turn": float(previous is not None and previous["speaker"] == speaker),
            "length": min(len(message["text"]) / 300.0, 1.0),
            "asks": float("?" in message["text"]),
            "prev_asks": float(previous is not None and "?" in previous["text"]),
        }


MESSAGE_NUMERIC = (
    "rel_position", "is_first", "is_last", "first_of_speaker", "last_of_speaker",
    "continues_own_turn", "length", "asks", "prev_asks",
)


def message_frame(conversations: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """One row per message with its neighbours' text and its position."""
    rows = [row for conv in as_dicts(conversations) for row in _message_rows(conv)]
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- labels


def category_matrix(conversations: Sequence[dict[str, Any]], codes: Sequence[str]) -> np.ndarray:
    column = {code: j for j, code in enumerate(codes)}
    y = np.zeros((len(conversations), len(codes)), dtype=int)
    for i, conv in enumerate(as_dicts(conversations)):
        for code in conv.get("categories") or []:
            y[i, column[code]] = 1
    return y


def move_matrix(conversations: Sequence[dict[str, Any]], codes: Sequence[str]) -> np.ndarray:
    column = {code: j for j, code in enumerate(codes)}
    rows = []
    for conv in as_dicts(conversations):
        for message in conv["messages"]:
            row = np.zeros(len(codes), dtype=int)
            for code in message.get("moves") or []:
                row[column[code]] = 1
            rows.append(row)
    return np.vstack(rows) if rows else np.zeros((0, len(codes)), dtype=int)


def disclosure_turns(conversations: Sequence[dict[str, Any]]) -> np.ndarray:
    """Gold disclosure turns, -1 where nothing is disclosed."""
    turns = [as_dict(c).get("disclosure_turn") for c in conversations]
    return np.array([-1 if t is None else int(t) for t in turns], dtype=int)


def repeat_per_message(values: Sequence[float], conversations: Sequence[dict[str, Any]]) -> np.ndarray:
    """A per-conversation value (e.g. a sample weight) repeated for each message."""
    counts = [len(as_dict(c)["messages"]) for c in conversations]
    return np.repeat(np.asarray(values, dtype=float), counts)
