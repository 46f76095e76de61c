"""MLflow: where runs are tracked, how models are registered and promoted.

Default tracking store: SQLite in the data folder (``data/mlflow/mlflow.db``)
with artifacts beside it (``data/mlflow/artifacts``); ``MLFLOW_TRACKING_URI``
points anywhere else. Telemetry is switched off before MLflow is imported.

Registered model: ``disclosure-classifier``. The ``champion`` alias moves to a
new version only when it beats the current champion on the primary metric
(:data:`research.classify.metrics.PRIMARY_METRIC`), both measured on the same
held-out seed split: the champion is re-evaluated on the new run's split.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from research.classify.model import REGISTERED_NAME
from research.paths import data_home, data_path

EXPERIMENT = "disclosure-classifier"
CHAMPION = "champion"
MODEL_ARTIFACTS = "model"


def _quiet_mlflow() -> None:
    """No telemetry, ever (set before MLflow is imported), and no progress bars."""
    os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
    os.environ["DO_NOT_TRACK"] = "1"
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")


def tracking_uri() -> str:
    return os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{data_path('mlflow', 'mlflow.db')}"


def artifact_location(uri: str) -> str | None:
    """Artifacts next to a SQLite store (so they share its folder); a server decides its own."""
    if urlparse(uri).scheme != "sqlite":
        return None
    database = Path(uri.removeprefix("sqlite:///"))
    return (database.parent / "artifacts").resolve().as_uri()


def mlflow_client():
    """The MLflow module, pointed at the tracking store, and a client for it."""
    _quiet_mlflow()
    import mlflow
    from mlflow import MlflowClient

    uri = tracking_uri()
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    return mlflow, MlflowClient(tracking_uri=uri, registry_uri=uri)


def experiment_id(client) -> str:
    existing = client.get_experiment_by_name(EXPERIMENT)
    if existing is not None:
        return existing.experiment_id
    return client.create_experiment(EXPERIMENT, artifact_location=artifact_location(tracking_uri()))


# --------------------------------------------------------------------------- registry


def register_version(client, run_id: str, artifact_uri: str) -> str:
    """A new version of the registered model pointing at the run's model artifacts."""
    if not client.search_registered_models(filter_string=f"name = '{REGISTERED_NAME}'"):
        client.create_registered_model(REGISTERED_NAME, description="Label suggestions: categories, moves, disclosure.")
    version = client.create_model_version(REGISTERED_NAME, source=f"{artifact_uri}/{MODEL_ARTIFACTS}", run_id=run_id)
    return str(version.version)


def champion_version(client) -> str | None:
    from mlflow.exceptions import MlflowException

    try:
        return str(client.get_model_version_by_alias(REGISTERED_NAME, CHAMPION).version)
    except MlflowException:
        return None


def promote(client, version: str) -> None:
    client.set_registered_model_alias(REGISTERED_NAME, CHAMPION, version)


def download_model_file(model_uri: str) -> tuple[Path, str, tempfile.TemporaryDirectory]:
    """Fetch a registry model's skops file into a temporary folder in the data
    folder. Returns (file, resolved version, the folder to clean up)."""
    mlflow, client = mlflow_client()
    name, _, ref = model_uri.removeprefix("models:/").partition("@")
    if ref:
        version = str(client.get_model_version_by_alias(name, ref).version)
    else:
        name, _, version = name.partition("/")
    holder = tempfile.TemporaryDirectory(prefix="model-", dir=data_home())
    local = mlflow.artifacts.download_artifacts(artifact_uri=f"models:/{name}/{version}", dst_path=holder.name)
    from research.classify.persist import MODEL_FILE

    return Path(local) / MODEL_FILE, version, holder


def champion_summary() -> dict[str, Any] | None:
    """The champion's version, run and logged metrics (for the app's Models page),
    or None when nothing is registered yet."""
    _, client = mlflow_client()
    version = champion_version(client)
    if version is None:
        return None
    model_version = client.get_model_version(REGISTERED_NAME, version)
    run = client.get_run(model_version.run_id)
    return {
        "name": REGISTERED_NAME,
        "version": version,
        "alias": CHAMPION,
        "run_id": run.info.run_id,
        "config": run.data.params.get("config.name"),
        "created": model_version.creation_timestamp,
        "metrics": dict(run.data.metrics),
    }
