"""Normalisation of de-identified chat text before it is vectorised.

Children write fast and loosely: «hjeeelp», «HAN SLO MEG», «<PERSON_2> sa».
The vectorisers see a lower-cased text with long letter runs shortened and
every pseudonym tag reduced to its type, so «<PERSON_1>» and «<PERSON_7>» are
the same feature and no conversation-specific number is learnt.
"""

from __future__ import annotations

import re

PSEUDONYM_TAG = re.compile(r"<([A-Z][A-Z_]*?)(?:_\d+)?>")
LETTER_RUN = re.compile(r"(\w)\1{2,}")
SPACES = re.compile(r"\s+")


def normalise_chat(text: str) -> str:
    """Lower-case, pseudonym tags as ``_type_`` tokens, letter runs of 3+ cut to 2."""
    text = PSEUDONYM_TAG.sub(lambda m: f" _{m.group(1).lower()}_ ", text)
    text = LETTER_RUN.sub(r"\1\1", text.lower())
    return SPACES.sub(" ", text).strip()
