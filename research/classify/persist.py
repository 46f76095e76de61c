"""Saving and loading a :class:`SuggestionModel` with skops (never pickle).

skops refuses to build any type it has not been told to trust. We trust
exactly the types a model of ours is made of: scikit-learn, NumPy, SciPy and
pandas types, and this package's own estimators; anything else in a file is
an error, so a tampered model file cannot run arbitrary code on load.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import skops.io as sio

from research.classify.model import SuggestionModel

MODEL_FILE = "model.skops"
TRUSTED_PREFIXES = ("research.classify.", "sklearn.", "numpy.", "scipy.", "pandas.", "builtins.")


class UntrustedModelError(ValueError):
    """A model file holds a type outside the trusted modules."""


def save_model(model: SuggestionModel, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    sio.dump(model, tmp, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    tmp.replace(path)
    return path


def load_model(path: str | Path) -> SuggestionModel:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no model file")
    untrusted = sio.get_untrusted_types(file=path)
    refused = [name for name in untrusted if not name.startswith(TRUSTED_PREFIXES)]
    if refused:
        raise UntrustedModelError(f"{path}: refusing to load types {refused}")
    model = sio.load(path, trusted=untrusted)
    if not isinstance(model, SuggestionModel):
        raise UntrustedModelError(f"{path}: holds a {type(model).__name__}, not a SuggestionModel")
    return model
