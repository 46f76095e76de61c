"""ORGANIZATION: schools, kindergartens and clubs named by a word before
«skole», «ungdomsskole», «barnehage», «IL», «SK», «FK» ... in any case
(«Bjørkelund skole», «blåbærlia skole», «Skogbrynet IL»), or before a youth
team's class («Lyn G15»)."""

from __future__ import annotations

from collections.abc import Iterable

import regex as re
from presidio_analyzer import RecognizerResult

from research.anonymize.recognizers.gazetteer import GazetteerRecognizer
from research.anonymize.recognizers.names import NameAwareRecognizer
from research.anonymize.text import Word, is_sentence_start, lemma_map, words

INSTITUTION = (
    r"(?:barne|ungdoms|ungdums|grunn|folke|privat|montessori|steiner|kultur|musikk|friskole)?sk[ou]len?"
    r"|vgs|videregående(?:\s+sk[ou]le)?|vidaregåande(?:\s+skule)?|barnehagen?|sfo|aks|fritidsklubb(?:en)?"
    r"|ungdomsklubb(?:en)?|ungdomshus(?:et)?|idrettslag(?:et)?|(?:fotball|håndball|svømme|turn|ski|sjakk|ball"
    r"|ishockey|basket|innebandy|dans|bokse|kampsport|ride)?klubb(?:en)?|(?:turn|idretts)forening(?:en)?"
    r"|korps(?:et)?|menighet(?:en)?|kirke|kirka|kyrkje|kyrkja|moské(?:en)?|(?:legesenter|helsesenter|bibliotek)(?:et)?"
    r"|(?:fylkes)?kommune|kommunestyre|bydel|sykehus|sjukehus|hotell|hotel|museum|stadion|idrettshall|svømmehall"
    r"|lensmannskontor|politistasjon|sokneråd|asylmottak|ungdomshjem|barnevernsinstitusjon"
)
CLUB_CODE = r"IL|SK|FK|IF|BK|IK|TIL|SIF|FIF|HK|IBK|(?i:il|if|sk|fk|bk)"  # the short ones in chat case too
TEAM_CLASS = r"[GJ]-?(?:\d{2}|20\d{2})"  # a youth team's class: «Lyn G15», «Brann J14», «Tromsø G2011»


class InstitutionRecognizer(NameAwareRecognizer):
    """One or two name words followed by an institution word, a club code or a
    youth team's class."""

    ENTITY = "ORGANIZATION"
    SUFFIX = re.compile(rf"\s+(?:(?i:{INSTITUTION})|(?:{CLUB_CODE})|(?:{TEAM_CLASS}))\b")

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        tokens = words(text)
        lemmas = lemma_map(nlp_artifacts)
        results = []
        for i, word in enumerate(tokens):
            suffix = self.SUFFIX.match(text, word.end)
            if not suffix or not self._is_name_word(text, word, lemmas.get(word.start)):
                continue
            start = word.start
            if i > 0 and self._joins_name(text, tokens[i - 1], word):
                start = tokens[i - 1].start  # «Nye Ila skole», «Kongsberg videregående»
            results.append(self.result(start, suffix.end(), 0.8, "named school, kindergarten or club"))
        return results

    def _joins_name(self, text: str, before: Word, word: Word) -> bool:
        """A capitalised name word right before a capitalised one."""
        adjacent = text[before.end : word.start] == " "
        return adjacent and before.is_capitalized and word.is_capitalized and self._is_name_word(text, before, None)

    def _is_name_word(self, text: str, word: Word, lemma: str | None) -> bool:
        """Not «på skole», «ny skole», «Ny skole»: an ordinary word names a school
        only when it is capitalised inside a sentence."""
        if self.evidence.is_function_word(word.text) or word.text.isdigit():
            return False
        if not self.evidence.is_ordinary(word.text, lemma):
            return True
        return word.is_capitalized and not is_sentence_start(text, word.start)


class OrganizationGazetteerRecognizer(GazetteerRecognizer):
    """Parties, media, public bodies, large employers, universities, hospitals
    and clubs that are often named (``organizations.txt``)."""

    ENTITY = "ORGANIZATION"

    def entries(self) -> Iterable[str]:
        return self.lexicon.organizations
