"""Label suggestion: conversation categories, moves per message, the first disclosure.

Only ever sees de-identified text. The public entry point:

    suggester = load_suggester()                                   # the model in models/classifier/
    suggester = load_suggester("models:/disclosure-classifier@champion")  # from the MLflow registry
    rows = suggester.suggest(deidentified_conversations)           # contract.md §2 output lines

Heavy imports (scikit-learn, MLflow) happen inside the functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from research.paths import MODELS_DIR

if TYPE_CHECKING:
    from research.classify.model import SuggestionModel

SHIPPED_MODEL_DIR = MODELS_DIR / "classifier"


def load_suggester(model_uri: str | None = None) -> SuggestionModel:
    """Load a :class:`SuggestionModel`.

    ``None``: the model shipped in ``models/classifier/`` (no MLflow needed);
    ``models:/<name>@<alias>`` or ``models:/<name>/<version>``: from the MLflow
    registry (``MLFLOW_TRACKING_URI`` or the data folder's SQLite store);
    anything else: a path to a ``model.skops`` file or a folder holding one.
    """
    from research.classify.persist import MODEL_FILE, load_model

    if model_uri is None:
        model = load_model(SHIPPED_MODEL_DIR / MODEL_FILE)
        model.version = "shipped"
        return model
    if model_uri.startswith("models:/"):
        from research.classify.tracking import download_model_file

        path, version, holder = download_model_file(model_uri)
        with holder:
            model = load_model(path)
        model.version = version
        return model
    path = Path(model_uri)
    model = load_model(path / MODEL_FILE if path.is_dir() else path)
    model.version = "local"
    return model


__all__ = ["SHIPPED_MODEL_DIR", "load_suggester"]
