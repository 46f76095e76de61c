"""A common base for the Norwegian recognizers that are not plain regexes."""

from __future__ import annotations

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult

from research.anonymize.lexicon import Lexicon, load_lexicon
from research.anonymize.nlp_engine import LANGUAGE


class NorwegianRecognizer(LocalRecognizer):
    """One entity type, Norwegian context words from ``context_words.yaml``."""

    ENTITY: str = ""

    def __init__(self, lexicon: Lexicon | None = None, name: str | None = None):
        self.lexicon = lexicon or load_lexicon()
        super().__init__(
            supported_entities=[self.ENTITY],
            supported_language=LANGUAGE,
            name=name or type(self).__name__,
            context=self.lexicon.context_words.get(self.ENTITY, []),
        )

    def load(self) -> None:  # nothing to load: the word lists come with the lexicon
        pass

    def result(self, start: int, end: int, score: float, why: str) -> RecognizerResult:
        return RecognizerResult(
            entity_type=self.ENTITY,
            start=start,
            end=end,
            score=score,
            analysis_explanation=AnalysisExplanation(
                recognizer=self.name, original_score=score, textual_explanation=why
            ),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )
