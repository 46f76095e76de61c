"""`disclosure train` on a small config: an MLflow run with metrics, plots and a
registered champion; no PII from the training data anywhere in the tracking
store; a weaker second run does not take the champion alias."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from research.classify.corpus import generate_synthetic, gold_pii_strings, load_seed
from research.classify.tracking import CHAMPION, champion_summary, mlflow_client
from research.cli import app

SMALL = Path(__file__).resolve().parents[2] / "experiments" / "small.yaml"


def _weak_config(folder: Path) -> Path:
    """The small config with almost no features and heavy regularisation."""
    raw = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    raw["name"] = "weak"
    for task in ("categories", "moves", "disclosure"):
        raw[task]["C"] = 0.001
        raw[task]["text"] = [{"analyzer": "word", "ngram_range": [1, 1], "max_features": 5, "min_df": 1}]
        if "context" in raw[task]:
            raw[task]["context"] = raw[task]["text"]
    path = folder / "weak.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def _member_text(name: str, data: bytes) -> str:
    """Text in an archive member: .npy string arrays are UCS-4, numbers hold no text."""
    if name.endswith(".npy"):
        array = np.load(io.BytesIO(data), allow_pickle=False)
        return "\n".join(map(str, array.ravel())) if array.dtype.kind in "US" else ""
    return data.decode("utf-8", "ignore")


def _file_contents(root: Path):
    """(name, lower-cased text) of every file under root; zip archives (the
    skops model) are read member by member."""
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    yield f"{path}!{member}", _member_text(member, archive.read(member)).lower()
        else:
            yield str(path), path.read_bytes().decode("utf-8", "ignore").lower()


def _text_outside_pii(conversations: list[dict]) -> str:
    parts = []
    for conv in conversations:
        for message in conv["messages"]:
            text = message["text"]
            for span in sorted(message.get("pii") or [], key=lambda s: s["start"], reverse=True):
                text = text[: span["start"]] + " " + text[span["end"]:]
            parts.append(text)
    return "\n".join(parts).lower()


def _whole_word(value: str, text: str) -> bool:
    """``value`` (case-insensitive) in ``text`` with no letter or digit glued to it."""
    needle, start = value.lower(), 0
    while (at := text.find(needle, start)) >= 0:
        before, after = text[at - 1 : at], text[at + len(needle) : at + len(needle) + 1]
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            return True
        start = at + 1
    return False


def identifying_pii(conversations: list[dict]) -> set[str]:
    """PII strings that cannot come from ordinary text: 4+ characters and not even
    part of a word outside the PII spans of the training text («Live» is in
    «livet», so a character n-gram «live» is no leak; «Sigrid» is in nothing)."""
    outside = _text_outside_pii(conversations)
    return {p for p in gold_pii_strings(conversations) if len(p) >= 4 and p.lower() not in outside}


def _train(config: Path, *options: str) -> str:
    result = CliRunner().invoke(app, ["train", "--config", str(config), *options])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Two runs on one tracking store: the small config, then a weak one.
    Records the champion after each run."""
    home = tmp_path_factory.mktemp("train")
    store = home / "mlflow"
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("DISCLOSURE_HOME", str(home / "data"))
        monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{store / 'mlflow.db'}")
        first = _train(SMALL, "--export", str(home / "export"))
        mlflow, client = mlflow_client()
        champion_first = str(client.get_model_version_by_alias("disclosure-classifier", CHAMPION).version)
        second = _train(_weak_config(home))
        champion_second = str(client.get_model_version_by_alias("disclosure-classifier", CHAMPION).version)
        yield {"home": home, "store": store, "outputs": (first, second), "mlflow": mlflow, "client": client,
               "champions": (champion_first, champion_second)}


def test_train_logs_registers_and_promotes(trained):
    assert "champion moved" in trained["outputs"][0]
    assert trained["champions"][0] == "1"
    mlflow, client = trained["mlflow"], trained["client"]
    run = client.get_run(client.get_model_version("disclosure-classifier", "1").run_id)
    metrics = run.data.metrics
    for name in ("heldout.primary", "heldout.categories.micro_f1", "heldout.categories.macro_f1",
                 "heldout.categories.brier", "heldout.moves.micro_f1", "heldout.moves.macro_f1",
                 "heldout.disclosure.f1", "heldout.disclosure.turn_within_1", "heldout.disclosure.brier",
                 "cv.categories.micro_f1"):
        assert 0.0 <= metrics[name] <= 1.0, name
    assert any(re.fullmatch(r"heldout\.categories\.\w+\.f1", name) for name in metrics)
    assert run.data.params["config.name"] == "small"
    assert {d.dataset.name for d in run.inputs.dataset_inputs} == {"train-labels", "heldout-labels"}
    artifacts = {f.path for f in client.list_artifacts(run.info.run_id, "plots")}
    assert {"plots/confusion_categories.png", "plots/precision_recall_categories.png",
            "plots/precision_recall_disclosure.png"} <= artifacts
    model_files = {f.path for f in client.list_artifacts(run.info.run_id, "model")}
    assert {"model/model.skops", "model/MODEL_CARD.md"} <= model_files
    local = Path(mlflow.artifacts.download_artifacts(run_id=run.info.run_id, artifact_path="plots",
                                                     dst_path=str(trained["home"] / "dl")))
    assert (local / "confusion_categories.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_train_exports_the_model_and_its_card(trained, small_corpus):
    from research.classify import load_suggester

    exported = load_suggester(str(trained["home"] / "export"))
    rows = exported.suggest(small_corpus.heldout[:2])
    assert all(set(r["suggestions"]["category_scores"]) for r in rows)
    card = (trained["home"] / "export" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Held-out seed split" in card and "categories micro-F1" in card
    assert exported.info["config"] == "small" and exported.info["fitted_on"] == "train"


def test_the_champion_loads_from_the_registry(trained, monkeypatch):
    from research.classify import load_suggester

    monkeypatch.setenv("DISCLOSURE_HOME", str(trained["home"] / "data"))
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{trained['store'] / 'mlflow.db'}")
    assert load_suggester("models:/disclosure-classifier@champion").model_name == "disclosure-classifier/1"
    assert load_suggester("models:/disclosure-classifier/2").model_name == "disclosure-classifier/2"
    summary = champion_summary()
    assert summary["version"] == "1" and summary["config"] == "small"
    assert 0 < summary["metrics"]["heldout.primary"] <= 1


def test_no_pii_from_the_training_data_in_the_tracking_store(trained, small_config):
    data = small_config.data
    training = load_seed(data.seed_limit) + generate_synthetic(data.synthetic_n, data.synthetic_seed)
    pii = identifying_pii(training)
    assert len(pii) >= 20, "the check needs identifying strings to look for"
    files = list(_file_contents(trained["store"]))
    assert any("model.skops!" in name for name, _ in files)
    for name, text in files:
        for value in pii:
            assert not _whole_word(value, text), f"{value!r} found in {name}"


def test_a_weaker_run_does_not_take_the_champion_alias(trained):
    assert "champion kept" in trained["outputs"][1]
    assert trained["champions"][1] == "1"
    client = trained["client"]
    weak_run = client.get_run(client.get_model_version("disclosure-classifier", "2").run_id)
    assert weak_run.data.tags["promoted"] == "False"
    assert float(weak_run.data.tags["champion_before_heldout_primary"]) > weak_run.data.metrics["heldout.primary"]
