"""`disclosure validate` as in contract.md: FILE:LINE: field: reason, exit 0/1."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from research.cli import app

runner = CliRunner()


def test_validate_accepts_the_development_set(shared_dev):
    result = runner.invoke(app, ["validate", str(shared_dev)])
    assert result.exit_code == 0, result.output
    assert "30 valid, 0 invalid" in result.output


def test_validate_names_each_bad_line_and_counts_the_good(tmp_path):
    good = {"conversation_id": "A", "channel": "sms", "started_at": "2024-01-02T20:00:00+01:00",
            "messages": [{"speaker": "user", "text": "hei"}]}
    bad_channel = dict(good, conversation_id="B", channel="brev")
    bad_turn = dict(good, conversation_id="C", disclosure_turn=3)
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join([json.dumps(good), json.dumps(bad_channel), "{\"conversation_id\": ", json.dumps(bad_turn),
                               json.dumps(dict(good, conversation_id="D"))]) + "\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{path}:2: channel: unknown channel code 'brev'" in lines
    assert any(line.startswith(f"{path}:3: (line): invalid or truncated JSON") for line in lines)
    assert any(line.startswith(f"{path}:4: disclosure_turn: 3 is outside") for line in lines)
    assert "2 valid, 3 invalid" in result.output


def test_validate_reads_stdin_through_the_console_script():
    script = Path(sys.executable).parent / "disclosure"
    row = {"conversation_id": "A", "channel": "chat", "started_at": "2024-01-02T20:00:00",
           "messages": [{"speaker": "user", "text": "hei"}]}
    done = subprocess.run([str(script), "validate", "-"], input=json.dumps(row) + "\n", text=True,
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "1 valid, 0 invalid" in done.stderr


def test_validate_missing_file_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "file not found" in result.output
