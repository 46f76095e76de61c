"""Prevalence corrected for classifier error: adjusted classify-and-count (ACC).

A machine-labelled count is biased by the model's errors: of the conversations
it marks, some are false positives, and it misses some true ones. With the
model's true- and false-positive rates measured on held-out data (or on
conversations counsellors reviewed), the observed share ``q`` of machine
positives gives the true share

    p = (q - fpr) / (tpr - fpr)          (Forman 2008; the same adjustment as
                                          quapy.functional.solve_adjustment_binary)

clipped to [0, 1]. Its 95 % interval comes from a parametric bootstrap that
redraws all three measured quantities from their binomial sampling
distributions — the rates from the held-out counts, and ``q`` from the target
sample — and takes the percentiles of the adjusted shares.

Human-reviewed labels need no correction: a conversation-category a counsellor
decided counts as it was decided, and only the machine-labelled rest is adjusted
(:func:`corrected_counts`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

DEFAULT_BOOTSTRAP = 2000
DEFAULT_LEVEL = 0.95


@dataclass(frozen=True)
class ErrorRates:
    """A classifier's confusion counts for one label on data with known truth."""

    tp: int
    fn: int
    fp: int
    tn: int

    @property
    def positives(self) -> int:
        return self.tp + self.fn

    @property
    def negatives(self) -> int:
        return self.fp + self.tn

    @property
    def tpr(self) -> float:
        return self.tp / self.positives if self.positives else float("nan")

    @property
    def fpr(self) -> float:
        return self.fp / self.negatives if self.negatives else float("nan")

    @classmethod
    def from_predictions(cls, predicted: Sequence[bool], truth: Sequence[bool]) -> ErrorRates:
        predicted, truth = np.asarray(predicted, bool), np.asarray(truth, bool)
        return cls(int((predicted & truth).sum()), int((~predicted & truth).sum()),
                   int((predicted & ~truth).sum()), int((~predicted & ~truth).sum()))

    @classmethod
    def from_evaluation(cls, evaluation: Mapping) -> dict[str, ErrorRates]:
        """Per category, from ``disclosure evaluate --json`` output (or the report
        logged at training): per-label precision, recall and support, and the
        number of conversations. Labels absent there had no gold and no prediction."""
        from research.contracts import load_taxonomy

        n = int(evaluation["conversations"])
        per_label = evaluation["categories"]["per_label"]
        rates = {}
        for code in load_taxonomy().category_codes:
            scores = per_label.get(code)
            if scores is None:
                rates[code] = cls(0, 0, 0, n)
                continue
            positives = int(scores["support"])
            tp = round(scores["recall"] * positives)
            fp = round(tp / scores["precision"]) - tp if scores["precision"] else 0
            rates[code] = cls(tp, positives - tp, fp, n - positives - fp)
        return rates


def adjust(share: np.ndarray | float, tpr: np.ndarray | float, fpr: np.ndarray | float) -> np.ndarray:
    """The ACC adjustment, element-wise. Where the model does not separate the
    classes (tpr <= fpr) no correction is possible and the observed share stands."""
    share, tpr, fpr = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (share, tpr, fpr)))
    spread = tpr - fpr
    separable = np.isfinite(spread) & (spread > 0)
    adjusted = np.where(separable, (share - fpr) / np.where(separable, spread, 1.0), share)
    return np.clip(adjusted, 0.0, 1.0)


class AdjustedCount:
    """ACC for one label, in the scikit-learn manner: ``fit`` on the model's
    measured errors, then ``predict`` a share from a target sample's machine
    count, and ``interval`` for its bootstrap interval."""

    def __init__(self, n_bootstrap: int = DEFAULT_BOOTSTRAP, level: float = DEFAULT_LEVEL, random_state: int = 0):
        self.n_bootstrap = n_bootstrap
        self.level = level
        self.random_state = random_state

    def fit(self, rates: ErrorRates) -> AdjustedCount:
        self.rates_ = rates
        return self

    def predict(self, predicted_positive: int, n: int) -> float:
        if n == 0:
            return float("nan")
        return float(adjust(predicted_positive / n, self.rates_.tpr, self.rates_.fpr))

    def bootstrap(self, predicted_positive: int, n: int, rng: np.random.Generator | None = None) -> np.ndarray:
        """Adjusted shares of ``n_bootstrap`` redraws of the rates and the target share."""
        rng = rng or np.random.default_rng(self.random_state)
        if n == 0:
            return np.full(self.n_bootstrap, np.nan)
        size = self.n_bootstrap
        rates = self.rates_
        tpr = _redraw(rng, rates.positives, rates.tpr, size)
        fpr = _redraw(rng, rates.negatives, rates.fpr, size)
        share = rng.binomial(n, predicted_positive / n, size) / n
        return adjust(share, tpr, fpr)

    def interval(self, predicted_positive: int, n: int) -> tuple[float, float]:
        replicates = self.bootstrap(predicted_positive, n)
        return percentile_interval(replicates, self.level)


