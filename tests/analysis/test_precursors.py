"""Disclosure precursors on a constructed example whose 2×2 tables are known."""

from __future__ import annotations

import math

import pytest
from analysis_records import record

from research.analysis.precursors import (
    disclosure_conversations,
    disclosure_within_k,
    precursor_odds,
    reference_position,
    sequence,
)
from research.store import Decision

SPEAKERS = ["counsellor", "user"] * 4  # 8 messages: counsellor on even, user on odd indexes
USER = ["U_CONTEXT"]


def moves_with(counsellor_moves: dict[int, str], disclosure_turn: int | None) -> list[list[str]]:
    moves = []
    for i, speaker in enumerate(SPEAKERS):
        if speaker == "counsellor":
            moves.append([counsellor_moves.get(i, "C_VALIDATE")])
        else:
            moves.append(["U_DISCLOSURE"] if i == disclosure_turn else USER)
    return moves


@pytest.fixture(scope="module")
def precursor_store(module_store):
    store, make_record = module_store, record
    """Six conversations disclose at message 5; direct questions come just before
    it in four. Eight do not disclose; two have a direct question inside their
    window (messages 2-4), one only after it (message 6)."""
    records = []
    for i in range(6):
        direct = {4: "C_DIRECT_Q"} if i < 4 else {4: "C_OPEN_Q"}
        records.append(make_record(f"d{i}", speakers=SPEAKERS, moves=moves_with(direct, 5), disclosure_turn=5))
    for i in range(8):
        direct = {4: "C_DIRECT_Q"} if i < 2 else ({6: "C_DIRECT_Q"} if i == 2 else {2: "C_OPEN_Q"})
        records.append(make_record(f"n{i}", speakers=SPEAKERS, moves=moves_with(direct, None)))
    for r in records:
        store.conversations.add(r)
    store.users.add("anna", "counsellor", "anna-password-123")
    # a counsellor adds the move the model missed in d4: five of six now
    store.reviews.save("d4", "anna", 0, [Decision.move(4, "C_DIRECT_Q", "add")])
    return store


def test_odds_ratio_of_a_move_before_disclosure(precursor_store):
    assert reference_position(precursor_store) == pytest.approx(5 / 7)
    result = precursor_odds(precursor_store, k=3, threshold=0)
    row = result.odds.set_index(["move", "age_group"]).loc[("C_DIRECT_Q", "total")]
    assert (row.a, row.b, row.c, row.d) == (5, 1, 2, 6)  # the one at message 6 is outside the window
    assert row.estimate == pytest.approx(15.0)
    half = 1.959964 * math.sqrt(1 / 5 + 1 / 1 + 1 / 2 + 1 / 6)
    assert row.low == pytest.approx(15 * math.exp(-half)) and row.high == pytest.approx(15 * math.exp(half))
    by_age = result.odds.set_index(["move", "age_group"])
    assert by_age.loc[("C_DIRECT_Q", "11-13"), "estimate"] == pytest.approx(15.0)  # everyone is 12
    assert math.isnan(by_age.loc[("C_DIRECT_Q", "5-10"), "estimate"])  # nobody that age
    assert math.isnan(by_age.loc[("C_CLOSING", "total"), "estimate"])  # a move that never occurs


def test_a_wider_window_sees_more(precursor_store):
    row = precursor_odds(precursor_store, k=5, threshold=0).odds.set_index(["move", "age_group"])
    # window of five before message 5 (0-4) for every conversation: C_OPEN_Q at 2 now counts too
    assert (row.loc[("C_OPEN_Q", "total"), "c"], row.loc[("C_OPEN_Q", "total"), "d"]) == (5, 3)


def test_small_counts_hide_the_odds_ratio(precursor_store):
    result = precursor_odds(precursor_store, k=3)  # threshold 5
    row = result.odds.set_index(["move", "age_group"]).loc[("C_DIRECT_Q", "total")]
    assert math.isnan(row.estimate)
    shown = result.counts.frame["count"].dropna().astype(int)
    assert not shown.between(1, 5).any()


def test_share_of_conversations_with_a_disclosure_within_k(precursor_store):
    shares = disclosure_within_k(precursor_store, k=3, threshold=0).shares.set_index(["move", "age_group"])
    row = shares.loc[("C_DIRECT_Q", "total")]
    assert (row.followed, row.occurrences) == (5, 8)  # d0-d4 followed; n0, n1, n2 not
    assert row.share == pytest.approx(5 / 8)
    assert shares.loc[("C_VALIDATE", "total"), "occurrences"] == 14
    closer = disclosure_within_k(precursor_store, k=1, threshold=0).shares.set_index(["move", "age_group"])
    assert closer.loc[("C_VALIDATE", "total"), "followed"] == 0  # message 4 is never C_VALIDATE in d0-d5


def test_sequence_marks_the_disclosure(precursor_store):
    ids = disclosure_conversations(precursor_store)
    assert set(ids) == {f"d{i}" for i in range(6)}
    timeline = sequence(precursor_store, "d4")
    assert timeline.loc[timeline["disclosure"], "message_index"].unique().tolist() == [5]
    at_4 = timeline[timeline["message_index"] == 4].set_index("move")
    assert at_4.loc["C_DIRECT_Q", "source"] == "human" and at_4.loc["C_OPEN_Q", "source"] == "machine"
    assert set(timeline.columns) == {"message_index", "speaker", "move", "source", "disclosure"}
    with pytest.raises(KeyError):
        sequence(precursor_store, "missing")
