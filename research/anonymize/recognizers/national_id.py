"""NO_NATIONAL_ID: fødselsnummer and D-nummer, checksummed by python-stdnum.

A number whose check digits hold is certain. One that fails them is still
masked when its first six digits are a birth date (a child or parent typing
a number from memory gets a digit wrong, and the rest still identifies), and
any other 11-digit number only next to a context word (personnummer, fnr ...):
a leaked identity number costs far more than a masked order number."""

from __future__ import annotations

import calendar

from presidio_analyzer import Pattern, PatternRecognizer
from stdnum.no import fodselsnummer

from research.anonymize.lexicon import Lexicon, load_lexicon
from research.anonymize.nlp_engine import LANGUAGE
from research.anonymize.text import count_digits


def _plausible_synthetic_date(number: str) -> bool:
    """The date part of a synthetic test number: Skatteetaten's and Tenor's
    synthetic numbers add 40 or 80 to the month, D-numbers add 40 to the day."""
    day, month = int(number[0:2]), int(number[2:4])
    if day > 40:
        day -= 40
    if month > 80:
        month -= 80
    elif month > 40:
        month -= 40
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]


def has_birth_date(text: str) -> bool:
    """The first six digits read as DDMMYY (D-number and synthetic offsets allowed)."""
    number = fodselsnummer.compact(text)
    return len(number) == 11 and number.isdigit() and _plausible_synthetic_date(number)


def is_national_id(text: str) -> bool:
    """A valid fødselsnummer or D-nummer (stdnum), or a synthetic one whose
    check digits are right."""
    number = fodselsnummer.compact(text)
    if fodselsnummer.is_valid(number):
        return True
    return (
        len(number) == 11
        and number.isdigit()
        and fodselsnummer.calc_check_digit1(number[:9]) == number[9]
        and fodselsnummer.calc_check_digit2(number[:10]) == number[10]
        and _plausible_synthetic_date(number)
    )


class NationalIdRecognizer(PatternRecognizer):
    """11 digits, written together or as «DDMMYY NNNNN»: certain when the mod-11
    check digits hold, likely when they start with a birth date, and otherwise
    below the threshold unless a context word lifts it."""

    PATTERNS = [Pattern("fødselsnummer", r"(?<![\d+])\d{6}[ \-]?\d{5}(?![\d])", 0.5)]
    WITHOUT_DATE_SCORE = 0.3  # under the analyzer's 0.4; a context word adds 0.35

    def __init__(self, lexicon: Lexicon | None = None):
        lexicon = lexicon or load_lexicon()
        super().__init__(
            supported_entity="NO_NATIONAL_ID",
            name="NationalIdRecognizer",
            supported_language=LANGUAGE,
            patterns=self.PATTERNS,
            context=lexicon.context_words["NO_NATIONAL_ID"],
        )

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        if count_digits(text) < 11:
            return []  # cheap exit: most messages hold no 11-digit number
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            if result.score < 1.0 and not has_birth_date(text[result.start:result.end]):
                result.score = self.WITHOUT_DATE_SCORE
        return results

    def validate_result(self, pattern_text: str) -> bool | None:
        """True (certain) when the check digits hold; None keeps the pattern's score."""
        return True if is_national_id(pattern_text) else None
