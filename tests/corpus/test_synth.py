"""The synthetic corpus generator: contract, labels, determinism, variety."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from stdnum.no import fodselsnummer
from typer.testing import CliRunner

from research.cli import app
from research.contracts import Problem, iter_conversations, load_taxonomy
from research.corpus.synth import generate, generate_metadata, write_corpus

N = 1500
TAX = load_taxonomy()


@pytest.fixture(scope="session")
def rows() -> list[dict]:
    return list(generate(N, seed=11))


def user_text(row: dict) -> str:
    return " ".join(m["text"] for m in row["messages"] if m["speaker"] == "user").lower()


# --------------------------------------------------------------------------- determinism


def test_same_seed_gives_byte_identical_files(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert write_corpus(first, n=120, seed=5) == 120
    assert write_corpus(second, n=120, seed=5) == 120
    assert first.read_bytes() == second.read_bytes()


def test_different_seeds_differ():
    a = [json.dumps(r, ensure_ascii=False) for r in generate(30, seed=1)]
    b = [json.dumps(r, ensure_ascii=False) for r in generate(30, seed=2)]
    assert sum(x != y for x, y in zip(a, b, strict=True)) == 30


def test_a_longer_run_extends_a_shorter_one():
    short = list(generate(15, seed=9))
    assert list(generate(40, seed=9))[:15] == short


def test_ids_name_seed_and_index(rows):
    assert [r["conversation_id"] for r in rows[:3]] == ["SYN-11-0", "SYN-11-1", "SYN-11-2"]
    assert len({r["conversation_id"] for r in rows}) == N


def test_metadata_path_matches_the_full_generator(rows):
    for row, meta in zip(rows[:200], generate_metadata(200, seed=11), strict=True):
        assert (row["channel"], row["age"], row["gender"], row["contact_type"]) == (
            meta.channel, meta.age, meta.gender, meta.contact_type)
        assert row["started_at"] == meta.started_at.isoformat()
        assert row["categories"] == list(meta.categories)


# --------------------------------------------------------------------------- contract


def test_generated_file_passes_validation(tmp_path):
    path = tmp_path / "synth.jsonl"
    write_corpus(path, n=300, seed=3)
    problems = [item for item in iter_conversations(path) if isinstance(item, Problem)]
    assert problems == []
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output


def test_cli_synth_writes_the_requested_rows(tmp_path):
    path = tmp_path / "cli.jsonl"
    result = CliRunner().invoke(app, ["synth", "--n", "25", "--seed", "4", "-o", str(path), "--year", "2023"])
    assert result.exit_code == 0, result.output
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 25
    assert all(json.loads(line)["started_at"].startswith("2023-") for line in lines)


def test_year_spreads_start_times_over_that_year():
    assert {r["started_at"][:4] for r in generate(200, seed=6, year=2021)} == {"2021"}
    assert {r["started_at"][:4] for r in generate(50, seed=6)} == {"2024"}  # the report's year by default


def test_negative_n_is_refused():
    with pytest.raises(ValueError, match="n must be"):
        list(generate(-1, seed=1))


# --------------------------------------------------------------------------- gold labels


def test_pii_spans_align_with_the_text(rows):
    seen = Counter()
    for row in rows:
        for message in row["messages"]:
            previous_end = 0
            for span in message["pii"]:
                assert message["text"][span["start"] : span["end"]] == span["text"]
                assert span["type"] in TAX.pii_types
                assert span["start"] >= previous_end  # in order, never overlapping
                assert span["text"] == span["text"].strip() and span["text"]
                previous_end = span["end"]
                seen[span["type"]] += 1
    assert set(seen) == set(TAX.pii_types)  # every entity type occurs
    assert seen.most_common(1)[0][0] == "PERSON"


def test_national_ids_are_checksum_valid(rows):
    ids = [s["text"] for r in rows for m in r["messages"] for s in m["pii"] if s["type"] == "NO_NATIONAL_ID"]
    assert ids
    assert all(fodselsnummer.is_valid(i) for i in ids)


def test_disclosure_turn_is_the_first_disclosure_move(rows):
    for row in rows:
        marked = [i for i, m in enumerate(row["messages"]) if "U_DISCLOSURE" in m["moves"]]
        assert row["disclosure_turn"] == (marked[0] if marked else None)


def test_only_violence_is_disclosed(rows):
    violence = set(TAX.violence_codes)
    for row in rows:
        if row["disclosure_turn"] is not None:
            assert violence & set(row["categories"]), row["conversation_id"]


def test_every_message_has_moves_of_its_speaker(rows):
    for row in rows:
        for message in row["messages"]:
            assert message["moves"]
            assert all(TAX.moves[m].group == message["speaker"] for m in message["moves"])


def test_labels_use_taxonomy_codes_and_cover_them(rows):
    categories, actions, moves = Counter(), Counter(), Counter()
    for row in rows:
        assert row["categories"] and row["actions"]
        assert len(set(row["categories"])) == len(row["categories"])
        categories.update(row["categories"])
        actions.update(row["actions"])
        moves.update(m for message in row["messages"] for m in message["moves"])
    assert set(categories) == set(TAX.categories)
    assert set(actions) == set(TAX.actions)
    assert set(moves) == set(TAX.moves)


def test_actions_match_what_the_counsellor_says(rows):
    for row in rows:
        said = {m for message in row["messages"] for m in message["moves"]}
        assert ("C_ADVICE" in said) <= ("rad_veiledning" in row["actions"]), row["conversation_id"]
        if set(row["actions"]) - {"rad_veiledning"}:
            assert "C_REFERRAL" in said, row["conversation_id"]


def test_hard_negatives_are_labelled_as_no_disclosure(rows):
    non_literal = re.compile(r"\b(dreper|drepe|kverker|kverke|myrde|myrder|slakte|ihjel)\b")
    negation = re.compile(r"\b(aldri|ikke|ikkje|itj) (slått|slår|rørt|tatt i)\b|\bslår (meg )?(ikke|ikkje)\b")
    friend_or_hypothetical = Counter()
    hits = Counter()
    for row in rows:
        text = user_text(row)
        told = row["disclosure_turn"] is not None
        violence = set(TAX.violence_codes) & set(row["categories"])
        if not violence:
            hits["non_literal"] += bool(non_literal.search(text))
            hits["negation"] += bool(negation.search(text))
            assert not told
        elif not told:
            friend_or_hypothetical["violence without disclosure"] += 1
    assert hits["non_literal"] >= 10 and hits["negation"] >= 10
    assert friend_or_hypothetical["violence without disclosure"] >= 30


def test_adults_have_no_age_and_some_disclose(rows):
    adults = [r for r in rows if r["contact_type"] == "voksen"]
    assert adults and all(r["age"] is None for r in adults)
    assert any(r["disclosure_turn"] is not None for r in adults)
    assert any(r["disclosure_turn"] is None for r in adults)


def test_conversations_are_varied(rows):
    user_messages = [m["text"] for r in rows for m in r["messages"] if m["speaker"] == "user"]
    assert len(set(user_messages)) / len(user_messages) > 0.8
    openings = Counter(r["messages"][0]["text"] for r in rows)
    assert openings.most_common(1)[0][1] < N * 0.05


def test_channels_shape_the_conversation(rows):
    by_channel = {c: [r for r in rows if r["channel"] == c] for c in TAX.channels}
    assert all(len(r["messages"]) <= 4 for r in by_channel["ungno"] + by_channel["epost"])
    chat_lengths = [len(r["messages"]) for r in by_channel["chat"]]
    assert sum(chat_lengths) / len(chat_lengths) > 10
    assert all("sent_at" in m for r in by_channel["chat"] for m in r["messages"])
    assert not any("sent_at" in m for r in by_channel["telefon"] for m in r["messages"])
