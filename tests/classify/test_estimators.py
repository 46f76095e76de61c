"""Each estimator fits on a small de-identified corpus and beats a trivial baseline;
thresholds and calibration come from cross-validation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from research.classify.calibrated import CalibratedOneVsRest, best_f1_threshold
from research.classify.frames import category_matrix, disclosure_turns, message_frame, move_matrix
from research.classify.metrics import disclosure_report, multilabel_report
from research.contracts import load_taxonomy


def _most_frequent(train_labels: np.ndarray, n_rows: int) -> np.ndarray:
    """The trivial baseline: the most frequent label on every row."""
    predicted = np.zeros((n_rows, train_labels.shape[1]), dtype=int)
    predicted[:, train_labels.sum(axis=0).argmax()] = 1
    return predicted


def test_category_classifier_beats_most_frequent_label(small_model, small_corpus):
    codes = small_model.category_codes
    truth = category_matrix(small_corpus.heldout, codes)
    predicted = small_model.categories.predict(small_corpus.heldout)
    baseline = _most_frequent(category_matrix(small_corpus.train, codes), len(truth))
    model_f1 = multilabel_report(truth, predicted, codes)["micro_f1"]
    assert model_f1 > multilabel_report(truth, baseline, codes)["micro_f1"] + 0.1
    proba = small_model.categories.predict_proba(small_corpus.heldout)
    assert proba.shape == truth.shape and ((proba >= 0) & (proba <= 1)).all()


def test_move_tagger_beats_most_frequent_move_per_speaker(small_model, small_corpus):
    taxonomy = load_taxonomy()
    codes = small_model.move_codes
    truth = move_matrix(small_corpus.heldout, codes)
    frame = message_frame(small_corpus.heldout)
    predicted = small_model.moves.predict(small_corpus.heldout)
    train_truth, train_frame = move_matrix(small_corpus.train, codes), message_frame(small_corpus.train)
    baseline = np.zeros_like(truth)
    for speaker in taxonomy.speakers:
        rows = (frame["speaker"] == speaker).to_numpy()
        counts = train_truth[(train_frame["speaker"] == speaker).to_numpy()].sum(axis=0)
        baseline[rows, counts.argmax()] = 1
    assert multilabel_report(truth, predicted, codes)["micro_f1"] > multilabel_report(truth, baseline, codes)["micro_f1"] + 0.15
    # only the speaker's own moves, and at least one per message
    for speaker in taxonomy.speakers:
        own = {codes.index(code) for code in taxonomy.moves_for(speaker)}
        rows = np.flatnonzero((frame["speaker"] == speaker).to_numpy())
        assert set(np.flatnonzero(predicted[rows].any(axis=0))) <= own
    assert predicted.sum(axis=1).min() >= 1


def test_disclosure_locator_beats_trivial_answers(small_model, small_corpus):
    gold = disclosure_turns(small_corpus.heldout)
    turns, scores = small_model.disclosure.locate(small_corpus.heldout)
    model = disclosure_report(gold, turns, scores)
    always = disclosure_report(gold, np.zeros_like(gold), scores)  # "every conversation discloses at once"
    assert model["f1"] > always["f1"]
    assert model["turn_within_1"] >= 0.5
    assert ((scores >= 0) & (scores <= 1)).all()


def test_thresholds_are_the_best_f1_cut_of_the_out_of_fold_scores():
    rng = np.random.default_rng(0)
    X = sparse.csr_matrix(rng.normal(size=(240, 6)))
    Y = np.column_stack([(X[:, 0].toarray().ravel() + rng.normal(scale=0.8, size=240)) > 1.0,  # rare
                         (X[:, 1].toarray().ravel() + rng.normal(scale=0.8, size=240)) > -0.5]).astype(int)
    model = CalibratedOneVsRest(cv=4, random_state=1)
    oof = model.fit_with_oof(X, Y)
    grid = np.linspace(0.05, 0.95, 91)
    expected = [best_f1_threshold(oof[:, j], Y[:, j], np.ones(240), grid) for j in range(2)]
    assert model.thresholds_ == pytest.approx(expected)
    assert model.thresholds_[0] != pytest.approx(model.thresholds_[1])
    # a different fold assignment gives different out-of-fold scores, hence (usually) thresholds
    other = CalibratedOneVsRest(cv=4, random_state=7).fit_with_oof(X, Y)
    assert not np.allclose(oof, other)


def test_calibration_weights_decide_thresholds_without_changing_the_fit():
    rng = np.random.default_rng(2)
    X = sparse.csr_matrix(rng.normal(size=(200, 5)))
    Y = ((X[:, 0].toarray().ravel() + rng.normal(scale=0.7, size=200)) > 0.8).astype(int)[:, None]
    only_first_half = np.r_[np.ones(100), np.zeros(100)]
    weighted = CalibratedOneVsRest(cv=4)
    oof = weighted.fit_with_oof(X, Y, calibration_weight=only_first_half)
    grid = np.linspace(0.05, 0.95, 91)
    assert weighted.thresholds_[0] == pytest.approx(best_f1_threshold(oof[:, 0], Y[:, 0], only_first_half, grid))
    plain = CalibratedOneVsRest(cv=4).fit(X, Y)
    assert np.allclose(weighted.coef_, plain.coef_)  # the models themselves are the same


def test_platt_calibration_makes_scores_honest():
    rng = np.random.default_rng(3)
    X = sparse.csr_matrix(rng.normal(size=(1200, 4)))
    y = (rng.random(1200) < 1 / (1 + np.exp(-2 * X[:, 0].toarray().ravel()))).astype(int)
    model = CalibratedOneVsRest(cv=5).fit(X[:800], y[:800, None])
    proba = model.predict_proba(X[800:])[:, 0]
    # the balanced class weights distort raw scores; calibrated, mean score ≈ positive rate per bin
    for low, high in ((0.0, 0.3), (0.3, 0.7), (0.7, 1.0)):
        mask = (proba >= low) & (proba < high)
        assert abs(proba[mask].mean() - y[800:][mask].mean()) < 0.12


def test_best_f1_threshold_picks_the_separating_cut():
    scores = np.array([0.1, 0.2, 0.35, 0.6, 0.7, 0.9])
    truth = np.array([0, 0, 0, 1, 1, 1])
    t = best_f1_threshold(scores, truth, np.ones(6), np.linspace(0.05, 0.95, 91))
    assert 0.35 < t <= 0.6
