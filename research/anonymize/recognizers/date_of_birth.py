"""DATE_OF_BIRTH: full dates (day, month and year) that could be a birth date."""

from __future__ import annotations

import datetime as dt

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer

from research.anonymize.lexicon import Lexicon, load_lexicon
from research.anonymize.nlp_engine import LANGUAGE
from research.anonymize.text import DIGIT

MONTHS = {
    "januar": 1, "jan": 1, "februar": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4,
    "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "desember": 12, "des": 12,
}
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
NUMERIC = re.compile(r"(\d{1,2})[./\-](\d{1,2})[./\-](\d{2}|\d{4})")
ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
WRITTEN = re.compile(rf"(\d{{1,2}})\.?\s+({MONTH_NAMES})\.?\s+(\d{{4}})", re.IGNORECASE)


def birth_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """The date a match spells, if it is a real date that is not in the future."""
    today = today or dt.date.today()
    numeric, written, iso = NUMERIC.fullmatch(text), WRITTEN.fullmatch(text), ISO.fullmatch(text)
    if numeric:
        day, month, year = (int(g) for g in numeric.groups())
    elif iso:
        year, month, day = (int(g) for g in iso.groups())
    elif written:
        day, month, year = int(written[1]), MONTHS[written[2].lower()], int(written[3])
    else:
        return None
    if year < 100:  # two-digit years: the most recent past century
        year += 2000 if 2000 + year <= today.year else 1900
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return date if dt.date(1900, 1, 1) <= date <= today else None


class DateOfBirthRecognizer(PatternRecognizer):
    """«03.02.2011», «19.06.07», «3/4-12», «2011-02-03», «2. september 2012»: full dates only
    (a day and month alone, or a year alone, do not identify anyone)."""

    PATTERNS = [
        Pattern("numeric date", r"(?<![\d.,/\-])\d{1,2}[./\-]\d{1,2}[./\-](?:\d{4}|\d{2})(?![\d/\-]|[.,]\d)", 0.5),
        Pattern("ISO date", r"(?<![\d\-])\d{4}-\d{2}-\d{2}(?![\d\-])", 0.5),
        Pattern("written date", rf"(?<![\d.])\d{{1,2}}\.?\s+(?:{MONTH_NAMES})\.?\s+\d{{4}}(?!\d)", 0.5),
    ]

    def __init__(self, lexicon: Lexicon | None = None):
        lexicon = lexicon or load_lexicon()
        super().__init__(
            supported_entity="DATE_OF_BIRTH",
            name="DateOfBirthRecognizer",
            supported_language=LANGUAGE,
            patterns=self.PATTERNS,
            context=lexicon.context_words["DATE_OF_BIRTH"],
        )

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        if not DIGIT.search(text):
            return []  # cheap exit: no date without digits
        return super().analyze(text, entities, nlp_artifacts, regex_flags)

    def validate_result(self, pattern_text: str) -> bool | None:
        # None keeps the pattern's own score, so context words can still raise it
        return None if birth_date(pattern_text) else False
