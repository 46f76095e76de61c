"""Presidio's spaCy NLP engine on the project's own Norwegian pipeline.

The pipeline is loaded from ``models/nb_chat_ner`` inside the project, never
from a hub: :class:`ProjectSpacyNlpEngine` replaces Presidio's loader, which
would try ``spacy download`` for a model it cannot find. One engine serves
bokmål, nynorsk and lower-case chat under the language code ``nb``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import spacy
import yaml
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from spacy.language import Language

from research.paths import MODELS_DIR

LANGUAGE = "nb"
PIPELINE_NAME = "nb_chat_ner"
LABELS_FILE = Path(__file__).resolve().parent / "ner_training" / "labels.yaml"


class PipelineMissingError(FileNotFoundError):
    """The project's NER pipeline is not where the project ships it."""


def pipeline_path() -> Path:
    return MODELS_DIR / PIPELINE_NAME


# Components de-identification never reads (sentence boundaries): not run.
UNUSED_COMPONENTS = ("sentencizer", "parser", "senter")


def load_pipeline(path: Path | None = None) -> Language:
    """Load the shipped pipeline from disk (no download, ever), without the
    components de-identification does not use."""
    path = path or pipeline_path()
    if not (path / "config.cfg").exists():
        raise PipelineMissingError(
            f"the Norwegian NER pipeline is missing at {path}; it ships with the project "
            "(see research/anonymize/ner_training)"
        )
    nlp = spacy.load(path)
    for name in UNUSED_COMPONENTS:
        if name in nlp.pipe_names:
            nlp.remove_pipe(name)
    return nlp


def model_to_presidio_mapping() -> dict[str, str]:
    """PER -> PERSON, LOC -> LOCATION, ORG -> ORGANIZATION, from the label file
    the NER training ships with the pipeline."""
    labels = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    return dict(labels["model_to_pii"])


def ner_configuration() -> NerModelConfiguration:
    mapping = model_to_presidio_mapping()
    return NerModelConfiguration(
        model_to_presidio_entity_mapping=mapping,
        # Labels of a pipeline that are not personal data (if it has any) are dropped.
        labels_to_ignore=["MISC", "PROD", "EVT", "DRV", "DATE", "TIME", "NORP", "GPE"],
        default_score=0.85,
    )


class ProjectSpacyNlpEngine(SpacyNlpEngine):
    """A SpacyNlpEngine over an already loaded pipeline or the project's path.

    ``truecase`` (text -> text of the same length) prepares what the pipeline
    reads; the analysis keeps the original text and its offsets.
    """

    def __init__(
        self,
        nlp: Language | None = None,
        path: Path | None = None,
        truecase: Callable[[str], str] | None = None,
    ):
        super().__init__(
            models=[{"lang_code": LANGUAGE, "model_name": str(path or pipeline_path())}],
            ner_model_configuration=ner_configuration(),
        )
        self._given = nlp
        self._path = path
        self.truecase = truecase or (lambda text: text)

    def load(self) -> None:
        self.nlp = {LANGUAGE: self._given if self._given is not None else load_pipeline(self._path)}

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        return self._doc_to_nlp_artifact(self.nlp[language](self.truecase(text)), language)

    def process_batch(
        self, texts: Iterable, language: str, batch_size: int = 1, n_process: int = 1, as_tuples: bool = False
    ) -> Iterator[tuple]:
        """Like Presidio's: one ``nlp.pipe`` pass; yields the ORIGINAL text with its artifacts."""
        items = [(str(text), context) for text, context in texts] if as_tuples else [(str(t), None) for t in texts]
        docs = self.nlp[language].pipe(
            (self.truecase(text) for text, _ in items), batch_size=batch_size, n_process=n_process
        )
        for (text, context), doc in zip(items, docs, strict=True):
            artifacts = self._doc_to_nlp_artifact(doc, language)
            yield (text, artifacts, context) if as_tuples else (text, artifacts)

    def get_supported_entities(self) -> list[str]:
        return sorted(set(self.ner_model_configuration.model_to_presidio_entity_mapping.values()))
