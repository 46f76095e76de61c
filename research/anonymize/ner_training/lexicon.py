"""The word lists and templates of ``chat_lexicon.yaml``, with Faker's Norwegian name lists added."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from faker.providers.address.no_NO import Provider as NorwegianAddresses
from faker.providers.person.no_NO import Provider as NorwegianNames

from .labels import load_label_scheme

LEXICON_FILE = Path(__file__).with_name("chat_lexicon.yaml")


@dataclass(frozen=True)
class ChatLexicon:
    slot_labels: dict[str, str]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    places: tuple[str, ...]
    name_stems: tuple[str, ...]
    name_endings: tuple[str, ...]
    city_endings: tuple[str, ...]
    street_endings: tuple[str, ...]
    school_kinds: tuple[str, ...]
    kindergarten_kinds: tuple[str, ...]
    club_kinds: tuple[str, ...]
    workplaces: tuple[str, ...]
    kin: tuple[str, ...]
    services: tuple[str, ...]
    emoji: tuple[str, ...]
    informal_spellings: dict[str, tuple[str, ...]]
    templates: tuple[str, ...]
    negatives: tuple[str, ...]


def _unique(*lists) -> tuple[str, ...]:
    """Concatenated, duplicates dropped, first occurrence's order kept (deterministic)."""
    return tuple(dict.fromkeys(item for items in lists for item in items))


@cache
def load_lexicon(path: Path = LEXICON_FILE) -> ChatLexicon:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    labels = set(load_label_scheme().labels)
    for slot, label in raw["slot_labels"].items():
        if label not in labels:
            raise ValueError(f"{path}: slot_labels.{slot}: {label!r} is not a pipeline label {sorted(labels)}")
    return ChatLexicon(
        slot_labels=dict(raw["slot_labels"]),
        first_names=_unique(NorwegianNames.first_names_female, NorwegianNames.first_names_male, raw["extra_first_names"]),
        last_names=_unique(NorwegianNames.last_names, raw["extra_last_names"]),
        places=_unique(raw["places"]),
        name_stems=tuple(raw["name_stems"]),
        name_endings=tuple(raw["name_endings"]),
        city_endings=tuple(NorwegianAddresses.city_suffixes),
        street_endings=_unique(raw["street_endings"], NorwegianAddresses.street_suffixes),
        school_kinds=tuple(raw["school_kinds"]),
        kindergarten_kinds=tuple(raw["kindergarten_kinds"]),
        club_kinds=tuple(raw["club_kinds"]),
        workplaces=tuple(raw["workplaces"]),
        kin=tuple(raw["kin"]),
        services=tuple(raw["services"]),
        emoji=tuple(raw["emoji"]),
        informal_spellings={word: tuple(forms) for word, forms in raw["informal_spellings"].items()},
        templates=tuple(raw["templates"]),
        negatives=tuple(raw["negatives"]),
    )
