"""Experiment configuration: the YAML files in ``experiments/`` as typed models.

A config names the data (seed corpus, how many generated conversations, the
weights of each and the held-out split) and the hyper-parameters of the three
estimators. Codes in it (the disclosure move) are checked against the taxonomy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from research.contracts import load_taxonomy


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TextFeatures(Strict):
    """One TF-IDF vectoriser over one text column."""

    analyzer: Literal["word", "char_wb", "char"]
    ngram_range: tuple[int, int]
    max_features: int = Field(gt=0)
    min_df: int = Field(default=2, ge=1)
    weight: float = Field(default=1.0, gt=0)


class LinearModel(Strict):
    C: float = Field(default=4.0, gt=0)
    class_weight: Literal["balanced"] | None = "balanced"
    cv: int = Field(default=5, ge=2)


class CategoryConfig(LinearModel):
    """Conversation categories from the user's and the counsellor's text apart."""

    text: list[TextFeatures]
    counsellor_weight: float = Field(default=0.5, ge=0)


class MoveConfig(LinearModel):
    """Moves per message: its own text, its neighbours' text and its position."""

    text: list[TextFeatures]
    context: list[TextFeatures]
    context_columns: list[Literal["prev_text", "next_text", "prev_other_text", "next_other_text"]]
    position_weight: float = Field(default=1.0, ge=0)


class DisclosureConfig(LinearModel):
    """The first explicit disclosure: a classifier over the speaker's messages."""

    move: str = "U_DISCLOSURE"
    speaker: Literal["user", "counsellor"] = "user"
    text: list[TextFeatures]
    context: list[TextFeatures]
    context_columns: list[Literal["prev_text", "next_text", "prev_other_text", "next_other_text"]]
    position_weight: float = Field(default=1.0, ge=0)

    @field_validator("move")
    @classmethod
    def _known_move(cls, value: str) -> str:
        if value not in load_taxonomy().moves:
            raise ValueError(f"unknown move code {value!r}")
        return value


class DataConfig(Strict):
    seed_weight: float = Field(default=3.0, gt=0)
    synthetic_n: int = Field(default=2000, ge=0)
    synthetic_seed: int = 7
    synthetic_weight: float = Field(default=1.0, gt=0)
    # how much a generated conversation counts, relative to its training weight,
    # when scores are calibrated and thresholds chosen (1: as in training)
    synthetic_calibration_factor: float = Field(default=1.0, ge=0)
    holdout_fraction: float = Field(default=0.2, ge=0, lt=1)
    holdout_salt: str = "seed-holdout-v1"
    # what the exported model is fitted on: the training part (the evaluated and
    # registered model itself) or all of it, held-out seed split included, after evaluation
    final_fit: Literal["train", "all"] = "train"
    seed_limit: int | None = Field(default=None, gt=0)  # small configs for tests


class ExperimentConfig(Strict):
    name: str
    description: str = ""
    random_state: int = 0
    data: DataConfig = DataConfig()
    categories: CategoryConfig
    moves: MoveConfig
    disclosure: DisclosureConfig


def load_config(path: str | Path) -> ExperimentConfig:
    """Read and validate an experiment config; errors name the file and field."""
    path = Path(path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return ExperimentConfig.model_validate(raw)
