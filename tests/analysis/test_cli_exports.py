"""`disclosure export trends` and `disclosure report`: files through the same
suppression, written atomically, each export audited."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from research.analysis.bulk_load import load
from research.cli import app
from research.corpus.synth import generate
from research.store import AuditAction, open_store

runner = CliRunner()


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("cli-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DISCLOSURE_HOME", str(home))
        patch.delenv("DISCLOSURE_DB_URL", raising=False)
        with open_store() as store:
            load(store, generate(600, 5, year=2024))
        yield home


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_trends_writes_a_suppressed_file_and_audits_it(home, monkeypatch, suffix):
    monkeypatch.setenv("DISCLOSURE_HOME", str(home))
    out = home / f"trends.{suffix}"
    result = runner.invoke(app, ["export", "trends", "--by", "month,category,age_group", "--year", "2024",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out, dtype=str) if suffix == "csv" else pd.read_excel(out, sheet_name="data", dtype=str)
    assert list(frame.columns[:5]) == ["month", "category", "category_label", "age_group", "age_group_label"]
    assert len(frame) == 13 * 23 * 7  # 12 months and the total, categories with parents, age groups
    for column in ("count", "human", "machine"):
        numbers = pd.to_numeric(frame[column], errors="coerce")
        assert not numbers.between(1, 5).any()
        assert (frame.loc[numbers.isna(), column] == ":").all()
    assert (frame[column] == ":").any()  # 600 conversations: many small cells
    assert not list(home.glob(f".trends.{suffix}.*"))  # no temporary file left behind
    with open_store() as store:
        entry = store.audit.entries(action=AuditAction.export, limit=1)[0]
    assert entry.detail["table"] == "trends" and entry.detail["format"] == suffix and entry.detail["year"] == 2024


def test_report_writes_one_self_contained_html_file(home, monkeypatch):
    monkeypatch.setenv("DISCLOSURE_HOME", str(home))
    out = home / "report.html"
    result = runner.invoke(app, ["report", "--year", "2024", "-o", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    document = out.read_text(encoding="utf-8")
    assert "Annual report 2024" in document and "data:image/png;base64," in document
    assert "<script" not in document and "https://" not in document


def test_bad_arguments_are_refused_with_a_clear_message(home, monkeypatch):
    monkeypatch.setenv("DISCLOSURE_HOME", str(home))
    result = runner.invoke(app, ["export", "trends", "--by", "month,weekday", "-o", str(home / "x.csv")])
    assert result.exit_code == 2 and "unknown dimension 'weekday'" in result.output
    result = runner.invoke(app, ["export", "trends", "-o", str(home / "x.json")])
    assert result.exit_code == 2 and "must end in .csv or .xlsx" in result.output
    result = runner.invoke(app, ["report", "--year", "2024", "-o", str(home / "report.pdf")])
    assert result.exit_code == 2 and not (home / "report.pdf").exists()
