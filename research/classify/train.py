"""``disclosure train --config experiments/<name>.yaml``: train, evaluate, log, register.

1. Build the corpus (seed + generated, de-identified, held-out seed split fixed).
2. Fit the three estimators on the training part (their thresholds and
   calibration come from cross-validation inside the training part).
3. Evaluate on the held-out seed split; log params, the config file, dataset
   digests (ids and labels only), metrics, PNG plots, the model card and the
   skops model to MLflow.
4. Register a new version of ``disclosure-classifier``; move ``champion`` to it
   only when it beats the champion on the same held-out split.
5. Optionally export the model (and card) to a folder, e.g. ``models/classifier``.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from research.classify.card import model_card
from research.classify.config import ExperimentConfig, load_config
from research.classify.corpus import TrainingCorpus, build_training_corpus
from research.classify.fitting import fit_suggestion_model
from research.classify.metrics import PRIMARY_METRIC, evaluate, flat_metrics, predict_gold, report
from research.classify.model import REGISTERED_NAME, SuggestionModel
from research.classify.persist import MODEL_FILE, save_model
from research.classify.plots import evaluation_plots
from research.paths import data_home

CARD_FILE = "MODEL_CARD.md"


@dataclass
class TrainResult:
    run_id: str
    version: str
    promoted: bool
    heldout: dict[str, Any]
    champion_before: str | None
    champion_score: float | None  # the previous champion on this run's held-out split
    model: SuggestionModel


def _flatten(prefix: str, value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        flat: dict[str, str] = {}
        for key, item in value.items():
            flat.update(_flatten(f"{prefix}.{key}" if prefix else str(key), item))
        return flat
    return {prefix: json.dumps(value) if isinstance(value, list | tuple) else str(value)}


def cv_metrics(model: SuggestionModel) -> dict[str, float]:
    """Out-of-fold scores from the estimators' own cross-validation."""
    metrics = {
        "cv.categories.micro_f1": model.categories[-1].cv_micro_f1_,
        "cv.disclosure.f1": float(model.disclosure.cv_f1_),
        "cv.disclosure.turn_within_1": model.disclosure.cv_turn_within_1_,
    }
    for speaker, tagger in model.moves[-1].models_.items():
        metrics[f"cv.moves.{speaker}.micro_f1"] = tagger[-1].cv_micro_f1_
    return metrics


def thresholds(model: SuggestionModel) -> dict[str, float]:
    table = dict(zip(model.category_codes, model.category_thresholds.tolist(), strict=True))
    table.update(zip(model.move_codes, model.moves[-1].thresholds().tolist(), strict=True))
    table["disclosure (conversation score)"] = model.disclosure.threshold_
    table["disclosure (turn, message score)"] = model.disclosure.turn_threshold_
    return {code: value for code, value in table.items() if value <= 1.0}


def data_summary(corpus: TrainingCorpus, digests: dict[str, str]) -> dict[str, Any]:
    seed = [s == "seed" for s in corpus.source]
    return {
        "trained_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "seed_train": sum(s and not h for s, h in zip(seed, corpus.holdout, strict=True)),
        "seed_heldout": int(corpus.holdout.sum()),
        "synthetic": sum(not s for s in seed),
        "train_digest": digests["train"],
        "heldout_digest": digests["heldout"],
    }


def _log_datasets(mlflow, corpus: TrainingCorpus) -> dict[str, str]:
    """Ids, sources and labels as MLflow datasets (no text); returns their digests."""
    digests = {}
    for name, mask, context in (("train", ~corpus.holdout, "training"), ("heldout", corpus.holdout, "evaluation")):
        dataset = mlflow.data.from_pandas(corpus.label_frame(mask), name=f"{name}-labels")
        mlflow.log_input(dataset, context=context)
        digests[name] = dataset.digest
    return digests


