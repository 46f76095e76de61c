"""The contract: valid conversations parse, every kind of bad line is named
with its line number and field, and the good lines around it go on."""

from __future__ import annotations

import json

import pytest

from research.contracts import Parsed, Problem, iter_conversations, load_taxonomy, read_conversations, write_jsonl


def conversation(**overrides) -> dict:
    base = {
        "conversation_id": "T1",
        "channel": "chat",
        "started_at": "2024-03-14T19:22:00",
        "age": 12,
        "gender": "jente",
        "contact_type": "barn",
        "messages": [
            {"speaker": "counsellor", "text": "Hei! Hva vil du snakke om?", "moves": ["C_OPENING", "C_OPEN_Q"]},
            {"speaker": "user", "text": "jeg heter Ida", "moves": ["U_GREETING"],
             "pii": [{"start": 10, "end": 13, "type": "PERSON", "text": "Ida"}]},
        ],
        "categories": ["vold_foreldre"],
        "disclosure_turn": None,
        "actions": ["rad_veiledning"],
    }
    base.update(overrides)
    return base


def write_lines(path, lines: list[bytes]) -> None:
    path.write_bytes(b"\n".join(lines) + b"\n")


def encode(row: dict) -> bytes:
    return json.dumps(row, ensure_ascii=False).encode()


def problems_of(path) -> list[Problem]:
    return [item for item in iter_conversations(path) if isinstance(item, Problem)]


def test_taxonomy_groups_sum_their_leaves():
    tax = load_taxonomy()
    assert "vold_foreldre" in tax.group_members["vold"]
    assert tax.group_members["omsorgssvikt"] == ("omsorgssvikt",)
    assert set(tax.categories) == {leaf for leaves in tax.group_members.values() for leaf in leaves}
    assert tax.label("vold_foreldre", "en").startswith("Maltreatment")
    assert tax.age_group_of(12) == "11-13"
    assert tax.age_group_of(12, overlapping=True) == "5-13"
    assert tax.age_group_of(None) is None
    assert all(code.startswith("C_") for code in tax.moves_for("counsellor"))


def test_valid_conversation_round_trips(tmp_path):
    path = tmp_path / "ok.jsonl"
    write_lines(path, [encode(conversation(extra_field={"kept": True}))])
    conversations, problems = read_conversations(path)
    assert problems == []
    row = conversations[0].to_json()
    assert row["extra_field"] == {"kept": True}  # unknown fields are kept
    assert row["disclosure_turn"] is None  # explicit null survives: it means "no disclosure"
    assert row["messages"][1]["pii"][0]["text"] == "Ida"


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        (conversation(channel="fax"), "channel", "unknown channel"),
        (conversation(categories=["vold_foreldre", "nope"]), "categories", "unknown category"),
        (conversation(disclosure_turn=9), "disclosure_turn", "outside the 2 messages"),
        (conversation(started_at="14/03/2024 kl 19"), "started_at", ""),
        (conversation(age=42), "age", "outside"),
        (conversation(gender="mann"), "gender", "unknown gender"),
        (conversation(actions=["ringte_mamma"]), "actions", "unknown action"),
        (conversation(messages=[]), "messages", "at least one message"),
        (conversation(messages=[{"speaker": "bot", "text": "hei"}]), "messages[0].speaker", ""),
        (conversation(messages=[{"speaker": "user", "text": "   "}]), "messages[0].text", "empty"),
        (conversation(messages=[{"speaker": "user", "text": "hei", "moves": ["C_OPEN_Q"]}]),
         "messages[0].moves[0]", "not a user move"),
        (conversation(messages=[{"speaker": "user", "text": "hei", "moves": ["X_MOVE"]}]),
         "messages[0].moves", "unknown move"),
        (conversation(messages=[{"speaker": "user", "text": "hei",
                                 "pii": [{"start": 2, "end": 30, "type": "PERSON"}]}]),
         "messages[0].pii[0]", "outside the text"),
        (conversation(messages=[{"speaker": "user", "text": "hei Ida",
                                 "pii": [{"start": 4, "end": 7, "type": "PERSON", "text": "Ola"}]}]),
         "messages[0].pii[0]", "does not match"),
        (conversation(messages=[{"speaker": "user", "text": "hei",
                                 "pii": [{"start": 0, "end": 3, "type": "SECRET"}]}]),
         "messages[0].pii[0].type", "unknown PII type"),
        ({k: v for k, v in conversation().items() if k != "conversation_id"}, "conversation_id", "missing"),
    ],
)
def test_each_broken_field_is_named(tmp_path, row, field, reason):
    path = tmp_path / "bad.jsonl"
    write_lines(path, [encode(conversation(conversation_id="GOOD")), encode(row)])
    problems = problems_of(path)
    assert problems, f"expected a problem for {field}"
    assert any(p.line == 2 and p.field.startswith(field) and reason in p.reason for p in problems), problems
    assert all(p.line == 2 for p in problems)
    good = [item for item in iter_conversations(path) if isinstance(item, Parsed)]
    assert [g.conversation.conversation_id for g in good] == ["GOOD"]


def test_encoding_truncation_and_duplicates_are_reported_and_the_rest_goes_on(tmp_path):
    path = tmp_path / "mixed.jsonl"
    truncated = encode(conversation(conversation_id="T3"))[:60]
    latin1 = json.dumps(conversation(conversation_id="T4")).encode().replace(b"Hva", "Hvå".encode("latin-1"))
    write_lines(path, [
        encode(conversation(conversation_id="T1")),
        truncated,
        b"",
        latin1,
        encode(conversation(conversation_id="T1")),
        b"[1, 2]",
        encode(conversation(conversation_id="T6")),
    ])
    problems = problems_of(path)
    by_line = {p.line: p for p in problems}
    assert set(by_line) == {2, 4, 5, 6}
    assert "truncated" in by_line[2].reason
    assert "UTF-8" in by_line[4].reason
    assert by_line[5].field == "conversation_id" and "duplicate" in by_line[5].reason
    assert "JSON object" in by_line[6].reason
    assert str(by_line[2]).startswith(f"{path}:2: ")
    conversations, _ = read_conversations(path)
    assert [c.conversation_id for c in conversations] == ["T1", "T6"]


def test_write_jsonl_is_atomic(tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")

    def rows():
        yield {"a": 1}
        raise RuntimeError("crash mid-write")

    with pytest.raises(RuntimeError):
        write_jsonl(rows(), target)
    assert target.read_text() == "old\n"  # nothing half-written
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind
    assert write_jsonl([{"a": 1}, {"b": "æøå"}], target) == 2
    assert target.read_text(encoding="utf-8").splitlines()[1] == '{"b": "æøå"}'


def test_written_files_get_the_usual_permissions(tmp_path):
    target = tmp_path / "out.jsonl"
    write_jsonl([{"a": 1}], target)
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask
