"""The word lists the recognizers use, read from ``resources/`` and Faker.

Every Norwegian word list (allow-list, help numbers, places, names, ordinary
words, context words) is a data file, so it can be reviewed and extended
without touching code. Faker's name lists are read offline from the installed
package.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from faker.providers.person.da_DK import Provider as DanishNames
from faker.providers.person.no_NO import Provider as NorwegianNames
from faker.providers.person.sv_SE import Provider as SwedishNames
from spacy.lang.nb.stop_words import STOP_WORDS

RESOURCES = Path(__file__).resolve().parent / "resources"


def read_list(name: str) -> list[str]:
    """Entries of a resource list: one a line (or several words a line when
    the file says so), ``#`` comments and blank lines skipped."""
    entries: list[str] = []
    for line in (RESOURCES / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            entries.append(line)
    return entries


def _words(lines: Iterable[str]) -> list[str]:
    return [word for line in lines for word in line.split()]


def _lower(items: Iterable[str]) -> frozenset[str]:
    return frozenset(item.lower() for item in items)


@dataclass(frozen=True)
class Lexicon:
    """Lower-cased word sets, built once per process."""

    kinship_roles: frozenset[str]
    services: frozenset[str]
    allowed: frozenset[str]  # never personal data: kinship and role words, services, platforms
    function_words: frozenset[str]  # spaCy's stop words minus the content words among them
    help_numbers: frozenset[str]
    first_names: frozenset[str]
    surnames: frozenset[str]
    places: frozenset[str]
    organizations: frozenset[str]
    known_names: dict[str, str]  # lower-case name -> PII type (NorNE train)
    acronyms: frozenset[str]  # «USA», «NRK»: only written in capitals
    ordinary_words: frozenset[str]
    context_words: dict[str, list[str]]

    def is_ordinary(self, word: str, lemma: str | None = None) -> bool:
        """True for a word that is also an everyday word («liv», «mai», «time»),
        or an inflected form of one («barna» -> «barn», when the pipeline's
        lemma is given)."""
        if word.lower() in self.ordinary_words:
            return True
        return bool(lemma) and lemma != word.lower() and lemma in self.ordinary_words


def _faker_first_names() -> list[str]:
    names: list[str] = []
    for provider in (NorwegianNames, DanishNames, SwedishNames):
        names += list(provider.first_names_female) + list(provider.first_names_male)
    return names


def _faker_surnames() -> list[str]:
    return list(NorwegianNames.last_names) + list(DanishNames.last_names) + list(SwedishNames.last_names)


def _known_names() -> dict[str, str]:
    """Names from NorNE train with their type; acronyms of two letters or more,
    other names of three letters or more (single letters and «Ap.» are noise)."""
    names = {}
    for line in read_list("known_names.tsv"):
        kind, name = line.split("\t")
        letters = sum(char.isalpha() for char in name)
        if (name.isupper() and letters >= 2) or letters >= 3 and not name.endswith("."):
            names[name] = kind
    return names


@cache
def load_lexicon() -> Lexicon:
    context = yaml.safe_load((RESOURCES / "context_words.yaml").read_text(encoding="utf-8"))
    names = _known_names()
    known = {name.lower(): kind for name, kind in names.items()}
    kinship_roles, services = _lower(read_list("kinship_roles.txt")), _lower(read_list("services.txt"))
    return Lexicon(
        kinship_roles=kinship_roles,
        services=services,
        allowed=kinship_roles | services,
        function_words=frozenset(STOP_WORDS) - _lower(read_list("stop_word_exceptions.txt")),
        help_numbers=frozenset(read_list("help_numbers.txt")),
        first_names=_lower(_faker_first_names() + _words(read_list("first_names.txt"))),
        surnames=_lower(_faker_surnames()),
        places=_lower(read_list("places.txt") + read_list("world_places.txt")),
        organizations=_lower(read_list("organizations.txt")),
        known_names=known,
        acronyms=_lower(e for e in read_list("world_places.txt") + read_list("organizations.txt") + list(names) if e.isupper()),
        ordinary_words=_lower(read_list("common_words.txt") + read_list("ordinary_words.txt")),
        context_words={entity: list(words) for entity, words in context.items()},
    )
