"""Inter-rater agreement per label: Krippendorff's alpha and Cohen's kappa.

Input is a long table of binary codings: one row per ``unit`` (a conversation),
``code`` (a category), ``coder`` and ``label`` (bool). For each code:

* ``alpha``: Krippendorff's alpha (nominal; the ``krippendorff`` package) over
  every coder, units coded by fewer than two coders ignoring themselves;
* ``kappa``: Cohen's kappa (scikit-learn) over units coded by two or more,
  pairing the first two coders of each unit by the order of ``coders`` (or by
  name) — so pairs may differ between units, as in rotating double coding;
* ``agreement``: the share of those pairs that agree; ``units``: their number.

Alpha or kappa is NaN when undefined (no pairable unit, or every coding alike:
agreement on a label nobody ever uses is not measured).
"""

from __future__ import annotations

from collections.abc import Sequence

import krippendorff
import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score


def _alpha(matrix: np.ndarray) -> float:
    values = matrix[~np.isnan(matrix)]
    pairable = (~np.isnan(matrix)).sum(axis=0) >= 2
    if len(np.unique(values)) < 2 or not pairable.any():
        return float("nan")  # one value only, or no unit coded twice: alpha is undefined
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))


def _kappa(first: np.ndarray, second: np.ndarray) -> float:
    if not len(first) or len(np.unique(np.concatenate([first, second]))) < 2:
        return float("nan")
    return float(cohen_kappa_score(first, second, labels=[False, True]))


def pairs(codings: pd.DataFrame, coders: Sequence[str] | None = None) -> pd.DataFrame:
    """Per unit and code, the labels of its first two coders (``first``, ``second``)."""
    rank = {name: i for i, name in enumerate(coders)} if coders is not None else None
    ordered = codings.assign(_order=codings["coder"].map(rank) if rank else codings["coder"])
    ordered = ordered.sort_values(["unit", "code", "_order"], kind="stable")
    ordered["_slot"] = ordered.groupby(["unit", "code"]).cumcount()
    two = ordered[ordered["_slot"] < 2].pivot(index=["unit", "code"], columns="_slot", values="label")
    if 1 not in two.columns:
        return pd.DataFrame(columns=["unit", "code", "first", "second"])
    two = two.dropna().rename(columns={0: "first", 1: "second"})
    two.columns.name = None
    return two.reset_index()


def agreement_by_code(codings: pd.DataFrame, coders: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per code: ``units``, ``agreement``, ``kappa``, ``alpha``."""
    paired = pairs(codings, coders)
    rows = []
    for code, group in codings.groupby("code", sort=True):
        matrix = (group.pivot_table(index="coder", columns="unit", values="label", aggfunc="last")
                  .astype(float).to_numpy())
        two = paired[paired["code"] == code]
        first, second = two["first"].astype(bool).to_numpy(), two["second"].astype(bool).to_numpy()
        rows.append({
            "code": code,
            "units": len(two),
            "agreement": float((first == second).mean()) if len(two) else float("nan"),
            "kappa": _kappa(first, second),
            "alpha": _alpha(matrix),
        })
    return pd.DataFrame(rows, columns=["code", "units", "agreement", "kappa", "alpha"])


# --------------------------------------------------------------------------- from the store


def agreement_table(store, *, with_model: bool = False, threshold: int | None = None) -> pd.DataFrame:
    """Agreement per category between double-coding counsellors, or (``with_model``)
    between the model's suggestions and the counsellors' coding, read from the
    store (see :mod:`research.analysis.coding`). ``units`` passes suppression;
    where it is hidden, so are the statistics."""
    from research.analysis.coding import MODEL_CODER, counsellor_codings, machine_categories
    from research.analysis.suppression import COUNT, DEFAULT_THRESHOLD, suppress

    machine = machine_categories(store)
    codings = counsellor_codings(store, machine)
    if with_model and len(codings):
        first = codings.sort_values("coder").drop_duplicates(["unit", "code"]).assign(coder="counsellor")
        model = machine[machine["unit"].isin(first["unit"])].assign(coder=MODEL_CODER)
        codings = pd.concat([model[["unit", "code", "coder", "label"]], first], ignore_index=True)
        table = agreement_by_code(codings, coders=[MODEL_CODER, "counsellor"])
    else:
        table = agreement_by_code(codings)
    from research.contracts import load_taxonomy

    codes = load_taxonomy().category_codes
    table = table.set_index("code").reindex(codes).reset_index()
    table["units"] = table["units"].fillna(0).astype("int64")
    shown = suppress(table[["code", "units"]].rename(columns={"units": COUNT}),
                     DEFAULT_THRESHOLD if threshold is None else threshold).frame
    hidden = shown["suppressed"].to_numpy()
    table["units"] = shown[COUNT].to_numpy()
    for column in ("agreement", "kappa", "alpha"):
        table[column] = table[column].astype(float).mask(hidden)
    return table
