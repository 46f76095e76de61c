"""100,000 generated conversations match the report's marginals (metadata-only path)."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import time

import pytest

from research.contracts import load_taxonomy
from research.corpus.synth import generate_metadata
from research.corpus.synth_marginals import REPORT_FILE, MarginalsError, TopicTable, Weighted, load_marginals

N = 100_000
TOLERANCE = 0.02  # two percentage points
M = load_marginals()
TAX = load_taxonomy()


@pytest.fixture(scope="session")
def metas():
    return list(generate_metadata(N, seed=2024))


def shares(counter: Counter) -> dict:
    total = sum(counter.values())
    return {key: count / total for key, count in counter.items()}


def assert_close(observed: dict, expected: dict) -> None:
    for key, share in expected.items():
        assert abs(observed.get(key, 0.0) - share) <= TOLERANCE, f"{key}: {observed.get(key, 0.0):.3f} vs {share:.3f}"


def test_channel_mix(metas):
    assert_close(shares(Counter(m.channel for m in metas)), M.channels.shares())


def test_chat_gender_shares(metas):
    chat_children = Counter(m.gender for m in metas if m.channel == "chat" and m.contact_type == "barn")
    assert_close(shares(chat_children), M.raw["gender"]["chat"])


def test_share_of_chats_aged_5_to_13(metas):
    ages = [m.age for m in metas if m.channel == "chat" and m.age is not None]
    share = sum(5 <= a <= 13 for a in ages) / len(ages)
    assert abs(share - M.chat_share_5_13) <= TOLERANCE


def test_age_mode_is_13_to_16(metas):
    low, high = M.chat_mode_band
    for channel in ("chat", None):
        ages = Counter(m.age for m in metas if m.age is not None and channel in (None, m.channel))
        assert low <= ages.most_common(1)[0][0] <= high
    chat = [m.age for m in metas if m.channel == "chat" and m.age is not None]
    assert sum(low <= a <= high for a in chat) / len(chat) > 0.5  # «most users are 13–16»


def test_adults_are_a_share_and_have_no_age(metas):
    adults = [m for m in metas if m.contact_type == "voksen"]
    assert 0.05 < len(adults) / N < 0.3
    assert all(m.age is None and m.gender == M.adult_gender for m in adults)


def test_chat_starts_inside_the_evening_opening_hours(metas):
    window = M.raw["start_times"]["chat"]
    opens, closes = (time.fromisoformat(window[k]) for k in ("open", "close"))
    starts = [m.started_at.time() for m in metas if m.channel == "chat"]
    assert all(opens <= t <= closes for t in starts)
    assert min(starts) < time(16, 30) and max(starts) > time(23, 30)  # the whole window is used


def test_monthly_profile(metas):
    assert_close(shares(Counter(m.started_at.month for m in metas)), M.months.shares())
    assert {m.started_at.year for m in metas} == {M.year}


def test_category_anchors_for_11_to_13(metas):
    group = [m for m in metas if m.age is not None and 11 <= m.age <= 13 and m.contact_type == "barn"]
    found = Counter(code for m in group for code in m.categories)
    spec = M.raw["categories"]["11-13"]
    for code in ("vold_foreldre", "selvmord"):  # the report's anchors
        assert abs(found[code] / len(group) - spec["counts"][code] / spec["contacts"]) <= TOLERANCE
    assert found["selvmord"] > found["vold_foreldre"]  # 352 vs 317 in the report


def test_every_figure_says_where_it_comes_from():
    source = re.compile(r"#.*\b(report|assumption|derived)\b")
    for number, line in enumerate(REPORT_FILE.read_text(encoding="utf-8").splitlines(), start=1):
        value = line.split("#", 1)[0].split(":", 1)[-1] if ":" in line.split("#", 1)[0] else ""
        if re.search(r"\d", value):
            assert source.search(line), f"line {number} has a figure without its source: {line.strip()}"


def test_topic_table_is_exact_in_expectation():
    table = TopicTable.from_counts("t", 100, {"a": 60, "b": 30, "c": 40})
    rng = random.Random(0)
    draws = [table.draw(rng) for _ in range(40_000)]
    assert all(d for d in draws)
    for code, expected in table.prevalence.items():
        assert abs(sum(code in d for d in draws) / len(draws) - expected) < 0.01


def test_inconsistent_counts_are_refused():
    with pytest.raises(MarginalsError, match="fewer than"):
        TopicTable.from_counts("t", 100, {"a": 30, "b": 20})
    with pytest.raises(MarginalsError, match="no positive weight"):
        Weighted({"a": 0})
