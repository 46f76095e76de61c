"""Evaluation of a :class:`SuggestionModel` against gold conversations.

The same numbers are logged at training time (held-out seed split) and printed
by ``disclosure evaluate`` on any gold file:

- categories: per-label precision/recall/F1, micro and macro F1 over the labels
  present in the gold file, Brier score of the calibrated scores;
- moves: micro and macro F1 over all messages (macro over moves present);
- disclosure: conversation-level precision/recall/F1 (disclosed or not), the
  share of found disclosures whose predicted turn is within ±1 of the gold
  turn, and the Brier score of the disclosure score.

``primary`` (the mean of category micro-F1, move micro-F1 and disclosure F1)
is the single number that decides whether a new model replaces the champion.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import precision_recall_fscore_support

from research.classify.frames import as_dicts, category_matrix, disclosure_turns, move_matrix

PRIMARY_METRIC = "primary"


@dataclass
class Predictions:
    """Gold and predicted labels of one gold set, kept for plots."""

    category_codes: list[str]
    move_codes: list[str]
    category_true: np.ndarray
    category_proba: np.ndarray
    category_pred: np.ndarray
    move_true: np.ndarray
    move_pred: np.ndarray
    turn_true: np.ndarray
    turn_pred: np.ndarray
    disclosure_score: np.ndarray


def predict_gold(model, conversations: Sequence[Any]) -> Predictions:
    conversations = as_dicts(conversations)
    category_proba, _, move_chosen, turns, scores = model.predict_all(conversations)
    return Predictions(
        category_codes=model.category_codes,
        move_codes=model.move_codes,
        category_true=category_matrix(conversations, model.category_codes),
        category_proba=category_proba,
        category_pred=(category_proba >= model.category_thresholds).astype(int),
        move_true=move_matrix(conversations, model.move_codes),
        move_pred=move_chosen,
        turn_true=disclosure_turns(conversations),
        turn_pred=np.asarray(turns),
        disclosure_score=np.asarray(scores),
    )


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def multilabel_report(truth: np.ndarray, pred: np.ndarray, codes: Sequence[str]) -> dict[str, Any]:
    """Per-label P/R/F1/support, and micro/macro F1 over the labels present in gold."""
    present = np.flatnonzero(truth.sum(axis=0) > 0)
    p, r, f, support = precision_recall_fscore_support(truth, pred, average=None, zero_division=0)
    per_label = {
        codes[j]: {"precision": float(p[j]), "recall": float(r[j]), "f1": float(f[j]), "support": int(support[j])}
        for j in range(len(codes)) if support[j] > 0 or pred[:, j].any()
    }
    if not len(present):
        return {"micro_f1": 0.0, "macro_f1": 0.0, "per_label": per_label, "labels_present": 0}
    tp = (truth[:, present] & pred[:, present]).sum()
    micro_p = tp / max(pred[:, present].sum(), 1)
    micro_r = tp / max(truth[:, present].sum(), 1)
    return {
        "micro_f1": _f1(micro_p, micro_r),
        "micro_precision": float(micro_p),
        "micro_recall": float(micro_r),
        "macro_f1": float(f[present].mean()),
        "labels_present": int(len(present)),
        "per_label": per_label,
    }


def disclosure_report(turn_true: np.ndarray, turn_pred: np.ndarray, scores: np.ndarray) -> dict[str, float]:
    gold, found = turn_true >= 0, turn_pred >= 0
    tp = int((gold & found).sum())
    precision = tp / max(found.sum(), 1)
    recall = tp / max(gold.sum(), 1)
    near = np.abs(turn_pred - turn_true) <= 1
    return {
        "precision": float(precision),
        "recall": float(recall),
        "f1": _f1(precision, recall),
        "turn_within_1": float(near[gold & found].mean()) if tp else 0.0,
        "turn_exact": float((turn_pred == turn_true)[gold & found].mean()) if tp else 0.0,
        "brier": float(np.mean((scores - gold) ** 2)),
        "gold_disclosures": int(gold.sum()),
        "predicted_disclosures": int(found.sum()),
    }


def report(predictions: Predictions) -> dict[str, Any]:
    pr = predictions
    categories = multilabel_report(pr.category_true, pr.category_pred, pr.category_codes)
    categories["brier"] = float(np.mean((pr.category_proba - pr.category_true) ** 2))
    moves = multilabel_report(pr.move_true, pr.move_pred, pr.move_codes)
    disclosure = disclosure_report(pr.turn_true, pr.turn_pred, pr.disclosure_score)
    primary = float(np.mean([categories["micro_f1"], moves["micro_f1"], disclosure["f1"]]))
    return {
        "conversations": int(len(pr.turn_true)),
        "messages": int(len(pr.move_true)),
        "categories": categories,
        "moves": moves,
        "disclosure": disclosure,
        PRIMARY_METRIC: primary,
    }


def evaluate(model, conversations: Sequence[Any]) -> dict[str, Any]:
    return report(predict_gold(model, conversations))


def flat_metrics(result: dict[str, Any]) -> dict[str, float]:
    """Metric name -> value, as logged to MLflow (``categories.micro_f1``, ...)."""
    flat: dict[str, float] = {PRIMARY_METRIC: result[PRIMARY_METRIC]}
    for task in ("categories", "moves", "disclosure"):
        for key, value in result[task].items():
            if key == "per_label":
                for code, scores in value.items():
                    for name in ("precision", "recall", "f1"):
                        flat[f"{task}.{code}.{name}"] = scores[name]
            else:
                flat[f"{task}.{key}"] = float(value)
    return flat


def format_table(result: dict[str, Any]) -> str:
    """The evaluation as a plain-text table."""
    lines = [f"{result['conversations']} conversations, {result['messages']} messages",
             f"{'':24}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>9}"]
    for task in ("categories", "moves"):
        block = result[task]
        lines.append(f"{task}: micro-F1 {block['micro_f1']:.3f}  macro-F1 {block['macro_f1']:.3f}"
                     f"  ({block['labels_present']} labels present)")
        for code, s in sorted(block["per_label"].items()):
            lines.append(f"  {code:22}{s['precision']:10.3f}{s['recall']:10.3f}{s['f1']:10.3f}{s['support']:9d}")
    d = result["disclosure"]
    lines.append(f"disclosure: P {d['precision']:.3f}  R {d['recall']:.3f}  F1 {d['f1']:.3f}  "
                 f"turn ±1 {d['turn_within_1']:.3f}  ({d['gold_disclosures']} gold, {d['predicted_disclosures']} predicted)")
    lines.append(f"{PRIMARY_METRIC}: {result[PRIMARY_METRIC]:.3f}")
    return "\n".join(lines)
