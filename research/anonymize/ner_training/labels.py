"""The pipeline's entity labels and how NorNE's types map onto them (from ``labels.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from research.contracts import load_taxonomy

LABELS_FILE = Path(__file__).with_name("labels.yaml")


@dataclass(frozen=True)
class LabelScheme:
    """NorNE type -> pipeline label, and pipeline label -> PII type of the taxonomy."""

    norne_to_model: dict[str, str]
    model_to_pii: dict[str, str]

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.norne_to_model.values())))

    def model_label(self, norne_type: str) -> str | None:
        """The pipeline label of a NorNE type, or None when the type is read as O."""
        return self.norne_to_model.get(norne_type)

    def model_label_of_pii(self, pii_type: str) -> str | None:
        return {pii: label for label, pii in self.model_to_pii.items()}.get(pii_type)


@cache
def load_label_scheme(path: Path = LABELS_FILE) -> LabelScheme:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    scheme = LabelScheme(dict(raw["norne_to_model"]), dict(raw["model_to_pii"]))
    known = load_taxonomy().pii_types
    for label, pii in scheme.model_to_pii.items():
        if pii not in known:
            raise ValueError(f"{path}: model_to_pii.{label}: unknown PII type {pii!r}")
    missing = set(scheme.labels) - set(scheme.model_to_pii)
    if missing:
        raise ValueError(f"{path}: model_to_pii: no PII type for {sorted(missing)}")
    return scheme