def _redraw(rng: np.random.Generator, trials: int, rate: float, size: int) -> np.ndarray:
    if trials == 0 or not np.isfinite(rate):
        return np.full(size, np.nan)  # unmeasured: adjust() then leaves the share as observed
    return rng.binomial(trials, rate, size) / trials


def percentile_interval(replicates: np.ndarray, level: float = DEFAULT_LEVEL) -> tuple[float, float]:
    if np.isnan(replicates).all():
        return float("nan"), float("nan")
    tail = (1 - level) / 2 * 100
    low, high = np.nanpercentile(replicates, [tail, 100 - tail])
    return float(low), float(high)


# --------------------------------------------------------------------------- per category


def corrected_counts(counts: pd.DataFrame, rates: Mapping[str, ErrorRates], *,
                     groups: Mapping[str, Sequence[str]] | None = None, n_bootstrap: int = DEFAULT_BOOTSTRAP,
                     level: float = DEFAULT_LEVEL, random_state: int = 0) -> pd.DataFrame:
    """Corrected number of conversations per category, with bootstrap intervals.

    ``counts``: one row per ``code`` with ``machine_n`` (conversations whose label
    is the machine's), ``machine_positive`` (of those, marked by the machine) and
    ``human_positive`` (conversations a counsellor labelled with it). ``groups``:
    parent codes as sums of their codes (intervals from summed replicates).

    Returns per code: ``raw`` (human + machine positives), ``estimate``, ``low``,
    ``high`` (conversations), ``tpr``, ``fpr`` and the ``validation`` size.
    """
    rng = np.random.default_rng(random_state)
    rows, replicates = [], {}
    for row in counts.itertuples(index=False):
        estimator = AdjustedCount(n_bootstrap, level, random_state).fit(
            rates.get(row.code, ErrorRates(0, 0, 0, 0)))
        draws = row.human_positive + row.machine_n * np.nan_to_num(
            estimator.bootstrap(row.machine_positive, row.machine_n, rng), nan=0.0)
        replicates[row.code] = draws
        share = estimator.predict(row.machine_positive, row.machine_n)
        estimate = row.human_positive + (row.machine_n * share if row.machine_n else 0.0)
        rows.append(_row(row.code, row.human_positive + row.machine_positive, estimate, draws, level,
                         estimator.rates_))
    for parent, members in (groups or {}).items():
        present = [m for m in members if m in replicates]
        if not present or parent in replicates:
            continue
        draws = sum(replicates[m] for m in present)
        raw = sum(r["raw"] for r in rows if r["code"] in present)
        estimate = sum(r["estimate"] for r in rows if r["code"] in present)
        rows.append(_row(parent, raw, estimate, draws, level, None))
    return pd.DataFrame(rows)


def _row(code: str, raw: int, estimate: float, draws: np.ndarray, level: float, rates: ErrorRates | None) -> dict:
    low, high = percentile_interval(draws, level)
    return {"code": code, "raw": int(raw), "estimate": float(estimate), "low": low, "high": high,
            "tpr": rates.tpr if rates else float("nan"), "fpr": rates.fpr if rates else float("nan"),
            "validation": rates.positives + rates.negatives if rates else 0}


# --------------------------------------------------------------------------- from the store


