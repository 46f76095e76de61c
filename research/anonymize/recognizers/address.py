"""LOCATION from addresses: street and house number, postal code and place."""

from __future__ import annotations

import regex as re
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

from research.anonymize.lexicon import Lexicon, load_lexicon
from research.anonymize.nlp_engine import LANGUAGE
from research.anonymize.recognizers.base import NorwegianRecognizer
from research.anonymize.text import DIGIT, Gazetteer

STREET_WORDS = (
    "gata|gaten|gate|gt|veien|vegen|vei|veg|vn|stien|stig|plass|plassen|allé|alléen|terrasse|terrassen|ringen"
    "|svingen|bakken|brekka|lia|lii|haugen|åsen|myra|tunet|kroken|jordet|brauta|bråten|løkka|sletta|marka"
    "|kollen|toppen|moen|enga|vollen|grenda|feltet|tråkket|stubben|kleiva|stranda|brygge|kaia|parken|hagen"
    "|veita|smauet|smuget|torget|torg|berget|hella|tunet|skogen|dalen|lien|vika|neset|holmen|øya"
)
HOUSE_NUMBER = r"\d{1,4}(?:\s?[A-Ha-h])?\b"
NOT_A_QUANTITY = (
    r"(?!\s*(?:ganger|gang|timer|time|år|kr|kroner|klasse|min|minutter|dager|dag|uker|uke|mnd|måneder"
    r"|meter|m|km|%|stk|prosent|poeng|personer|stykker|barn|elever)\b)(?![.,]\d)"
)


class StreetAddressRecognizer(PatternRecognizer):
    """«Storgata 12B», «Lindeveien 8», «Kong Oscars gate 3»; any capitalised
    word with a house number only with address context («bor», «adresse»)."""

    PATTERNS = [
        Pattern(
            "street with house number",
            rf"(?<!\p{{L}})(?:[A-ZÆØÅ]\p{{L}}+\s+){{0,2}}(?:\p{{L}}{{2,}}(?i:{STREET_WORDS})|[A-ZÆØÅ]\p{{L}}*\s+(?i:gate|gata|vei|veg|allé|plass))\.?\s+{HOUSE_NUMBER}{NOT_A_QUANTITY}",
            0.75,
        ),
        Pattern("name with house number", rf"(?<!\p{{L}})[A-ZÆØÅ]\p{{Ll}}{{2,}}\s+{HOUSE_NUMBER}{NOT_A_QUANTITY}", 0.3),
    ]

    def __init__(self, lexicon: Lexicon | None = None):
        lexicon = lexicon or load_lexicon()
        super().__init__(
            supported_entity="LOCATION",
            name="StreetAddressRecognizer",
            supported_language=LANGUAGE,
            patterns=self.PATTERNS,
            context=lexicon.context_words["LOCATION"],
            global_regex_flags=re.DOTALL | re.MULTILINE,  # capitals matter here
        )

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        if not DIGIT.search(text):
            return []  # cheap exit: no house number without digits
        return super().analyze(text, entities, nlp_artifacts, regex_flags)


class PostalPlaceRecognizer(NorwegianRecognizer):
    """«0182 Oslo», «3611 Kongsberg», «1473 lørenskog»: a four-digit postal
    code before a capitalised word or a known place."""

    ENTITY = "LOCATION"
    POSTAL = re.compile(r"(?<![\d.,:/])(?P<code>\d{4})\s+(?P<place>\p{L}[\p{L}\-]*(?:\s+i\s+\p{Lu}\p{L}+)?)")

    def __init__(self, lexicon: Lexicon | None = None):
        super().__init__(lexicon)
        self.places = Gazetteer(self.lexicon.places)

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        results = []
        for m in self.POSTAL.finditer(text):
            place = m.group("place")
            if place in self.places or place.split()[0] in self.places:
                score = 0.85
            elif place[0].isupper() and place.lower() not in self.lexicon.ordinary_words:
                score = 0.3 if m.group("code").startswith(("19", "20")) else 0.6  # may be a year
            else:
                continue
            results.append(self.result(m.start(), m.end(), score, "postal code and place"))
        return results
