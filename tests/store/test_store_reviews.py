"""Append-only reviews, derived current labels, optimistic concurrency."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, defaultdict

import pandas as pd
import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from research.contracts import load_taxonomy
from research.store import Decision, Kind, ReviewError, Source, StaleLabelsError
from research.store.models import Conversation as ConversationRow
from research.store.models import CurrentCategory, CurrentMove, Review


def test_the_latest_decision_wins_and_the_machine_fills_the_rest(store, record_factory, counsellors):
    store.conversations.add(record_factory("C1", suggested=("vold_foreldre", "mobbing"), disclosure_turn=1))
    view = store.conversations.get("C1")
    assert view.labels.present_categories == ["vold_foreldre", "mobbing"] or \
        set(view.labels.present_categories) == {"vold_foreldre", "mobbing"}
    assert view.labels.categories["mobbing"].source == Source.machine
    first = store.reviews.save("C1", "anna", view.label_version, [
        Decision.category("mobbing", "reject"), Decision.category("selvskading", "add"),
        Decision.move(1, "U_HINT", "add"), Decision.disclosure_at(3)])
    second = store.reviews.save("C1", "bo", first.label_version, [Decision.category("mobbing", "accept")])
    labels = store.conversations.get("C1").labels
    assert set(labels.present_categories) == {"vold_foreldre", "mobbing", "selvskading"}
    assert labels.categories["mobbing"].source == Source.human and labels.categories["mobbing"].reviewer == "bo"
    assert labels.categories["vold_foreldre"].source == Source.machine
    assert "U_HINT" in labels.present_moves(1)
    assert (labels.disclosure.turn, labels.disclosure.source) == (3, Source.human)
    store.reviews.save("C1", "cato", second.label_version, [Decision.no_disclosure()])
    assert store.conversations.get("C1").labels.disclosure.turn is None


def test_reviews_are_append_only(store, record_factory, counsellors):
    store.conversations.add(record_factory("C2"))
    version = 0
    snapshots = []
    for name, decision in [("anna", "accept"), ("bo", "reject"), ("anna", "accept")]:
        version = store.reviews.save("C2", name, version, [Decision.category("mobbing", decision)]).label_version
        snapshots.append(store.reviews.history("C2"))
    assert [len(s) for s in snapshots] == [1, 2, 3]
    assert snapshots[-1][:2] == snapshots[1] and snapshots[-1][:1] == snapshots[0]  # earlier rows untouched
    assert [r.based_on_version for r in snapshots[-1]] == [0, 1, 2]
    # The database itself refuses to change or remove a decision, and the audit trail.
    for statement in ("UPDATE reviews SET decision = 'reject'", "DELETE FROM reviews", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), store.sessions.writing() as session:
            session.execute(text(statement))
    assert store.reviews.history("C2") == snapshots[-1]


def test_a_stale_save_writes_nothing_and_shows_what_changed(store, record_factory, counsellors):
    store.conversations.add(record_factory("C3"))
    seen = store.conversations.get("C3").label_version
    store.reviews.save("C3", "anna", seen, [Decision.category("mobbing", "add")])
    store.reviews.save("C3", "bo", seen + 1, [Decision.category("mobbing", "reject")])
    with pytest.raises(StaleLabelsError) as caught:
        store.reviews.save("C3", "cato", seen, [Decision.category("mobbing", "accept")])
    error = caught.value
    assert (error.seen_version, error.current_version) == (seen, seen + 2)
    assert [(d.reviewer, d.decision) for d in error.decisions] == [("anna", "add"), ("bo", "reject")]
    assert "anna, bo" in str(error)
    assert len(store.reviews.history("C3")) == 2
    assert store.conversations.get("C3").label_version == seen + 2


@pytest.mark.parametrize(("decision", "reason"), [
    (Decision.category("vold", "add"), "unknown category code"),
    (Decision.category("mobbing", "move_disclosure"), "is not a decision on a category"),
    (Decision.move(0, "U_HINT", "add"), "is not a counsellor move"),
    (Decision.move(9, "C_OPEN_Q", "add"), "message index 9 is not in 0..3"),
    (Decision.disclosure_at(7), "message index 7"),
    (Decision.category("mobbing", "accept", suggestion_id=10_000), "is not a category suggestion of"),
])
def test_invalid_decisions_are_refused_before_anything_is_written(store, record_factory, counsellors, decision, reason):
    store.conversations.add(record_factory("C4"))
    with pytest.raises(ReviewError, match=reason):
        store.reviews.save("C4", "anna", 0, [Decision.category("mobbing", "add"), decision])
    assert store.reviews.history("C4") == [] and store.conversations.get("C4").label_version == 0


def test_only_active_users_whose_role_reviews_may_save(store, record_factory, counsellors):
    store.conversations.add(record_factory("C5"))
    with pytest.raises(ReviewError, match="may not review"):
        store.reviews.save("C5", "dora", 0, [Decision.category("mobbing", "add")])
    store.users.disable("bo")
    with pytest.raises(ReviewError, match="not an active user"):
        store.reviews.save("C5", "bo", 0, [Decision.category("mobbing", "add")])
    with pytest.raises(ReviewError, match="no conversation"):
        store.reviews.save("NOPE", "anna", 0, [Decision.category("mobbing", "add")])


def test_a_decision_may_answer_its_suggestion(store, record_factory, counsellors):
    store.conversations.add(record_factory("C6", disclosure_turn=3))
    view = store.conversations.get("C6")
    disclosure = next(s for s in view.suggestions if s.kind == Kind.disclosure)
    saved = store.reviews.save("C6", "anna", 0, [Decision.disclosure_at(3, suggestion_id=disclosure.id)])
    assert saved.reviews[0].suggestion_id == disclosure.id and saved.reviews[0].decision == "accept"


def _classified_conversations(store, record_factory, rng: random.Random, prefix: str, n: int) -> list[str]:
    """``n`` stored conversations of random length, suggested categories and disclosure."""
    tax = load_taxonomy()
    ids = [f"{prefix}{i:02d}" for i in range(n)]
    for cid in ids:
        store.conversations.add(record_factory(cid, n_messages=rng.randint(2, 6),
                                               suggested=tuple(rng.sample(tax.category_codes[:6], rng.randint(0, 2))),
                                               disclosure_turn=rng.choice([None, 1])))
    return ids


def _random_reviews(store, rng: random.Random, conversation_ids: list[str], reviewers: list[str]) -> None:
    tax = load_taxonomy()
    for cid in conversation_ids:
        view = store.conversations.get(cid)
        version = view.label_version
        for _ in range(rng.randint(0, 4)):
            decisions = []
            for _ in range(rng.randint(1, 3)):
                roll = rng.random()
                if roll < 0.5:
                    decisions.append(Decision.category(rng.choice(tax.category_codes[:6]),
                                                       rng.choice(["accept", "reject", "add"])))
                elif roll < 0.8:
                    index = rng.randrange(len(view.messages))
                    code = rng.choice(tax.moves_for(view.messages[index].speaker)[:4])
                    decisions.append(Decision.move(index, code, rng.choice(["accept", "reject", "add"])))
                else:
                    decisions.append(rng.choice([Decision.no_disclosure(),
                                                 Decision.disclosure_at(rng.randrange(len(view.messages)))]))
            version = store.reviews.save(cid, rng.choice(reviewers), version, decisions).label_version


def test_sql_labels_agree_with_the_python_derivation(store, record_factory, counsellors):
    rng = random.Random(7)
    ids = _classified_conversations(store, record_factory, rng, "R", 14)
    _random_reviews(store, rng, ids, counsellors)
    categories = store.labels.categories()
    moves = store.labels.moves()
    disclosures = store.labels.disclosures().set_index("conversation_id")
    for cid in ids:
        expected = store.conversations.get(cid).labels
        rows = categories[categories.conversation_id == cid]
        assert {r.code: (r.label, r.source) for r in rows.itertuples()} == {
            code: (label.present, label.source.value) for code, label in expected.categories.items()}
        rows = moves[moves.conversation_id == cid]
        assert {(r.message_index, r.code): (r.label, r.source) for r in rows.itertuples()} == {
            (index, code): (label.present, label.source.value)
            for index, per in expected.moves.items() for code, label in per.items()}
        turn = disclosures.loc[cid, "disclosure_turn"]
        assert (None if pd.isna(turn) else int(turn)) == expected.disclosure.turn
        assert disclosures.loc[cid, "source"] == expected.disclosure.source.value
    assert set(categories.source) == {"human", "machine"}
    by_reviewer = store.labels.by_reviewer()
    assert set(by_reviewer.reviewer) <= set(counsellors) and len(by_reviewer) > 0


def test_a_double_coder_sees_only_the_machine_and_their_own_decisions(store, record_factory, counsellors):
    from research.store.independent import labels_seen_by, own_history

    store.conversations.add(record_factory("C8", suggested=("mobbing",), disclosure_turn=1))
    version = store.reviews.save("C8", "anna", 0, [Decision.category("mobbing", "reject"),
                                                   Decision.no_disclosure()]).label_version
    store.reviews.save("C8", "bo", version, [Decision.category("selvskading", "add")])
    view = store.conversations.get("C8")
    assert set(view.labels.present_categories) == {"selvskading"}
    bo = labels_seen_by(view, "bo")
    assert set(bo.present_categories) == {"mobbing", "selvskading"} and bo.disclosure.turn == 1
    assert bo.categories["mobbing"].source == Source.machine
    assert [r.reviewer for r in own_history(view, "anna")] == ["anna", "anna"]


# --------------------------------------------------------------------------- concurrency

THREADS, SAVES, CONVERSATIONS = 8, 200, 10


def test_concurrent_reviewers_never_lose_an_update(store, record_factory):
    """8 reviewers each save 200 decisions on the same 10 conversations. Every
    save that would overwrite an unseen change is refused with the decisions
    made since; the reviewer refreshes and retries. In the end all 1,600
    decisions are stored, each version of each conversation was the base of
    exactly one save, and every refusal named exactly what had changed."""
    tax = load_taxonomy()
    ids = [f"K{i}" for i in range(CONVERSATIONS)]
    for cid in ids:
        store.conversations.add(record_factory(cid, n_messages=2))
    reviewers = [f"coder{i}" for i in range(THREADS)]
    for name in reviewers:
        store.users.add(name, "counsellor", f"{name}-password-123")
    saved: dict[str, list[tuple[str, int]]] = defaultdict(list)  # reviewer -> (conversation, version seen)
    refusals: list[tuple[str, str, int, int, tuple[int, ...]]] = []
    failures: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def reviewer(name: str, seed: int) -> None:
        rng = random.Random(seed)
        try:
            start.wait()
            for k in range(SAVES):
                cid = ids[rng.randrange(CONVERSATIONS)]
                decision = Decision.category(tax.category_codes[k % 5], "accept" if k % 2 else "reject")
                seen = store.conversations.get(cid).label_version
                while True:
                    time.sleep(rng.random() / 1000)  # a reviewer thinks before saving
                    try:
                        store.reviews.save(cid, name, seen, [decision])
                        saved[name].append((cid, seen))
                        break
                    except StaleLabelsError as stale:
                        refusals.append((name, cid, stale.seen_version, stale.current_version,
                                         tuple(d.id for d in stale.decisions)))
                        assert stale.decisions and all(d.reviewer != name for d in stale.decisions)
                        seen = stale.current_version  # the error shows what changed: decide again on it
        except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread
            failures.append(exc)

    threads = [threading.Thread(target=reviewer, args=(name, i)) for i, name in enumerate(reviewers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures

    with store.sessions.reading() as session:
        rows = session.execute(select(Review.id, Review.conversation_id, Review.reviewer, Review.based_on_version)).all()
        versions = dict(session.execute(text("SELECT id, label_version FROM conversations")).all())
        audit_reviews = session.scalar(text("SELECT count(*) FROM audit_log WHERE action = 'review'"))
    assert len(rows) == THREADS * SAVES == audit_reviews
    assert sum(len(v) for v in saved.values()) == THREADS * SAVES
    assert Counter((r.reviewer, r.conversation_id, r.based_on_version) for r in rows) == Counter(
        (name, cid, seen) for name, pairs in saved.items() for cid, seen in pairs)
    for cid in ids:  # every version was the base of exactly one save: nothing overwritten
        bases = sorted(r.based_on_version for r in rows if r.conversation_id == cid)
        assert bases == list(range(versions[cid]))
    assert refusals, "the reviewers never collided: the test did not exercise the conflict path"
    by_key = {(r.conversation_id, r.based_on_version): r.id for r in rows}
    for _name, cid, seen, current, reported in refusals:  # each refusal showed exactly the saves since
        assert current > seen
        assert reported == tuple(by_key[(cid, v)] for v in range(seen, current))
    print(f"\n{len(refusals)} conflicts reported and retried on {store.engine.dialect.name}")


def test_the_review_count_matches_label_versions(store, record_factory, counsellors):
    store.conversations.add(record_factory("C7"))
    store.reviews.save("C7", "anna", 0, [Decision.category("mobbing", "add"), Decision.category("mobbing", "reject")])
    with store.sessions.reading() as session:
        assert session.scalar(select(func.count()).select_from(Review)) == 2
    assert store.conversations.get("C7").label_version == 1  # one save, one version


def _stored_current_labels(store) -> dict[str, tuple]:
    """Per conversation, what the store holds as its current labels."""
    with store.engine.connect() as conn:
        categories = conn.execute(select(CurrentCategory.conversation_id, CurrentCategory.code,
                                         CurrentCategory.source)).all()
        moves = conn.execute(select(CurrentMove.conversation_id, CurrentMove.message_index, CurrentMove.code,
                                    CurrentMove.source)).all()
        disclosures = conn.execute(select(ConversationRow.id, ConversationRow.disclosure_turn,
                                          ConversationRow.disclosure_source)).all()
    stored = {cid: (set(), set(), (turn, source)) for cid, turn, source in disclosures}
    for cid, *rest in categories:
        stored[cid][0].add(tuple(rest))
    for cid, *rest in moves:
        stored[cid][1].add(tuple(rest))
    return stored


def _derived_current_labels(store, conversation_id: str) -> tuple:
    labels = store.conversations.get(conversation_id).labels
    return ({(code, label.source.value) for code, label in labels.categories.items() if label.present},
            {(index, code, label.source.value) for index, per in labels.moves.items()
             for code, label in per.items() if label.present},
            (labels.disclosure.turn, labels.disclosure.source.value if labels.disclosure.source else None))


def test_stored_current_labels_follow_every_write(store, record_factory, counsellors):
    """What the analysis room counts (the stored current labels) is the rule
    applied to one conversation, after storing it and after every review."""
    rng = random.Random(11)
    ids = _classified_conversations(store, record_factory, rng, "S", 12)
    store.conversations.add(record_factory("UNCLASSIFIED", classified=False))
    before = _stored_current_labels(store)
    assert before["UNCLASSIFIED"] == (set(), set(), (None, None))
    _random_reviews(store, rng, ids, counsellors)
    after = _stored_current_labels(store)
    assert after != before  # the reviews changed labels, and the stored ones followed
    for cid in [*ids, "UNCLASSIFIED"]:
        assert after[cid] == _derived_current_labels(store, cid), cid
    sources = {source for categories, _, _ in after.values() for _, source in categories}
    assert sources == {"human", "machine"}


def test_the_migration_fills_current_labels_of_an_older_store(store, record_factory, counsellors):
    """A store from before the stored current labels (revision 0001) gets them
    filled on upgrade, equal to what the store writes itself."""
    from alembic import command

    from research.store.migrate import alembic_config

    rng = random.Random(5)
    ids = _classified_conversations(store, record_factory, rng, "M", 10)
    _random_reviews(store, rng, ids, counsellors)
    written = _stored_current_labels(store)
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001")
    with store.engine.begin() as conn:
        assert "current_moves" not in inspect(conn).get_table_names()
        command.upgrade(alembic_config(conn), "head")
    assert _stored_current_labels(store) == written
