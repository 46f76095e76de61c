"""De-identify whole conversations: the Python API the later rooms use.

    deidentifier = Deidentifier()                  # loads the pipeline once
    for result in deidentifier.deidentify(conversations, batch_size=64):
        result.conversation   # the de-identified Conversation ("deidentified": true)
        result.spans          # per message, the detected spans in the ORIGINAL text

Conversations are processed in batches: spaCy runs once over all messages of
a batch, Presidio's recognizers on the precomputed NlpArtifacts; names found
anywhere in a conversation are found again in all its messages, and one
in-memory pseudonym map per conversation gives the same tag everywhere.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from presidio_analyzer import AnalyzerEngine
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult
from spacy.language import Language
from tqdm import tqdm

from research.anonymize.analyzer import MessageAnalyzer, build_analyzer
from research.anonymize.lexicon import Lexicon, load_lexicon
from research.anonymize.nlp_engine import LANGUAGE
from research.anonymize.pseudonyms import Pseudonymize, PseudonymMap
from research.anonymize.recognizers.names import NameEvidence
from research.anonymize.spans import ConversationNames, Span
from research.contracts import Conversation


@dataclass(frozen=True)
class DeidentifiedConversation:
    conversation: Conversation  # every message text de-identified, no gold ``pii``
    spans: list[list[Span]]  # per message, offsets into the original text

    def to_json(self) -> dict[str, Any]:
        return self.conversation.to_json()

    def spans_json(self) -> dict[str, Any]:
        """The SPANS line of contract.md: offsets and types, no text."""
        return {
            "conversation_id": self.conversation.conversation_id,
            "messages": [[span.to_json() for span in found] for found in self.spans],
        }


class Deidentifier:
    """Loaded once (pipeline, recognizers, word lists), reusable for any
    number of conversations. ``nlp`` replaces the shipped pipeline (tests)."""

    def __init__(
        self,
        analyzer: AnalyzerEngine | None = None,
        nlp: Language | None = None,
        lexicon: Lexicon | None = None,
    ):
        self.lexicon = lexicon or load_lexicon()
        engine = analyzer or build_analyzer(nlp=nlp, lexicon=self.lexicon)
        self.messages = MessageAnalyzer(engine, self.lexicon)
        self.names = ConversationNames(self.messages.allow_list, NameEvidence(self.lexicon))
        self.anonymizer = AnonymizerEngine()
        self.anonymizer.add_anonymizer(Pseudonymize)
        meta = engine.nlp_engine.get_nlp(LANGUAGE).meta
        self.version = f"{meta.get('name', 'pipeline')}-{meta.get('version', '0')}"  # provenance of a run

    # ------------------------------------------------------------------ conversations
    def deidentify(
        self, conversations: Iterable[Conversation], batch_size: int = 64, progress: bool = False
    ) -> Iterator[DeidentifiedConversation]:
        """De-identify conversations lazily, ``batch_size`` conversations at a time."""
        bar = tqdm(unit="conv", desc="anonymize", file=sys.stderr, disable=not progress, leave=False)
        iterator = iter(conversations)
        try:
            while batch := list(islice(iterator, batch_size)):
                yield from self._deidentify_batch(batch)
                bar.update(len(batch))
        finally:
            bar.close()

    def _deidentify_batch(self, batch: list[Conversation]) -> Iterator[DeidentifiedConversation]:
        texts = [message.text for conversation in batch for message in conversation.messages]
        found = self.messages.analyze_many(texts)
        offset = 0
        for conversation in batch:
            n = len(conversation.messages)
            own_texts, own_spans = texts[offset : offset + n], found[offset : offset + n]
            offset += n
            spans = self.names.propagate(own_texts, own_spans)
            yield self._rewrite(conversation, own_texts, spans)

    def _rewrite(self, conversation: Conversation, texts: list[str], spans: list[list[Span]]) -> DeidentifiedConversation:
        pseudonyms = PseudonymMap()  # this conversation only; dropped when done
        data = conversation.to_json()
        for message, text, found in zip(data["messages"], texts, spans, strict=True):
            message["text"] = self.pseudonymize(text, found, pseudonyms)
            message.pop("pii", None)  # gold spans hold raw text
        data["deidentified"] = True
        return DeidentifiedConversation(Conversation.model_validate(data), spans)

    # ------------------------------------------------------------------ single texts
    def pseudonymize(self, text: str, spans: list[Span], pseudonyms: PseudonymMap) -> str:
        """Replace each span with its tag in ``pseudonyms`` (presidio-anonymizer)."""
        if not spans:
            return text
        for span in sorted(spans):  # tags numbered in reading order
            pseudonyms.tag(span.type, text[span.start : span.end])
        results = [RecognizerResult(s.type, s.start, s.end, s.score) for s in spans]
        operators = {"DEFAULT": OperatorConfig("pseudonymize", {Pseudonymize.PSEUDONYMS: pseudonyms})}
        return self.anonymizer.anonymize(text, results, operators, merge_entities_with_spaces=False).text

    def deidentify_text(self, text: str, pseudonyms: PseudonymMap | None = None) -> str:
        """One text on its own (a fresh pseudonym map unless one is given)."""
        return self.pseudonymize(text, self.messages.analyze(text), pseudonyms or PseudonymMap())
