"""The project's training corpus: the seed corpus plus generated conversations,
de-identified before any estimator sees them, with weights and a fixed split.

De-identification: every conversation goes through the anonymisation room's
de-identifier, with the gold PII spans of the training data added to what it
detects (:func:`research.classify.anonymizer.deidentify_with_gold`), so that a
name the detector misses can never enter a model's vocabulary.

The held-out split is a hash of the conversation id (salted by the config), so
it stays fixed as the corpus grows and is the same for every experiment.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from research.classify.anonymizer import deidentify_with_gold
from research.classify.config import DataConfig
from research.classify.frames import as_dicts
from research.contracts import read_conversations
from research.paths import CORPUS_DIR

SEED_CORPUS = CORPUS_DIR / "seed.jsonl"


def gold_pii_strings(conversations: Iterable[dict[str, Any]]) -> set[str]:
    """Every PII surface in the gold spans (for leak checks)."""
    return {
        message["text"][span["start"]:span["end"]]
        for conv in as_dicts(conversations)
        for message in conv["messages"]
        for span in message.get("pii") or []
    }


def in_holdout(conversation_id: str, fraction: float, salt: str) -> bool:
    digest = hashlib.sha256(f"{salt}:{conversation_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < fraction


@dataclass
class TrainingCorpus:
    """De-identified conversations with their source, weight and split."""

    conversations: list[dict[str, Any]]
    source: list[str]  # "seed" | "synthetic"
    weights: np.ndarray
    calibration_weights: np.ndarray
    holdout: np.ndarray  # bool: held-out seed conversations (never trained on)

    def subset(self, mask: np.ndarray) -> list[dict[str, Any]]:
        return [c for c, keep in zip(self.conversations, mask, strict=True) if keep]

    @property
    def train(self) -> list[dict[str, Any]]:
        return self.subset(~self.holdout)

    @property
    def train_weights(self) -> np.ndarray:
        return self.weights[~self.holdout]

    @property
    def train_calibration_weights(self) -> np.ndarray:
        return self.calibration_weights[~self.holdout]

    @property
    def heldout(self) -> list[dict[str, Any]]:
        return self.subset(self.holdout)

    def label_frame(self, mask: np.ndarray | None = None) -> pd.DataFrame:
        """Ids, sources and labels only (no text): what the dataset digests are made of."""
        rows = []
        for conv, source, weight, held in zip(self.conversations, self.source, self.weights, self.holdout, strict=True):
            rows.append({
                "conversation_id": conv["conversation_id"],
                "source": source,
                "weight": float(weight),
                "heldout": bool(held),
                "categories": ",".join(sorted(conv.get("categories") or [])),
                # a float: MLflow's schema inference warns about integer columns
                "disclosure_turn": -1.0 if conv.get("disclosure_turn") is None else float(conv["disclosure_turn"]),
                "moves": "|".join(",".join(m.get("moves") or []) for m in conv["messages"]),
            })
        frame = pd.DataFrame(rows)
        return frame if mask is None else frame[mask].reset_index(drop=True)


def load_seed(limit: int | None = None) -> list[dict[str, Any]]:
    conversations, problems = read_conversations(SEED_CORPUS)
    if problems:
        raise ValueError(f"{SEED_CORPUS} has invalid lines, first: {problems[0]}")
    rows = as_dicts(conversations)
    return rows[:limit] if limit else rows


def generate_synthetic(n: int, seed: int) -> list[dict[str, Any]]:
    if n == 0:
        return []
    from research.corpus.synth import generate

    return as_dicts(generate(n, seed))


def build_training_corpus(config: DataConfig, deidentifier=None, progress: bool = False) -> TrainingCorpus:
    """Seed + generated conversations, de-identified (detected and gold PII), split and weighted."""
    seed = load_seed(config.seed_limit)
    synthetic = generate_synthetic(config.synthetic_n, config.synthetic_seed)
    clean = list(deidentify_with_gold(seed + synthetic, deidentifier, progress=progress))
    source = ["seed"] * len(seed) + ["synthetic"] * len(synthetic)
    weights = np.array([config.seed_weight] * len(seed) + [config.synthetic_weight] * len(synthetic))
    calibration = weights * np.where(np.array(source) == "synthetic", config.synthetic_calibration_factor, 1.0)
    holdout = np.array([
        src == "seed" and in_holdout(c["conversation_id"], config.holdout_fraction, config.holdout_salt)
        for c, src in zip(clean, source, strict=True)
    ], dtype=bool)
    return TrainingCorpus(clean, source, weights, calibration, holdout)
