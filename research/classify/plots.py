"""Evaluation plots as PNG files (matplotlib's Agg backend; no display, no text
from the conversations: only codes and counts)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.metrics import PrecisionRecallDisplay, precision_recall_curve  # noqa: E402

from research.classify.metrics import Predictions  # noqa: E402


def _co_occurrence(truth: np.ndarray, pred: np.ndarray) -> np.ndarray:
    """Gold label (rows) x predicted label (columns) counts over all items."""
    return truth.T.astype(int) @ pred.astype(int)


def _heatmap(matrix: np.ndarray, rows: list[str], columns: list[str], title: str, path: Path) -> Path:
    fig, ax = plt.subplots(figsize=(1.0 + 0.42 * len(columns), 1.2 + 0.36 * len(rows)))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(columns)), columns, rotation=70, ha="right", fontsize=7)
    ax.set_yticks(range(len(rows)), rows, fontsize=7)
    for (i, j), value in np.ndenumerate(matrix):
        if value:
            ax.text(j, i, str(int(value)), ha="center", va="center", fontsize=6)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def confusion_plots(pr: Predictions, folder: Path) -> list[Path]:
    present_moves = [j for j in range(len(pr.move_codes)) if pr.move_true[:, j].any() or pr.move_pred[:, j].any()]
    move_codes = [pr.move_codes[j] for j in present_moves]
    gold, found = pr.turn_true >= 0, pr.turn_pred >= 0
    disclosure = np.array([[np.sum(~gold & ~found), np.sum(~gold & found)],
                           [np.sum(gold & ~found), np.sum(gold & found)]])
    return [
        _heatmap(_co_occurrence(pr.category_true, pr.category_pred), pr.category_codes, pr.category_codes,
                 "categories: gold x predicted (conversations)", folder / "confusion_categories.png"),
        _heatmap(_co_occurrence(pr.move_true[:, present_moves], pr.move_pred[:, present_moves]), move_codes,
                 move_codes, "moves: gold x predicted (messages)", folder / "confusion_moves.png"),
        _heatmap(disclosure, ["no disclosure", "disclosure"], ["none", "found"],
                 "disclosure (conversations)", folder / "confusion_disclosure.png"),
    ]


def precision_recall_plots(pr: Predictions, folder: Path) -> list[Path]:
    paths = []
    fig, ax = plt.subplots(figsize=(6, 5))
    present = np.flatnonzero(pr.category_true.sum(axis=0) > 0)
    if len(present):
        precision, recall, _ = precision_recall_curve(pr.category_true[:, present].ravel(),
                                                      pr.category_proba[:, present].ravel())
        PrecisionRecallDisplay(precision=precision, recall=recall).plot(
            ax=ax, name="micro-average", curve_kwargs={"lw": 2})
    for j in present:
        if pr.category_true[:, j].sum() >= 2:
            precision, recall, _ = precision_recall_curve(pr.category_true[:, j], pr.category_proba[:, j])
            ax.plot(recall, precision, lw=0.6, alpha=0.6, label=pr.category_codes[j])
    ax.set_title("categories: precision-recall (held-out)", fontsize=9)
    ax.legend(fontsize=5, loc="lower left")
    fig.tight_layout()
    paths.append(folder / "precision_recall_categories.png")
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(5, 4))
    gold = (pr.turn_true >= 0).astype(int)
    if 0 < gold.sum() < len(gold):
        precision, recall, _ = precision_recall_curve(gold, pr.disclosure_score)
        PrecisionRecallDisplay(precision=precision, recall=recall).plot(ax=ax, name="disclosure score")
    ax.set_title("disclosure: precision-recall (held-out)", fontsize=9)
    fig.tight_layout()
    paths.append(folder / "precision_recall_disclosure.png")
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)
    return paths


def evaluation_plots(pr: Predictions, folder: str | Path) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return confusion_plots(pr, folder) + precision_recall_plots(pr, folder)
