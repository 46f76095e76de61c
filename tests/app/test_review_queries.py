"""The two store queries the Review page added: the queue in active-learning
order (research.store.uncertainty) and a double coder's own view of the labels
(research.store.independent). On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from app_seed import record

from research.store import ConversationFilter, Decision, DecisionType
from research.store.independent import labels_seen_by, own_history
from research.store.uncertainty import most_uncertain_for

MESSAGES = [("counsellor", "Hei, hva vil du snakke om?", []), ("user", "det er noe hjemme", [])]


def conversation(cid, scores, disclosure=(None, 0.02), channel="chat", start="2024-01-01T10:00:00", threshold=0.5):
    return record(cid, channel, 12, "jente", start, MESSAGES, scores, disclosure, threshold=threshold)


@pytest.fixture
def reviewers(store):
    for name in ("anna", "bo"):
        store.users.add(name, "counsellor", f"{name}-password-123")
    return ["anna", "bo"]


def test_queue_puts_the_score_closest_to_its_threshold_first(store, reviewers):
    # a model whose threshold for mobbing is 0.68 (and says so): suggested at 0.9 and 0.69, not at 0.65
    # and 0.1. Read off the suggestions instead, the threshold would be 0.65 and "edge" would come first.
    def add(cid, score, day):
        store.conversations.add(conversation(cid, {"mobbing": score}, start=f"2024-01-0{day}T10:00:00", threshold=0.68))

    add("sure", 0.90, 1)
    add("close", 0.69, 2)
    add("edge", 0.65, 3)
    add("far", 0.10, 4)
    order = [item.conversation.id for item in most_uncertain_for(store.sessions, "anna")]
    assert order == ["close", "edge", "sure", "far"]  # margins 0.01, 0.03, 0.22, 0.48 (its disclosure score)


def test_disclosure_scores_count_and_reviewed_conversations_leave(store, reviewers):
    store.conversations.add(conversation("a", {"mobbing": 0.95}, disclosure=(1, 0.95)))
    store.conversations.add(conversation("b", {"mobbing": 0.05}, disclosure=(None, 0.45)))
    store.conversations.add(conversation("c", {"mobbing": 0.05}, disclosure=(None, 0.01), channel="sms"))
    assert [i.conversation.id for i in most_uncertain_for(store.sessions, "anna")][0] == "b"
    store.reviews.save("b", "anna", 0, [Decision.category("mobbing", DecisionType.accept)])
    assert [i.conversation.id for i in most_uncertain_for(store.sessions, "anna")] == ["a", "c"]
    only_sms = most_uncertain_for(store.sessions, "anna", filters=ConversationFilter(channel="sms"))
    assert [i.conversation.id for i in only_sms] == ["c"]


def test_double_coding_assignments_come_first_and_only_to_their_coders(store, reviewers):
    for cid in ("x1", "x2", "x3"):
        store.conversations.add(conversation(cid, {"mobbing": 0.6}))
    assert store.assignments.assign_double_coding(1.0) == 3
    store.conversations.add(conversation("open", {"mobbing": 0.6}))
    anna = most_uncertain_for(store.sessions, "anna")
    assert [i.assigned for i in anna] == [True, True, True, False]
    store.reviews.save("x1", "anna", 0, [Decision.category("mobbing", DecisionType.accept)])
    assert "x1" not in [i.conversation.id for i in most_uncertain_for(store.sessions, "anna")]
    assert "x1" in [i.conversation.id for i in most_uncertain_for(store.sessions, "bo")]  # bo still codes it


def test_a_double_coder_sees_only_the_machine_and_their_own_decisions(store, reviewers):
    store.conversations.add(conversation("d", {"mobbing": 0.9}, disclosure=(1, 0.8)))
    store.reviews.save("d", "anna", 0, [Decision.category("mobbing", DecisionType.reject), Decision.no_disclosure()])
    store.reviews.save("d", "bo", 1, [Decision.category("vold_annen", DecisionType.add)])
    view = store.conversations.get("d")
    assert set(view.labels.present_categories) == {"vold_annen"}  # everyone's decisions
    mine = labels_seen_by(view, "bo")
    assert set(mine.present_categories) == {"mobbing", "vold_annen"}  # anna's rejection is not bo's
    assert mine.disclosure.turn == 1 and mine.disclosure.source == "machine"
    assert mine.categories["mobbing"].score == pytest.approx(0.9)
    assert [r.reviewer for r in own_history(view, "anna")] == ["anna", "anna"]
