"""One-vs-rest linear models with Platt-calibrated scores and per-label thresholds.

The scores a counsellor sees should mean what they say (0.8 ≈ right four times
in five), and each label needs its own cut-off: a rare label such as
``selvmord`` is best suggested at a lower score than a common one. Both come
from the same out-of-fold predictions: each label's model is cross-validated,
a sigmoid (Platt scaling) is fitted to its out-of-fold decision values, and
the threshold that maximises that label's F1 on the calibrated out-of-fold
scores is kept. The final models are then refitted on all the data.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold
from sklearn.utils import _safe_indexing
from sklearn.utils.validation import check_is_fitted

NEVER = 1.0 + 1e-9  # the threshold of a label that was never seen in training


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -50, 50)))


def cv_splits(n_rows: int, n_splits: int, random_state: int, groups=None) -> list[tuple[np.ndarray, np.ndarray]]:
    """Shuffled K folds; rows of one group (a conversation) stay in one fold."""
    dummy = np.zeros(n_rows)
    if groups is not None:
        n_groups = len(np.unique(groups))
        splitter = GroupKFold(n_splits=min(n_splits, n_groups), shuffle=True, random_state=random_state)
        return list(splitter.split(dummy, groups=groups))
    splitter = KFold(n_splits=min(n_splits, n_rows), shuffle=True, random_state=random_state)
    return list(splitter.split(dummy))


def best_f1_threshold(scores: np.ndarray, truth: np.ndarray, weights: np.ndarray, grid: np.ndarray) -> float:
    """The grid value that maximises the (weighted) F1 of ``scores >= t``.

    Among equally good thresholds the middle one is taken, which is the most
    stable choice when the out-of-fold scores separate the classes cleanly.
    """
    predicted = scores[None, :] >= grid[:, None]
    positive = truth.astype(bool)[None, :]
    tp = (predicted & positive) @ weights
    fp = (predicted & ~positive) @ weights
    fn = (~predicted & positive) @ weights
    f1 = np.divide(2 * tp, 2 * tp + fp + fn, out=np.zeros_like(tp), where=(2 * tp + fp + fn) > 0)
    best = np.flatnonzero(np.isclose(f1, f1.max()))
    return float(grid[best[len(best) // 2]])


class CalibratedOneVsRest(ClassifierMixin, BaseEstimator):
    """Multi-label classifier: one binary model per column of ``Y``.

    Parameters
    ----------
    estimator: a binary linear classifier (``coef_``, ``intercept_``; default:
        a class-balanced logistic regression).
    cv: number of folds for the out-of-fold scores.
    threshold_grid: (low, high, steps) of the thresholds tried per label.
    """

    def __init__(self, estimator=None, cv: int = 5, random_state: int = 0, threshold_grid=(0.05, 0.95, 91)):
        self.estimator = estimator
        self.cv = cv
        self.random_state = random_state
        self.threshold_grid = threshold_grid

    def _base(self):
        if self.estimator is not None:
            return self.estimator
        return LogisticRegression(C=4.0, class_weight="balanced", solver="liblinear", max_iter=1000)

    @staticmethod
    def _trainable(y: np.ndarray) -> bool:
        return 0 < y.sum() < len(y)

    def _fit_column(self, X, y, weights):
        return clone(self._base()).fit(X, y, sample_weight=weights) if self._trainable(y) else None

    @staticmethod
    def _decision(model, X, n_rows: int, y_train: np.ndarray) -> np.ndarray:
        if model is not None:
            return model.decision_function(X)
        # a column with one class in training: a constant, far on that side
        return np.full(n_rows, 20.0 if y_train.all() else -20.0)

    def fit_with_oof(self, X, Y, sample_weight=None, groups=None, calibration_weight=None) -> np.ndarray:
        """Fit, and return the calibrated out-of-fold probabilities (not kept).

        ``calibration_weight`` (default: ``sample_weight``) weighs the rows when
        the sigmoid and the thresholds are chosen, e.g. to let hand-written
        conversations decide them rather than generated ones."""
        Y = np.asarray(Y)
        if Y.ndim == 1:
            Y = Y[:, None]
        n, n_labels = Y.shape
        weights = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        calibration = weights if calibration_weight is None else np.asarray(calibration_weight, dtype=float)
        oof = np.zeros((n, n_labels))
        for train, test in cv_splits(n, self.cv, self.random_state, groups):
            X_train, X_test = _safe_indexing(X, train), _safe_indexing(X, test)
            for j in range(n_labels):
                model = self._fit_column(X_train, Y[train, j], weights[train])
                oof[test, j] = self._decision(model, X_test, len(test), Y[train, j])
        self._calibrate(oof, Y, calibration)
        calibrated = self._apply_platt(oof)
        grid = np.linspace(*self.threshold_grid[:2], int(self.threshold_grid[2]))
        self.thresholds_ = np.array([
            best_f1_threshold(calibrated[:, j], Y[:, j], calibration, grid) if Y[:, j].any() else NEVER
            for j in range(n_labels)
        ])
        self._score_cv(calibrated >= self.thresholds_, Y.astype(bool))
        self._stack([self._fit_column(X, Y[:, j], weights) for j in range(n_labels)], X.shape[1])
        self.label_counts_ = Y.sum(axis=0)
        self.n_labels_ = n_labels
        return calibrated

    def fit(self, X, Y, sample_weight=None, groups=None, calibration_weight=None):
        self.fit_with_oof(X, Y, sample_weight=sample_weight, groups=groups, calibration_weight=calibration_weight)
        return self

    def _score_cv(self, predicted: np.ndarray, truth: np.ndarray) -> None:
        """Out-of-fold F1 per label and micro-F1 (labels present) at the chosen thresholds."""
        tp, fp, fn = (predicted & truth).sum(0), (predicted & ~truth).sum(0), (~predicted & truth).sum(0)
        self.cv_f1_ = np.divide(2 * tp, 2 * tp + fp + fn, out=np.zeros(len(tp)), where=(2 * tp + fp + fn) > 0)
        present = truth.any(axis=0)
        denominator = 2 * tp[present].sum() + fp[present].sum() + fn[present].sum()
        self.cv_micro_f1_ = float(2 * tp[present].sum() / denominator) if denominator else 0.0

    def _calibrate(self, oof: np.ndarray, Y: np.ndarray, weights: np.ndarray) -> None:
        """Platt scaling per label: p = sigmoid(a * decision + b)."""
        self.platt_a_ = np.zeros(Y.shape[1])
        self.platt_b_ = np.where(Y.all(axis=0), 20.0, -20.0)
        for j in range(Y.shape[1]):
            if not self._trainable(Y[:, j]):
                continue
            platt = LogisticRegression(C=1e4).fit(oof[:, [j]], Y[:, j], sample_weight=weights)
            self.platt_a_[j] = platt.coef_[0, 0]
            self.platt_b_[j] = platt.intercept_[0]

    def _apply_platt(self, decision: np.ndarray) -> np.ndarray:
        return sigmoid(decision * self.platt_a_ + self.platt_b_)

    def _stack(self, models: list, n_features: int) -> None:
        """Keep the final models as one weight matrix (float32: half the size on
        disk, one sparse product to predict every label)."""
        self.coef_ = np.zeros((len(models), n_features), dtype=np.float32)
        self.intercept_ = np.full(len(models), -20.0)
        for j, model in enumerate(models):
            if model is not None:
                self.coef_[j] = model.coef_.ravel()
                self.intercept_[j] = model.intercept_[0]

    def decision_function(self, X) -> np.ndarray:
        check_is_fitted(self, "coef_")
        return np.asarray(X @ self.coef_.T, dtype=float) + self.intercept_

    def predict_proba(self, X) -> np.ndarray:
        """Calibrated probability of each label, shape (n_rows, n_labels)."""
        return self._apply_platt(self.decision_function(X))

    def predict(self, X) -> np.ndarray:
        return (self.predict_proba(X) >= self.thresholds_).astype(int)
