"""Where the platform reads its shipped assets and writes its state.

All state (store, MLflow tracking, logs, caches, exports) lives under one data
folder: ``./data`` by default, ``DISCLOSURE_HOME`` to move it. Shipped assets
(trained models, the seed corpus) live in the project itself.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
MODELS_DIR = PROJECT_DIR / "models"
CORPUS_DIR = PROJECT_DIR / "corpus"


def data_home() -> Path:
    """The data folder, created on first use."""
    home = Path(os.environ.get("DISCLOSURE_HOME", "data")).resolve()
    home.mkdir(parents=True, exist_ok=True)
    return home


def data_path(*parts: str) -> Path:
    """A path inside the data folder, its parent folder created."""
    path = data_home().joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