def error_rates_from_reviews(store) -> dict[str, ErrorRates]:
    """Per category, the model's errors on the conversations counsellors coded
    (their decision is the truth; a suggestion they left standing counts as
    confirmed). Reviewed conversations are the ones counsellors chose or were
    given, not a random sample, unless the review queue served them at random."""
    from research.analysis.coding import reviewed_truth

    truth = reviewed_truth(store)
    return {code: ErrorRates.from_predictions(group["predicted"], group["truth"])
            for code, group in truth.groupby("code")}


def corrected_prevalence(store, filters=None, *, rates: Mapping[str, ErrorRates] | None = None,
                         threshold: int | None = None, n_bootstrap: int = DEFAULT_BOOTSTRAP) -> pd.DataFrame:
    """Per category (and parent): the shown label count next to the count
    corrected for the model's errors, with its bootstrap 95 % interval.

    ``rates``: the model's errors per category (e.g. from
    :meth:`ErrorRates.from_evaluation` on ``disclosure evaluate --json``); by
    default measured on the conversations counsellors coded. The raw counts are
    the Trends page's (the same query, suppressed the same way); where one is
    hidden, so is its estimate, and so is an estimate that rounds to a small
    count (:func:`~research.analysis.suppression.is_small`); an interval bound
    that would be one is widened (low to 0, high to ``threshold + 1``). Estimates are rounded to whole conversations.
    """
    from research.analysis.dimensions import categories_with_parents
    from research.analysis.suppression import DEFAULT_THRESHOLD, is_small
    from research.analysis.trends import Filters, _grouped_counts, _Plan

    filters = Filters(**{**(filters or Filters()).active(), "category": None})
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    rates = error_rates_from_reviews(store) if rates is None else rates
    plan = _Plan.of(["category"], filters)
    raw = _grouped_counts(store, ["category"], plan.where, True)
    shown = plan.finish(raw, threshold).long().set_index("category")
    counts = _label_counts(store, plan.where, raw)
    _, parents = categories_with_parents()
    table = corrected_counts(counts, rates, groups=parents, n_bootstrap=n_bootstrap).set_index("code")
    table = table.reindex(shown.index)
    estimate = table["estimate"].round()
    # hidden with its raw count, and an estimate that is itself a small count
    hidden = (shown["count"].isna() | is_small(estimate, threshold)).to_numpy()
    out = pd.DataFrame({"code": shown.index, "count": shown["count"].to_numpy(),
                        "human": shown["human"].to_numpy(), "machine": shown["machine"].to_numpy()})
    for column in ("estimate", "low", "high"):
        out[column] = table[column].round().mask(hidden).to_numpy()
    # an interval bound that would read as a small count is moved outwards
    # (low to 0, high past the threshold): the interval only widens, so it
    # still covers what it covered, and no shown number is a small count
    out["low"] = out["low"].mask(is_small(out["low"], threshold), 0.0)
    out["high"] = out["high"].mask(is_small(out["high"], threshold), float(threshold + 1))
    for column in ("tpr", "fpr", "validation"):
        out[column] = table[column].to_numpy()
    return out


def _label_counts(store, filters, raw: pd.DataFrame) -> pd.DataFrame:
    """Per category: conversations the machine labels (no human decision on it),
    of those marked by the machine, and conversations a human labelled with it
    (``raw``: the grouped label counts by category and source)."""
    from sqlalchemy import distinct, func, select

    from research.analysis.trends import _conditions
    from research.contracts import load_taxonomy
    from research.store.models import Conversation, Kind, Review

    conditions = _conditions(filters)
    decided = (select(Review.code, func.count(distinct(Review.conversation_id)).label("n"))
               .join(Conversation, Conversation.id == Review.conversation_id)
               .where(Review.kind == Kind.category, *conditions).group_by(Review.code))
    total = select(func.count()).select_from(Conversation).where(Conversation.model_name.is_not(None), *conditions)
    with store.engine.connect() as conn:
        humans = dict(conn.execute(decided).all())
        n = conn.execute(total).scalar() or 0
    by_source = raw.groupby(["category", "source"])["count"].sum() if len(raw) else pd.Series(dtype="int64")
    rows = []
    for code in load_taxonomy().category_codes:
        rows.append({"code": code, "machine_n": max(n - humans.get(code, 0), 0),
                     "machine_positive": int(by_source.get((code, "machine"), 0)),
                     "human_positive": int(by_source.get((code, "human"), 0))})
    return pd.DataFrame(rows)
