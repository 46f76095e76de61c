"""The researchers' statistics, computed from the store (the app only shows them).

* :func:`suppress` — the ONE function every displayed or exported count passes
  (small counts and their complements hidden; :mod:`.suppression`);
* :func:`trend_table` — counts by month, category, age group, gender, channel,
  hour, aggregated in SQL from the current labels, split human/machine
  (:mod:`.trends`);
* :func:`corrected_prevalence` — machine counts adjusted for the model's
  errors (ACC) with bootstrap intervals (:mod:`.prevalence`);
* :func:`precursor_odds`, :func:`disclosure_within_k`, :func:`sequence` —
  counsellor moves before disclosures (:mod:`.precursors`, :mod:`.odds`);
* :func:`agreement_table` — Krippendorff's alpha and Cohen's kappa
  (:mod:`.agreement`);
* :func:`annual_report` — the report's key-figure tables (:mod:`.report`;
  the document with charts is drawn in :mod:`research.reporting`);
* :func:`export_bytes` / :func:`write_export` — CSV and Excel (:mod:`.export`).

Imported lazily: ``import research.analysis`` alone loads nothing heavy.
"""

from __future__ import annotations

from importlib import import_module

_EXPORTS = {
    "suppress": "suppression", "SuppressedTable": "suppression", "DEFAULT_THRESHOLD": "suppression",
    "Filters": "trends", "TrendTable": "trends", "trend_table": "trends",
    "corrected_prevalence": "prevalence", "ErrorRates": "prevalence", "AdjustedCount": "prevalence",
    "precursor_odds": "precursors", "disclosure_within_k": "precursors", "sequence": "precursors",
    "odds_ratio": "odds", "agreement_table": "agreement", "agreement_by_code": "agreement",
    "annual_report": "report",
    "export_bytes": "export", "write_export": "export",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'research.analysis' has no attribute {name!r}")
    return getattr(import_module(f"research.analysis.{_EXPORTS[name]}"), name)
