"""EMAIL_ADDRESS and URL, validated offline.

Presidio's e-mail recognizer validates with ``tldextract.extract``, which may
fetch the public suffix list; here the extractor is built with no suffix-list
URLs and no disk cache, so only tldextract's bundled snapshot is used.
"""

from __future__ import annotations

from functools import cache

import regex as re
import tldextract
from presidio_analyzer import RecognizerResult
from presidio_analyzer.predefined_recognizers import EmailRecognizer as PresidioEmailRecognizer
from presidio_analyzer.predefined_recognizers import UrlRecognizer as PresidioUrlRecognizer

from research.anonymize.lexicon import Lexicon, load_lexicon
from research.anonymize.nlp_engine import LANGUAGE

TRAILING_PUNCTUATION = ".,;:!?)»\"'"


@cache
def offline_tld_extractor() -> tldextract.TLDExtract:
    """tldextract on its bundled suffix snapshot: no download, no cache files."""
    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


def has_public_suffix(text: str) -> bool:
    return bool(offline_tld_extractor()(text).suffix)


def is_email_address(text: str) -> bool:
    """A known domain after the @; «youtube.com/@name» is a link to a handle, not an address."""
    local, _, domain = text.rpartition("@")
    return "/" not in local and bool(offline_tld_extractor()(domain).fqdn)


class EmailRecognizer(PresidioEmailRecognizer):
    """Presidio's e-mail pattern with Norwegian context, validated offline."""

    def __init__(self, lexicon: Lexicon | None = None):
        lexicon = lexicon or load_lexicon()
        super().__init__(
            supported_language=LANGUAGE,
            context=lexicon.context_words["EMAIL_ADDRESS"],
            name="EmailRecognizer",
        )

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        if "@" not in text:
            return []  # cheap exit: no address without @
        return super().analyze(text, entities, nlp_artifacts, regex_flags)

    def validate_result(self, pattern_text: str) -> bool:
        return is_email_address(pattern_text)


class UrlRecognizer(PresidioUrlRecognizer):
    """Presidio's URL patterns, minus the domain of an e-mail address (the
    address is one EMAIL_ADDRESS hit, not also a URL) and trailing punctuation."""

    EMAIL = re.compile(EmailRecognizer.PATTERNS[0].regex, re.IGNORECASE)
    # a dot between a word and letters («vg.no», «drive-share.link»), not a sentence end
    LIKELY = re.compile(r"[\w-]\.[^\W\d_]{2,}")
    WORD_CHAR = re.compile(r"[\w.\-]")

    def __init__(self, lexicon: Lexicon | None = None):
        lexicon = lexicon or load_lexicon()
        super().__init__(
            supported_language=LANGUAGE,
            context=lexicon.context_words["URL"],
            name="UrlRecognizer",
        )

    def analyze(self, text: str, entities, nlp_artifacts=None, regex_flags=None) -> list[RecognizerResult]:
        if not self.LIKELY.search(text):
            return []  # cheap exit: Presidio's URL patterns are long
        emails = [m.span() for m in self.EMAIL.finditer(text) if is_email_address(m.group())]
        results = []
        for result in super().analyze(text, entities, nlp_artifacts, regex_flags):
            if any(start < result.end and result.start < end for start, end in emails):
                continue
            while result.end > result.start and text[result.end - 1] in TRAILING_PUNCTUATION:
                result.end -= 1
            if has_public_suffix(text[result.start : result.end]):
                results.append(self._whole_word(text, result))
        return results

    def _whole_word(self, text: str, result: RecognizerResult) -> RecognizerResult:
        """A match ending inside a word («niendeklasse.fi|ghts», a handle) covers
        the whole word: masking half of it would leak the rest."""
        end = result.end
        while end < len(text) and self.WORD_CHAR.match(text[end]):
            end += 1
        while end > result.end and text[end - 1] in TRAILING_PUNCTUATION:
            end -= 1
        result.end = end
        return result
