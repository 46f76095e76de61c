"""``disclosure anonymize`` and ``disclosure anonymize-eval`` end to end."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from research.cli import app
from research.corpus.markup import strip_markup

MARKED = {
    "E1": ("sms", [
        ("user", "Hei. Jeg heter [[Synne Bakkehaug|PERSON]] og bor i [[Vardø|LOCATION]]. "
                 "Mobilen min er [[934 12 876|PHONE_NUMBER]]."),
        ("counsellor", "Hei [[Synne|PERSON]]. Takk for at du skriver til oss."),
        ("user", "fødselsnummeret mitt er [[12030812393|NO_NATIONAL_ID]] og mailen er "
                 "[[synne.b@example.no|EMAIL_ADDRESS]]"),
    ]),
    "E2": ("chat", [
        ("user", "stefaren min kjefter. kompisen min [[Eirik|PERSON]] sier jeg må si det til læreren på "
                 "[[Furulund skole|ORGANIZATION]]"),
    ]),
}


def invented(cid: str) -> dict:
    channel, messages = MARKED[cid]
    rows = []
    for speaker, marked in messages:
        text, pii = strip_markup(marked)
        rows.append({"speaker": speaker, "text": text, "pii": pii})
    return {"conversation_id": cid, "channel": channel, "started_at": "2024-01-10T21:00:00", "messages": rows}


INVENTED = [invented("E1"), invented("E2")]


def write(path, rows, extra_lines=()):
    lines = [json.dumps(row, ensure_ascii=False) for row in rows] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_output_holds_none_of_the_gold_pii(tmp_path, data_home):
    gold, out, spans = tmp_path / "gold.jsonl", tmp_path / "out.jsonl", tmp_path / "spans.jsonl"
    write(gold, INVENTED)
    result = CliRunner().invoke(app, ["anonymize", str(gold), "-o", str(out), "--spans", str(spans)])
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8") + spans.read_text(encoding="utf-8")
    secrets = [p["text"] for conv in INVENTED for m in conv["messages"] for p in m.get("pii", [])]
    assert secrets and not [s for s in secrets if s in written]
    assert "stefaren" in written and "læreren" in written
    span_lines = [json.loads(line) for line in spans.read_text(encoding="utf-8").splitlines()]
    assert [line["conversation_id"] for line in span_lines] == ["E1", "E2"]


def test_bad_lines_are_reported_and_skipped(tmp_path, data_home):
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    write(source, INVENTED[:1] + [{**INVENTED[1], "channel": "fax"}], ["not json"])
    result = CliRunner().invoke(app, ["anonymize", str(source), "-o", str(out)])
    assert result.exit_code == 1
    assert f"{source}:2: channel: unknown channel code 'fax'" in result.output
    assert f"{source}:3: (line): invalid or truncated JSON" in result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row["conversation_id"] for row in rows] == ["E1"]
    assert rows[0]["deidentified"] is True


def test_a_missing_input_file(tmp_path, data_home):
    result = CliRunner().invoke(app, ["anonymize", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 2
    assert not (tmp_path / "o.jsonl").exists()


def test_anonymize_eval_reports_counts_only(tmp_path, data_home):
    gold = tmp_path / "gold.jsonl"
    write(gold, INVENTED)
    result = CliRunner().invoke(app, ["anonymize-eval", str(gold)])
    assert result.exit_code == 0, result.output
    assert "leaks: 0/8" in result.output
    assert "kinship/role words removed: 0 of" in result.output
    assert "Synne" not in result.output and "Eirik" not in result.output
