"""The hand-written seed corpus (corpus/seed.jsonl, built from corpus/seed/*.jsonl)."""

from __future__ import annotations

from collections import Counter

import pytest

from research.contracts import load_taxonomy, read_conversations
from research.corpus.seed import SEED_CORPUS, SEED_SOURCE_DIR, build_seed

TAX = load_taxonomy()
FOCUS = TAX.age_groups["11-13"]


@pytest.fixture(scope="module")
def seed():
    if not SEED_CORPUS.exists():
        pytest.fail(f"{SEED_CORPUS} is missing: run `python -m research.corpus.seed`")
    conversations, problems = read_conversations(SEED_CORPUS)
    return conversations, problems


@pytest.fixture(scope="module")
def conversations(seed):
    return seed[0]


def test_every_line_is_valid(seed):
    _, problems = seed
    assert [str(p) for p in problems] == []


def test_has_at_least_150_conversations(conversations):
    assert len(conversations) >= 150


def test_about_half_of_the_children_are_11_to_13(conversations):
    children = [c for c in conversations if c.contact_type == "barn"]
    share = sum(FOCUS.contains(c.age) for c in children) / len(children)
    assert 0.45 <= share <= 0.60, f"{share:.0%} of {len(children)} child contacts are aged 11–13"


def test_includes_adults(conversations):
    adults = [c for c in conversations if c.contact_type == "voksen"]
    assert adults
    assert all(c.age is None for c in adults)


def test_every_channel_occurs(conversations):
    assert set(TAX.channels) <= {c.channel for c in conversations}


def test_every_leaf_category_occurs(conversations):
    found = Counter(code for c in conversations for code in c.categories or [])
    assert set(TAX.categories) - set(found) == set()


def test_has_disclosures_and_non_disclosures(conversations):
    turns = [c.disclosure_turn for c in conversations]
    assert any(t is not None for t in turns)
    assert any(t is None for t in turns)


def test_disclosure_turn_is_the_first_disclosure_move(conversations):
    for c in conversations:
        marked = [i for i, m in enumerate(c.messages) if "U_DISCLOSURE" in (m.moves or [])]
        assert c.disclosure_turn == (marked[0] if marked else None), c.conversation_id


def test_rebuilding_from_the_authored_files_reproduces_it(tmp_path):
    rebuilt = tmp_path / "seed.jsonl"
    count, problems = build_seed(SEED_SOURCE_DIR, rebuilt)
    assert [str(p) for p in problems] == []
    assert count == len(SEED_CORPUS.read_bytes().splitlines())
    assert rebuilt.read_bytes() == SEED_CORPUS.read_bytes()
