"""Agreement and corrected prevalence read from a store with known codings."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from analysis_records import record

from research.analysis.agreement import agreement_table
from research.analysis.prevalence import ErrorRates, corrected_prevalence, error_rates_from_reviews
from research.store import Decision

ANNA = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
BO = [1, 1, 1, 1, 0, 0, 0, 0, 0, 1]


@pytest.fixture(scope="module")
def double_coded(module_store):
    store, make_record = module_store, record
    """Ten conversations, the model suggests mobbing on the first five; anna and
    bo each decide mobbing on every one, independently."""
    for i in range(10):
        store.conversations.add(make_record(f"u{i}", categories=["mobbing"] if i < 5 else []))
    for name in ("anna", "bo"):
        store.users.add(name, "counsellor", f"{name}-password-123")
    for coder, labels in (("anna", ANNA), ("bo", BO)):
        for i, label in enumerate(labels):
            version = store.conversations.get(f"u{i}").label_version
            store.reviews.save(f"u{i}", coder, version,
                               [Decision.category("mobbing", "accept" if label else "reject")])
    return store


def test_agreement_between_counsellors(double_coded):
    table = agreement_table(double_coded, threshold=0).set_index("code")
    mobbing = table.loc["mobbing"]
    assert mobbing["units"] == 10
    assert mobbing["kappa"] == pytest.approx(0.6) and mobbing["alpha"] == pytest.approx(0.62)
    # a category nobody suggested or chose: both coders leave it off everywhere
    assert table.loc["selvmord", "agreement"] == 1.0 and math.isnan(table.loc["selvmord", "kappa"])


def test_agreement_between_model_and_counsellors(double_coded):
    mobbing = agreement_table(double_coded, with_model=True, threshold=0).set_index("code").loc["mobbing"]
    assert mobbing["units"] == 10 and mobbing["kappa"] == pytest.approx(1.0)  # anna agrees with the model


def test_agreement_statistics_hidden_with_too_few_units(double_coded):
    table = agreement_table(double_coded, threshold=11).set_index("code")
    assert table["units"].isna().all() and table["kappa"].isna().all()


def test_error_rates_from_reviewed_conversations(double_coded):
    rates = error_rates_from_reviews(double_coded)["mobbing"]
    # the latest decision is bo's: true on u0-u3 and u9; the model said u0-u4
    assert rates == ErrorRates(tp=4, fn=1, fp=1, tn=4)


def test_corrected_prevalence_next_to_raw_counts(store, make_record):
    for i in range(100):
        store.conversations.add(make_record(f"p{i:03d}", categories=["mobbing"] if i < 30 else []))
    rates = {"mobbing": ErrorRates(tp=90, fn=10, fp=10, tn=90)}
    table = corrected_prevalence(store, rates=rates, n_bootstrap=500).set_index("code")
    mobbing = table.loc["mobbing"]
    assert mobbing["count"] == 30 and mobbing["machine"] == 30
    assert mobbing["estimate"] == 25  # 100 * (0.30 - 0.10) / (0.90 - 0.10)
    assert mobbing["low"] < 25 < mobbing["high"]
    assert table.loc["vold", "estimate"] == 25  # the parent sums its sub-categories
    # unmeasured categories keep their observed count
    assert table.loc["selvmord", "count"] == 0 and table.loc["selvmord", "estimate"] == 0
    # an estimate that is itself a small count is not shown
    small = corrected_prevalence(store, rates={"mobbing": ErrorRates(tp=90, fn=10, fp=28, tn=72)},
                                 n_bootstrap=200).set_index("code").loc["mobbing"]
    assert small["count"] == 30 and pd.isna(small["estimate"])  # (0.30 - 0.28) / 0.62 of 100 = 3.2
    shown = table[["count", "estimate", "low", "high"]].to_numpy().ravel()
    assert not ((shown >= 1) & (shown <= 5)).any()


def test_interval_bounds_that_would_be_small_counts_are_widened(store, make_record):
    for i in range(100):
        store.conversations.add(make_record(f"w{i:03d}", categories=["mobbing"] if i < 30 else []))
    rates = {"mobbing": ErrorRates(tp=900, fn=100, fp=197, tn=803)}  # estimate 100 * 0.103 / 0.703 = 15
    raw = corrected_prevalence(store, rates=rates, n_bootstrap=500, threshold=0).set_index("code").loc["mobbing"]
    assert 1 <= raw["low"] <= 5  # what the bootstrap gives: a small count
    shown = corrected_prevalence(store, rates=rates, n_bootstrap=500).set_index("code").loc["mobbing"]
    assert shown["estimate"] == raw["estimate"] == 15
    assert shown["low"] == 0 and shown["high"] == raw["high"]
