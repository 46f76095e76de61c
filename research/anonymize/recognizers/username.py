"""USERNAME: social-media handles and gamer tags."""

from __future__ import annotations

import regex as re
from presidio_analyzer import RecognizerResult

from research.anonymize.recognizers.base import NorwegianRecognizer
from research.anonymize.recognizers.web import has_public_suffix

PLATFORM = (
    r"snap(?:chat)?(?:en)?|insta(?:gram)?(?:en)?|tiktok(?:en)?|discord(?:en)?|kik|steam|roblox|fortnite"
    r"|minecraft|xbox|psn|playstation|twitch|telegram|whatsapp|youtube"
)
HANDLE = r"[\p{L}\p{N}_][\p{L}\p{N}_.\-]{1,31}"
# what may stand between a cue and the handle («snapen min er», «brukernavn:»)
LINK = r"\b(?:\s+(?:min|mitt|mi|mine|hans|hennes|dems|er|e|heter|jo|-|–))*(?:\s*[:=,]\s*|\s+)"


class UsernameRecognizer(NorwegianRecognizer):
    """@handles, discord tags (name#1234), a handle named after a platform or
    «brukernavn» («snapen min er x», «adda meg på snap: x»), a handle-like token
    before a platform («kevvi_2010 på discord») and handle-shaped tokens."""

    ENTITY = "USERNAME"
    AT_HANDLE = re.compile(r"(?<![\p{L}\p{N}_.@])@[\p{L}\p{N}_][\p{L}\p{N}_.]{0,29}[\p{L}\p{N}_]")
    DISCORD_TAG = re.compile(r"(?<![\p{L}\p{N}_])[\p{L}\p{N}_.]{2,32}#\d{4}\b")
    AFTER_CUE = re.compile(
        rf"\b(?:(?:{PLATFORM})|brukernavn(?:et)?|username|adda?\s+meg(?:\s+på\s+(?:{PLATFORM}))?"
        rf"|add\s+meg(?:\s+på\s+(?:{PLATFORM}))?|legg\s+meg\s+til(?:\s+på\s+(?:{PLATFORM}))?|følg\s+meg(?:\s+på\s+(?:{PLATFORM}))?){LINK}(?P<handle>@?{HANDLE})",
        re.IGNORECASE,
    )
    BEFORE_CUE = re.compile(rf"(?P<handle>{HANDLE})\s+(?:på|on|@)\s+(?:{PLATFORM})\b", re.IGNORECASE)
    SHAPED = re.compile(r"(?<![\p{L}\p{N}_.@/#])(?=[\p{L}\p{N}_.]*\p{L}{3})(?=[\p{L}\p{N}_.]*(?:_|\p{N}{2}))[\p{L}][\p{L}\p{N}_.]{3,30}(?<![.])")

    DOTTED = re.compile(r"(?<![\p{L}\p{N}_.@/])\p{L}[\p{L}\p{N}_]*(?:\.[\p{L}\p{N}_]+){2,}(?![\p{L}\p{N}_@]|\.[\p{L}\p{N}])")

    # the gamer-tag convention «xxnavnxx», «xXnavnXx»
    FRAMED = re.compile(r"(?<![\p{L}\p{N}_])(?i:xx+)\p{L}[\p{L}\p{N}_]{1,28}(?i:xx+)(?![\p{L}\p{N}_])")
    HAS_DIGIT_OR_UNDERSCORE = re.compile(r"[\d_]")
    INNER_DOT = re.compile(r"\w\.\w")

    def analyze(self, text: str, entities, nlp_artifacts=None) -> list[RecognizerResult]:
        results = []
        if "@" in text:
            results += [self.result(*m.span(), 0.8, "@handle") for m in self.AT_HANDLE.finditer(text)]
        if "#" in text:
            results += [self.result(*m.span(), 0.85, "discord tag") for m in self.DISCORD_TAG.finditer(text)]
        for m in self.AFTER_CUE.finditer(text):
            results += self._handle(text, m, 0.75, "handle after a platform or «brukernavn»")
        for m in self.BEFORE_CUE.finditer(text):
            if self._shaped(m.group("handle")):
                results += self._handle(text, m, 0.75, "handle before a platform")
        if self.HAS_DIGIT_OR_UNDERSCORE.search(text):
            for m in self.SHAPED.finditer(text):
                if not self._looks_like_number_or_domain(m.group()):
                    results.append(self.result(*m.span(), 0.5, "handle-shaped token"))
        results += [self.result(*m.span(), 0.6, "xx-framed gamer tag") for m in self.FRAMED.finditer(text)]
        if self.INNER_DOT.search(text):
            for m in self.DOTTED.finditer(text):  # «the.real.kasper», not «f.eks.» or «www.vg.no»
                if sum(ch.isalpha() for ch in m.group()) >= 6 and not has_public_suffix(m.group()):
                    results.append(self.result(*m.span(), 0.5, "dotted handle"))
        return results

    def _handle(self, text: str, match: re.Match, score: float, why: str) -> list[RecognizerResult]:
        start, end = match.span("handle")
        while end > start and text[end - 1] in ".-":
            end -= 1
        handle = text[start:end].lstrip("@")
        if len(handle) < 3 or self._is_plain_word(handle):
            return []
        return [self.result(start, end, score, why)]

    def _is_plain_word(self, token: str) -> bool:
        lower = token.lower()
        return lower in self.lexicon.ordinary_words or lower in self.lexicon.allowed or lower.isdigit()

    @staticmethod
    def _shaped(token: str) -> bool:
        return any(ch in "_." for ch in token.strip(".")) or any(ch.isdigit() for ch in token)

    @staticmethod
    def _looks_like_number_or_domain(token: str) -> bool:
        return token.replace(".", "").isdigit() or has_public_suffix(token)
