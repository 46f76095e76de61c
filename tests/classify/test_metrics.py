"""The evaluation metrics on hand-computable examples."""

from __future__ import annotations

import numpy as np
import pytest

from research.classify.metrics import disclosure_report, multilabel_report
from research.classify.text import normalise_chat


def test_multilabel_report_counts_only_labels_present_in_gold():
    codes = ["a", "b", "c"]
    truth = np.array([[1, 0, 0], [1, 1, 0], [0, 1, 0]])
    pred = np.array([[1, 0, 1], [0, 1, 0], [0, 1, 0]])
    result = multilabel_report(truth, pred, codes)
    # present: a, b. tp = 3 (a row0, b row1, b row2), predicted on a+b = 3, gold = 4
    assert result["micro_f1"] == pytest.approx(2 * 1.0 * 0.75 / 1.75)
    assert result["labels_present"] == 2
    assert result["per_label"]["a"]["recall"] == pytest.approx(0.5)
    assert result["macro_f1"] == pytest.approx((2 / 3 + 1.0) / 2)
    assert result["per_label"]["c"]["support"] == 0  # predicted but absent: listed, not averaged


def test_disclosure_report_turn_within_one():
    gold = np.array([3, -1, 5, 7, -1])
    pred = np.array([4, 2, -1, 10, -1])
    result = disclosure_report(gold, pred, np.array([0.9, 0.6, 0.2, 0.8, 0.1]))
    assert result["precision"] == pytest.approx(2 / 3)
    assert result["recall"] == pytest.approx(2 / 3)
    assert result["turn_within_1"] == pytest.approx(0.5)  # 4 vs 3 yes, 10 vs 7 no


def test_normalise_chat_reduces_tags_and_letter_runs():
    assert normalise_chat("Hei <PERSON_12>, HJEEEELP  meg") == "hei _person_ , hjeelp meg"
    assert normalise_chat("bor i <LOCATION_1>") == "bor i _location_"