def _champion_score(client, corpus: TrainingCorpus) -> tuple[str | None, float | None]:
    """The current champion and its primary metric on this run's held-out split."""
    from research.classify import load_suggester
    from research.classify.tracking import CHAMPION, champion_version

    version = champion_version(client)
    if version is None:
        return None, None
    champion = load_suggester(f"models:/{REGISTERED_NAME}@{CHAMPION}")
    return version, evaluate(champion, corpus.heldout)[PRIMARY_METRIC]


def export(model: SuggestionModel, card: str, folder: str | Path) -> Path:
    """Write ``model.skops`` and ``MODEL_CARD.md`` into a folder (e.g. models/classifier)."""
    folder = Path(folder)
    save_model(model, folder / MODEL_FILE)
    (folder / CARD_FILE).write_text(card, encoding="utf-8")
    return folder


def measure(model: SuggestionModel, gold_files: Sequence[str | Path]) -> dict[str, dict[str, Any]]:
    """Metrics on extra gold files (measurement only; de-identified first)."""
    from research.classify.commands import read_gold

    return {Path(path).name: evaluate(model, read_gold(path)[0]) for path in gold_files}


def _final_model(config: ExperimentConfig, corpus: TrainingCorpus, evaluated: SuggestionModel) -> SuggestionModel:
    """The model to export: the evaluated one, or the same recipe refitted on
    everything (held-out seed split included) when the config says so."""
    if config.data.final_fit == "train" or not corpus.holdout.any():
        return evaluated
    final = fit_suggestion_model(config, corpus.conversations, corpus.weights, corpus.calibration_weights)
    final.info = {**evaluated.info, "fitted_on": "all"}
    return final


def train(
    config_path: str | Path,
    *,
    export_to: str | Path | None = None,
    measure_on: Sequence[str | Path] = (),
    deidentifier=None,
    progress: bool = False,
) -> TrainResult:
    from research.classify.tracking import experiment_id, mlflow_client, promote, register_version

    config: ExperimentConfig = load_config(config_path)
    corpus = build_training_corpus(config.data, deidentifier, progress=progress)
    model = fit_suggestion_model(config, corpus.train, corpus.train_weights, corpus.train_calibration_weights)
    predictions = predict_gold(model, corpus.heldout)
    heldout = report(predictions)

    mlflow, client = mlflow_client()
    with mlflow.start_run(experiment_id=experiment_id(client), run_name=config.name) as run, \
            tempfile.TemporaryDirectory(prefix="train-", dir=data_home()) as scratch:
        mlflow.log_params(_flatten("config", config.model_dump(mode="json")))
        mlflow.log_artifact(str(config_path), "config")
        digests = _log_datasets(mlflow, corpus)
        mlflow.log_metrics({f"heldout.{k}": v for k, v in flat_metrics(heldout).items()})
        mlflow.log_metrics(cv_metrics(model))
        plots = Path(scratch) / "plots"
        evaluation_plots(predictions, plots)
        mlflow.log_artifacts(str(plots), "plots")

        champion_before, champion_score = _champion_score(client, corpus)
        model.info = {"config": config.name, "run_id": run.info.run_id, "fitted_on": "train",
                      **data_summary(corpus, digests), PRIMARY_METRIC: heldout[PRIMARY_METRIC]}
        model_dir = Path(scratch) / "model"
        export(model, model_card(config, model.info, heldout, thresholds(model), run_id=run.info.run_id), model_dir)
        mlflow.log_artifacts(str(model_dir), "model")

        version = register_version(client, run.info.run_id, run.info.artifact_uri)
        promoted = champion_score is None or heldout[PRIMARY_METRIC] > champion_score
        if promoted:
            promote(client, version)
        mlflow.set_tags({
            "registered_version": version,
            "promoted": str(promoted),
            "champion_before": champion_before or "",
            "champion_before_heldout_primary": "" if champion_score is None else f"{champion_score:.4f}",
        })

    if export_to is not None:
        final = _final_model(config, corpus, model)
        final.info["registered_version"] = version
        export(final, model_card(config, final.info, heldout, thresholds(final), measure(final, measure_on),
                                 run_id=run.info.run_id), export_to)
    return TrainResult(run.info.run_id, version, promoted, heldout, champion_before, champion_score, model)
