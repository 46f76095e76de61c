"""Build the shipped pipeline: data -> ``spacy train`` -> lemmatizer, sentencizer -> recall calibration -> scores.

The training corpus is NorNE train (bokmål + nynorsk, labels mapped), its
chat-like copies (:mod:`augment`) and the invented chat examples
(:mod:`chat_templates`). NorNE dev (as written and lowercased) picks the best
checkpoint and the recall calibration (:mod:`calibrate`); it is never
trained on. Intermediate files live in a temporary
folder; the finished pipeline is written next to the target and swapped in,
so a reader never sees a half-written model.
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.cli.train import train as spacy_train
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, DocBin

from .augment import AugmentationPlan, ChatAugmenter, Misspeller
from .calibrate import RecallCalibrator
from .chat_templates import ChatExample, ChatExampleGenerator
from .evaluate import evaluate_pipeline
from .labels import load_label_scheme
from .lemmas import add_lookup_lemmatizer, build_lemma_table
from .lexicon import load_lexicon
from .model_card import write_model_card, write_scores
from .norne import DEV_FILES, TRAIN_FILES, read_conllu
from .sentence import TaggedSentence

CONFIG_FILE = Path(__file__).with_name("config.cfg")
MODEL_NAME = "nb_chat_ner"


@dataclass(frozen=True)
class TrainingPlan:
    """How much data and how many steps; ``norne_sentences=None`` uses all of NorNE train."""

    name: str
    version: str
    norne_sentences: int | None
    chat_examples: int
    max_steps: int
    patience: int
    eval_frequency: int
    seed: int = 0


PLANS = {
    # a few minutes on one core: something to integrate against while the full model trains
    "interim": TrainingPlan("interim", "0.1.0", norne_sentences=5000, chat_examples=2000, max_steps=1500,
                            patience=1500, eval_frequency=300),
    "full": TrainingPlan("full", "1.0.0", norne_sentences=None, chat_examples=8000, max_steps=5000,
                         patience=2000, eval_frequency=500),
}

Report = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class TrainingData:
    train: list[Doc]
    dev: list[Doc]
    lemma_table: dict[str, str]
    counts: dict[str, int]


def read_dev_sets(norne: Path, report: Report = _stderr) -> dict[str, list[TaggedSentence]]:
    """NorNE dev per language, as written and lowercased."""
    sets: dict[str, list[TaggedSentence]] = {}
    for language, filename in DEV_FILES.items():
        written = read_norne(norne, [filename], report)
        sets[f"{language}_written"] = written
        sets[f"{language}_lowercased"] = [s.with_words([w.lower() for w in s.words]) for s in written]
    return sets


def read_norne(folder: Path, filenames: tuple[str, ...] | list[str], report: Report) -> list[TaggedSentence]:
    sentences: list[TaggedSentence] = []
    for filename in filenames:
        read, problems = read_conllu(folder / filename)
        for problem in problems:
            report(str(problem))
        sentences.extend(read)
    return sentences


def prepare_data(norne: Path, plan: TrainingPlan, report: Report = _stderr) -> TrainingData:
    rng = random.Random(plan.seed)
    nlp = spacy.blank("nb")
    lexicon = load_lexicon()
    norne_train = read_norne(norne, TRAIN_FILES, report)
    lemma_table = build_lemma_table(norne_train)  # from all of train, whatever the plan
    if plan.norne_sentences is not None:
        norne_train = rng.sample(norne_train, min(plan.norne_sentences, len(norne_train)))
    augmenter = ChatAugmenter(Misspeller(lexicon.informal_spellings), lexicon.emoji)
    copies = augmenter.augment(norne_train, rng)
    chat = ChatExampleGenerator(seed=plan.seed, lexicon=lexicon).generate(plan.chat_examples)
    dev = [sentence for sentences in read_dev_sets(norne, report).values() for sentence in sentences]
    train_docs = [s.to_doc(nlp.vocab) for s in norne_train + copies]
    train_docs += chat_docs(chat, nlp.tokenizer, report)
    counts = {
        "norne_train_sentences": len(norne_train),
        "augmented_copies": len(copies),
        "chat_examples": len(chat),
        "train_docs": len(train_docs),
        "train_tokens": sum(len(doc) for doc in train_docs),
        "dev_docs": len(dev),
    }
    report(f"training data: {counts}")
    return TrainingData(train_docs, [s.to_doc(nlp.vocab) for s in dev], lemma_table, counts)


def chat_docs(examples: list[ChatExample], tokenizer: Tokenizer, report: Report) -> list[Doc]:
    """Docs of the template examples; the rare one whose span the tokenizer cuts (e.g. «jan.») is left out."""
    docs = []
    for example in examples:
        try:
            docs.append(example.to_doc(tokenizer))
        except ValueError as error:
            report(f"chat example skipped: {error}")
    return docs


def train_ner(data: TrainingData, plan: TrainingPlan, work: Path) -> Path:
    """Run spaCy's trainer on the data; returns the best checkpoint's folder."""
    DocBin(docs=data.train, store_user_data=False).to_disk(work / "train.spacy")
    DocBin(docs=data.dev, store_user_data=False).to_disk(work / "dev.spacy")
    overrides = {
        "paths.train": str(work / "train.spacy"),
        "paths.dev": str(work / "dev.spacy"),
        "system.seed": plan.seed,
        "training.max_steps": plan.max_steps,
        "training.patience": plan.patience,
        "training.eval_frequency": plan.eval_frequency,
    }
    spacy_train(CONFIG_FILE, work / "training", overrides=overrides)
    return work / "training" / "model-best"


def assemble(model_dir: Path, lemma_table: dict[str, str], plan: TrainingPlan, counts: dict[str, int]) -> Language:
    """The trained tok2vec + ner, plus the lookup lemmatizer, a sentencizer and the metadata."""
    nlp = spacy.load(model_dir)
    add_lookup_lemmatizer(nlp, lemma_table)
    nlp.add_pipe("sentencizer")
    nlp.meta.update(
        name=MODEL_NAME,
        version=plan.version,
        description="Norwegian (bokmål/nynorsk) NER for chat de-identification: PER, LOC, ORG, with lookup lemmas.",
        license="MIT (model); NorNE annotations CC0-1.0",
        sources=[{"name": "NorNE", "url": "https://github.com/ltgoslo/norne", "license": "CC0-1.0 (annotations)",
                  "commit": "bd311de5"}],
        pii_entity_mapping=load_label_scheme().model_to_pii,
        training_plan=asdict(plan),
        augmentation=asdict(AugmentationPlan()),
        training_data=counts,
    )
    return nlp


def swap_into_place(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging`` with two renames on one file system (no half-written model)."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    if old.exists():
        shutil.rmtree(old)


def build(norne: Path, output: Path, plan: TrainingPlan, chat_dev: Path | None = None,
          report: Report = _stderr) -> dict[str, Any]:
    """Train, assemble, calibrate, evaluate and ship the pipeline at ``output``; returns the scores."""
    data = prepare_data(norne, plan, report)
    with tempfile.TemporaryDirectory(prefix="nb_chat_ner-") as work:
        best = train_ner(data, plan, Path(work))
        nlp = assemble(best, data.lemma_table, plan, data.counts)
    return calibrate_and_ship(nlp, output, norne, chat_dev, report)


def calibrate_and_ship(nlp: Language, output: Path, norne: Path, chat_dev: Path | None = None,
                       report: Report = _stderr) -> dict[str, Any]:
    """Tune the recall bias on NorNE dev, then write, score and swap in the pipeline at ``output``."""
    shift = RecallCalibrator().fit(nlp, read_dev_sets(norne, report))
    report(f"O-action bias shift: {shift} (mean F2 per shift: {nlp.meta['outside_bias_calibration']['mean_f_beta']})")
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = output.with_name(f".{output.name}.staging")
    try:
        if staging.exists():
            shutil.rmtree(staging)
        nlp.to_disk(staging)
        scores = evaluate_pipeline(spacy.load(staging), norne, chat_dev)
        write_scores(staging / "scores.json", scores)
        write_model_card(staging / "MODEL_CARD.md", nlp, scores, model_dir=staging)
        swap_into_place(staging, output)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return scores


def recalibrate(model: Path, norne: Path, chat_dev: Path | None = None) -> dict[str, Any]:
    """Calibrate a shipped pipeline again (no retraining) and swap it in with fresh scores and card."""
    return calibrate_and_ship(spacy.load(model), model, norne, chat_dev)


def rescore(model: Path, norne: Path, chat_dev: Path | None = None) -> dict[str, Any]:
    """Evaluate a shipped pipeline again and rewrite its scores.json and MODEL_CARD.md."""
    nlp = spacy.load(model)
    scores = evaluate_pipeline(nlp, norne, chat_dev)
    write_scores(model / "scores.json", scores)
    write_model_card(model / "MODEL_CARD.md", nlp, scores, model_dir=model)
    return scores
