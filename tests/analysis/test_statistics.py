"""The pure statistics: corrected prevalence, odds ratios, agreement."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from research.analysis.agreement import agreement_by_code
from research.analysis.odds import odds_ratio, odds_ratios
from research.analysis.prevalence import AdjustedCount, ErrorRates, adjust, corrected_counts

# --------------------------------------------------------------------------- corrected prevalence


def simulate_classifier(rng, truth: np.ndarray, tpr: float, fpr: float) -> np.ndarray:
    return np.where(truth, rng.random(len(truth)) < tpr, rng.random(len(truth)) < fpr)


def test_intervals_cover_the_true_prevalence_for_at_least_90_percent_of_categories():
    """Generated data with known truth: 40 categories, each with its own
    prevalence and classifier error rates, measured on a held-out set whose
    prevalence differs from the target's (ACC does not assume they match)."""
    rng = np.random.default_rng(20240)
    covered, raw_error, corrected_error = [], [], []
    for _ in range(40):
        prevalence, tpr, fpr = rng.uniform(0.02, 0.35), rng.uniform(0.6, 0.95), rng.uniform(0.01, 0.12)
        held_out = rng.random(500) < 0.3
        rates = ErrorRates.from_predictions(simulate_classifier(rng, held_out, tpr, fpr), held_out)
        target = rng.random(3000) < prevalence
        predicted = simulate_classifier(rng, target, tpr, fpr)
        estimator = AdjustedCount(n_bootstrap=1000, random_state=1).fit(rates)
        low, high = estimator.interval(int(predicted.sum()), len(predicted))
        true_share = target.mean()
        covered.append(low <= true_share <= high)
        raw_error.append(abs(predicted.mean() - true_share))
        corrected_error.append(abs(estimator.predict(int(predicted.sum()), len(predicted)) - true_share))
    assert np.mean(covered) >= 0.90
    assert np.mean(corrected_error) < np.mean(raw_error)  # the correction removes bias


def test_adjustment_matches_quapy_and_handles_a_useless_model():
    from quapy.functional import solve_adjustment_binary

    for share, tpr, fpr in [(0.3, 0.8, 0.1), (0.05, 0.9, 0.08), (0.95, 0.7, 0.2)]:
        assert adjust(share, tpr, fpr) == pytest.approx(solve_adjustment_binary(share, tpr, fpr))
    assert adjust(0.3, 0.2, 0.2) == pytest.approx(0.3)  # tpr == fpr: no correction possible
    assert adjust(0.3, float("nan"), 0.1) == pytest.approx(0.3)  # unmeasured rates


def test_error_rates_from_an_evaluation_report():
    evaluation = {"conversations": 100, "categories": {"per_label": {
        "mobbing": {"precision": 0.8, "recall": 0.5, "f1": 0.615, "support": 16},
    }}}
    rates = ErrorRates.from_evaluation(evaluation)
    assert rates["mobbing"] == ErrorRates(tp=8, fn=8, fp=2, tn=82)
    assert rates["selvmord"] == ErrorRates(0, 0, 0, 100)  # no gold, no prediction


def test_corrected_counts_keep_human_labels_and_sum_parents():
    counts = pd.DataFrame({"code": ["a", "b"], "machine_n": [1000, 1000], "machine_positive": [190, 100],
                           "human_positive": [7, 3]})
    rates = {"a": ErrorRates(tp=90, fn=10, fp=100, tn=900), "b": ErrorRates(tp=50, fn=50, fp=0, tn=1000)}
    table = corrected_counts(counts, rates, groups={"ab": ("a", "b")}, n_bootstrap=500).set_index("code")
    # a: (0.19 - 0.1) / (0.9 - 0.1) = 0.1125 of 1000, plus 7 decided by people
    assert table.loc["a", "estimate"] == pytest.approx(7 + 112.5)
    assert table.loc["a", "raw"] == 197
    assert table.loc["b", "estimate"] == pytest.approx(3 + 200)
    assert table.loc["ab", "estimate"] == pytest.approx(table.loc["a", "estimate"] + table.loc["b", "estimate"])
    for code in ("a", "b", "ab"):
        assert table.loc[code, "low"] <= table.loc[code, "estimate"] <= table.loc[code, "high"]
    # the parent's interval is narrower than the sum of its parts' (independent errors partly cancel)
    assert (table.loc["ab", "high"] - table.loc["ab", "low"]) < (
        (table.loc["a", "high"] - table.loc["a", "low"]) + (table.loc["b", "high"] - table.loc["b", "low"]))


# --------------------------------------------------------------------------- odds ratios


def test_odds_ratio_with_woolf_interval():
    result = odds_ratio(20, 10, 30, 60)
    assert result.estimate == pytest.approx(4.0)
    half_width = 1.959964 * math.sqrt(1 / 20 + 1 / 10 + 1 / 30 + 1 / 60)
    assert result.low == pytest.approx(4.0 * math.exp(-half_width))
    assert result.high == pytest.approx(4.0 * math.exp(half_width))
    assert not result.corrected


def test_zero_cell_gets_the_haldane_correction():
    result = odds_ratio(0, 10, 5, 20)
    assert result.corrected
    assert result.estimate == pytest.approx((0.5 * 20.5) / (10.5 * 5.5))
    assert 0 < result.low < result.estimate < result.high < math.inf


def test_odds_ratios_are_vectorised_and_refuse_negative_cells():
    result = odds_ratios([20, 1], [10, 1], [30, 1], [60, 1])
    assert result["estimate"] == pytest.approx([4.0, 1.0])
    with pytest.raises(ValueError):
        odds_ratios(-1, 1, 1, 1)


# --------------------------------------------------------------------------- agreement


def codings(coder_labels: dict[str, list[int]], code: str = "mobbing") -> pd.DataFrame:
    rows = [{"unit": f"u{i}", "code": code, "coder": coder, "label": bool(v)}
            for coder, labels in coder_labels.items() for i, v in enumerate(labels) if v is not None]
    return pd.DataFrame(rows)


def test_kappa_and_alpha_on_a_constructed_example():
    table = codings({"anna": [1, 1, 1, 1, 1, 0, 0, 0, 0, 0], "bo": [1, 1, 1, 1, 0, 0, 0, 0, 0, 1]})
    row = agreement_by_code(table).iloc[0]
    assert row["units"] == 10
    assert row["agreement"] == pytest.approx(0.8)
    assert row["kappa"] == pytest.approx(0.6)  # (0.8 - 0.5) / (1 - 0.5)
    assert row["alpha"] == pytest.approx(0.62)  # 1 - (4/20) / (200/380)


def test_agreement_with_rotating_pairs_and_missing_codings():
    table = codings({"anna": [1, 0, None, 1], "bo": [1, None, 0, 1], "cato": [None, 0, 0, None]})
    row = agreement_by_code(table).iloc[0]
    assert row["units"] == 4 and row["agreement"] == 1.0 and row["kappa"] == 1.0 and row["alpha"] == 1.0
    constant = agreement_by_code(codings({"anna": [0, 0], "bo": [0, 0]})).iloc[0]
    assert constant["agreement"] == 1.0 and math.isnan(constant["kappa"]) and math.isnan(constant["alpha"])
    single = agreement_by_code(codings({"anna": [1, 0]})).iloc[0]
    assert single["units"] == 0 and math.isnan(single["kappa"])
