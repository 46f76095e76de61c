"""The review queue, double coding and conversation listings."""

from __future__ import annotations

import pytest

from research.store import ConversationFilter, Decision
from research.store.assignments import AssignmentError, in_sample


@pytest.fixture
def twenty(store, record_factory):
    for i in range(20):
        store.conversations.add(record_factory(f"Q{i:02d}", started_at=f"2024-{1 + i % 12:02d}-10T12:00:00",
                                               suggested=("mobbing",) if i % 2 else ("selvskading",),
                                               channel="sms" if i % 4 == 0 else "chat"))
    return [f"Q{i:02d}" for i in range(20)]


def test_the_queue_offers_unreviewed_conversations_oldest_first(store, twenty, counsellors):
    queue = store.queue.next_for("anna", limit=5)
    started = [item.conversation.started_at for item in queue]
    assert started == sorted(started) and len(queue) == 5 and not any(item.assigned for item in queue)
    first = queue[0].conversation
    store.reviews.save(first.id, "bo", first.label_version, [Decision.category("mobbing", "accept")])
    assert first.id not in [item.conversation.id for item in store.queue.next_for("anna", limit=20)]


def test_double_coding_reserves_a_share_for_two_counsellors(store, twenty, counsellors):
    expected = [cid for cid in twenty if in_sample(cid, 0.5)]
    assert 0 < len(expected) < 20  # the hash sample is neither empty nor everything
    assert store.assignments.assign_double_coding(0.5, by="boss") == len(expected)
    coders = store.assignments.double_coded()
    assert sorted(coders) == expected
    assert all(len(set(pair)) == 2 and set(pair) <= set(counsellors) for pair in coders.values())
    load = [sum(name in pair for pair in coders.values()) for name in counsellors]
    assert max(load) - min(load) <= 1  # spread evenly
    assert store.assignments.assign_double_coding(0.5) == 0  # already assigned: nothing new

    name = counsellors[0]
    mine = store.assignments.open_for(name)
    queue = store.queue.next_for(name, limit=40)
    assert [item.conversation.id for item in queue if item.assigned] == sorted(
        mine, key=lambda cid: store.conversations.get(cid).summary.started_at)
    assert queue[: len(mine)] == [item for item in queue if item.assigned]  # assigned ones come first
    others = {cid for cid, pair in coders.items() if name not in pair}
    assert not others & {item.conversation.id for item in queue}  # reserved for their coders

    # Both coders review independently; the conversation leaves each coder's queue once they did.
    cid = mine[0]
    partner = next(n for n in coders[cid] if n != name)
    version = store.reviews.save(cid, name, 0, [Decision.category("mobbing", "accept")]).label_version
    assert cid not in store.assignments.open_for(name) and cid in store.assignments.open_for(partner)
    store.reviews.save(cid, partner, version, [Decision.category("mobbing", "reject")])
    agreement = store.labels.by_reviewer()
    rows = agreement[(agreement.conversation_id == cid) & (agreement.code == "mobbing")]
    assert dict(zip(rows.reviewer, rows.label, strict=True)) == {name: True, partner: False}


def test_double_coding_needs_two_counsellors_and_a_share_in_range(store, twenty):
    store.users.add("solo", "counsellor", "solo-password-1")
    with pytest.raises(AssignmentError, match="needs 2 active counsellors"):
        store.assignments.assign_double_coding(0.2)
    with pytest.raises(AssignmentError, match="not in 0..1"):
        store.assignments.assign_double_coding(1.5)


def test_listings_filter_on_dimensions_and_current_labels(store, twenty, counsellors):
    assert store.conversations.count() == 20
    assert store.conversations.count(ConversationFilter(channel="sms")) == 5
    assert store.conversations.count(ConversationFilter(year=2024, month=3)) == 2
    assert store.conversations.count(ConversationFilter(category="mobbing")) == 10
    store.reviews.save("Q01", "anna", 0, [Decision.category("mobbing", "reject")])  # a human overrules
    store.reviews.save("Q02", "anna", 0, [Decision.category("mobbing", "add")])
    found = store.conversations.find(ConversationFilter(category="mobbing"), limit=50)
    assert len(found) == 10 and "Q01" not in {c.id for c in found} and "Q02" in {c.id for c in found}
    assert store.conversations.count(ConversationFilter(reviewed=True)) == 2
    page = store.conversations.find(limit=3, offset=3)
    everything = store.conversations.find(limit=50)
    assert page == everything[3:6]
