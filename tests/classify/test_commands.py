"""`disclosure classify` and `disclosure evaluate` as in contract.md §2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from research.classify import SHIPPED_MODEL_DIR
from research.classify.metrics import format_table
from research.classify.persist import MODEL_FILE
from research.cli import app
from research.contracts import Conversation, load_taxonomy

RAW = [
    {
        "conversation_id": "R1", "channel": "chat", "started_at": "2024-03-14T19:22:00", "age": 13,
        "messages": [
            {"speaker": "counsellor", "text": "Hei, du snakker med Alarmtelefonen. Hva vil du prate om?"},
            {"speaker": "user", "text": "hei jeg heter Sigrid Haugland og bor i Trondheim",
             "moves": ["U_GREETING", "U_CONTEXT"]},
            {"speaker": "user", "text": "pappa slo meg i går, ring meg på 412 34 567",
             "moves": ["U_DISCLOSURE"]},
            {"speaker": "counsellor", "text": "Takk for at du forteller, Sigrid. Det er ikke lov å slå barn.",
             "moves": ["C_VALIDATE", "C_INFO"]},
        ],
        "categories": ["vold_foreldre"], "disclosure_turn": 2,
    },
    {
        "conversation_id": "R2", "channel": "sms", "started_at": "2024-03-15T08:00:00",
        "messages": [
            {"speaker": "user", "text": "jeg føler meg så alene etter at vi flyttet", "moves": ["U_EMOTION"]},
            {"speaker": "counsellor", "text": "Det høres vondt ut. Vil du fortelle mer?", "moves": ["C_VALIDATE", "C_OPEN_Q"]},
        ],
        "categories": ["sorg_ensomhet_frykt"], "disclosure_turn": None,
    },
]
PII = ("Sigrid", "Haugland", "Trondheim", "412 34 567")


@pytest.fixture(autouse=True)
def _isolated(data_home):
    if not (SHIPPED_MODEL_DIR / MODEL_FILE).exists():
        pytest.fail("the shipped model is missing: run `make classifier-model`")


def _write(path: Path, rows: list, extra_lines: tuple[str, ...] = ()) -> Path:
    lines = [json.dumps(row, ensure_ascii=False) for row in rows] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_classify_deidentifies_raw_input_and_adds_suggestions(tmp_path):
    source = _write(tmp_path / "in.jsonl", RAW)
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["classify", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    for value in PII:
        assert value not in text
    rows = [json.loads(line) for line in text.splitlines()]
    assert [r["conversation_id"] for r in rows] == ["R1", "R2"]
    codes = set(load_taxonomy().category_codes)
    for row in rows:
        Conversation.model_validate(row)
        assert row["deidentified"] is True
        assert set(row["suggestions"]["category_scores"]) == codes
        assert row["suggestions"]["model"] == "disclosure-classifier/shipped"
        assert all("suggested_moves" in m and "pii" not in m for m in row["messages"])
    assert "<PERSON_1>" in rows[0]["messages"][1]["text"]


def test_classify_keeps_text_when_every_line_is_deidentified(tmp_path):
    clean = [dict(row, deidentified=True, messages=[{"speaker": m["speaker"], "text": m["text"].replace("Sigrid", "<PERSON_1>")}
                                                   for m in row["messages"]]) for row in RAW]
    source = _write(tmp_path / "in.jsonl", clean)
    out = tmp_path / "out.jsonl"
    assert CliRunner().invoke(app, ["classify", str(source), "-o", str(out)]).exit_code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [m["text"] for m in rows[0]["messages"]] == [m["text"] for m in clean[0]["messages"]]


def test_classify_reports_bad_lines_and_goes_on(tmp_path):
    source = _write(tmp_path / "in.jsonl", RAW, ('{"conversation_id": "X", "channel": "fax"}', "{not json"))
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["classify", str(source), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{source}:3: channel:" in result.output
    assert f"{source}:4: (line):" in result.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_evaluate_prints_a_table_and_writes_json(tmp_path):
    source = _write(tmp_path / "gold.jsonl", RAW)
    json_out = tmp_path / "metrics.json"
    result = CliRunner().invoke(app, ["evaluate", str(source), "--json", str(json_out)])
    assert result.exit_code == 0, result.output
    metrics = json.loads(json_out.read_text(encoding="utf-8"))
    assert metrics["conversations"] == 2 and metrics["messages"] == 6
    assert set(metrics) >= {"categories", "moves", "disclosure", "primary", "model"}
    assert {"micro_f1", "macro_f1", "per_label"} <= set(metrics["categories"])
    assert {"precision", "recall", "f1", "turn_within_1"} <= set(metrics["disclosure"])
    assert metrics["disclosure"]["gold_disclosures"] == 1
    assert format_table(metrics).splitlines()[0] in result.output
    for value in PII:
        assert value not in json_out.read_text(encoding="utf-8")


def test_classify_in_worker_processes_keeps_order_and_matches_in_process(tmp_path):
    from research.classify.commands import classify_file

    rows = [dict(row, conversation_id=f"{row['conversation_id']}-{i}") for i in range(2) for row in RAW]
    source = _write(tmp_path / "in.jsonl", rows)
    pooled, single = tmp_path / "pooled.jsonl", tmp_path / "single.jsonl"
    assert classify_file(source, pooled, batch_size=1, workers=2)[0] == 4  # 4 batches: worker processes
    assert classify_file(source, single, batch_size=1, workers=1)[0] == 4
    assert pooled.read_text(encoding="utf-8") == single.read_text(encoding="utf-8")
    assert [json.loads(line)["conversation_id"] for line in pooled.read_text(encoding="utf-8").splitlines()] \
        == [r["conversation_id"] for r in rows]
