"""PHONE_NUMBER: Norwegian and foreign numbers in any spacing, never the help
and emergency numbers counsellors give out."""

from __future__ import annotations

import phonenumbers
import regex as re
from phonenumbers import PhoneNumberType
from presidio_analyzer import RecognizerResult

from research.anonymize.recognizers.base import NorwegianRecognizer
from research.anonymize.text import count_digits

# Numbers of services rather than of persons: free phone, shared cost,
# universal access (02800) and premium numbers.
SERVICE_TYPES = frozenset(
    {PhoneNumberType.TOLL_FREE, PhoneNumberType.SHARED_COST, PhoneNumberType.UAN, PhoneNumberType.PREMIUM_RATE}
)
MIN_DIGITS = 8  # the shortest Norwegian subscriber number
INTERNATIONAL = re.compile(r"(?<![\w+])\+\d{1,3}(?:[ \-]?\d){7,13}(?!\d)")
# «31.02.2011», «2024-13-01»: (bad) dates, not numbers
DATE_SHAPE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}")


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


class PhoneRecognizer(NorwegianRecognizer):
    """python-phonenumbers' matcher with Norway as the home region: numbers
    with +/00 are taken when possible for their country, numbers without a
    prefix when valid in Norway."""

    ENTITY = "PHONE_NUMBER"
    REGION = "NO"

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        if count_digits(text) < MIN_DIGITS:
            return []  # cheap exit: most chat messages hold no number
        results = []
        for match in phonenumbers.PhoneNumberMatcher(text, self.REGION, leniency=phonenumbers.Leniency.POSSIBLE):
            score = self._score(match.raw_string, match.number)
            if score:
                results.append(self.result(match.start, match.end, score, "phone number (phonenumbers)"))
        for match in INTERNATIONAL.finditer(text):  # «+44 7700 9500 500»: a number, if not a valid one
            if not any(r.start <= match.start() < r.end for r in results):
                results.append(self.result(match.start(), match.end(), 0.5, "international number"))
        return results

    def _score(self, raw: str, number: phonenumbers.PhoneNumber) -> float:
        if self.is_help_number(raw, number) or DATE_SHAPE.fullmatch(raw.strip()):
            return 0.0
        international = raw.lstrip().startswith(("+", "00"))
        valid = phonenumbers.is_valid_number(number)
        if international:
            return 0.85 if valid else 0.6
        if len(_digits(raw)) < MIN_DIGITS:
            return 0.0
        if valid:
            return 0.7
        # a number of a range not (yet) in phonenumbers' metadata still identifies someone
        return 0.5 if phonenumbers.is_possible_number(number) and _digits(raw)[0] in "2345679" else 0.0

    def is_help_number(self, raw: str, number: phonenumbers.PhoneNumber) -> bool:
        national = phonenumbers.national_significant_number(number)
        if {national, _digits(raw)} & self.lexicon.help_numbers:
            return True
        in_norway = phonenumbers.region_code_for_number(number) == self.REGION
        return in_norway and phonenumbers.number_type(number) in SERVICE_TYPES
