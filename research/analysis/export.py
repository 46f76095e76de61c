"""Exports of suppressed tables as CSV or Excel (openpyxl), written atomically.

Only a :class:`~research.analysis.trends.TrendTable` can be exported, and it
exists only after suppression, so no exported cell holds a count between 1
and the threshold. Hidden cells are written as ``:`` (Statistics Norway's
symbol for "suppressed for confidentiality"); a second sheet in Excel, and
``disclosure export``'s message, say so. Each coded dimension gets a label
column in the chosen language (labels from the taxonomy).
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import pandas as pd

from research.analysis.dimensions import TOTAL, UNKNOWN
from research.analysis.suppression import SUPPRESSED
from research.analysis.trends import TrendTable
from research.contracts import load_taxonomy

COUNT_COLUMNS = ("count", "human", "machine")
FORMATS = ("csv", "xlsx")
_WORDS = {"nb": {TOTAL: "Totalt", UNKNOWN: "Ukjent"}, "en": {TOTAL: "Total", UNKNOWN: "Unknown"}}
_LABELLED = ("category", "age_group", "gender", "channel", "contact_type")
_ABOUT = {
    "nb": ["Tabellen er prikket: antall fra 1 til {low} er skjult ({symbol}), og det samme er celler som ellers "
           "kunne regnes ut fra summer (sekundærprikking).",
           "Foreldrekategorier (f.eks. vold) er summen av underkategoriene.",
           "Kilde: gjeldende etiketter – rådgivers beslutning der den finnes, ellers modellens forslag."],
    "en": ["The table is suppressed: counts from 1 to {low} are hidden ({symbol}), and so are cells that could "
           "otherwise be worked out from sums (secondary suppression).",
           "Parent categories (e.g. violence) are the sums of their sub-categories.",
           "Source: current labels – the counsellor's decision where made, else the model's suggestion."],
}


def label(code: object, lang: str = "nb") -> str:
    code = str(code)
    return _WORDS[lang].get(code) or load_taxonomy().label(code, lang)


def export_frame(table: TrendTable, lang: str = "nb") -> pd.DataFrame:
    """The table as exported: codes with their labels, counts with ``:`` where hidden."""
    if not isinstance(table, TrendTable):
        raise TypeError("only suppressed tables (TrendTable) can be exported")
    frame = table.long()
    out = pd.DataFrame(index=frame.index)
    for dim in table.dims:
        out[dim] = frame[dim].astype(str)
        if dim in _LABELLED:
            out[f"{dim}_label"] = frame[dim].map(lambda code: label(code, lang))
    for column in COUNT_COLUMNS:
        if column in frame:
            out[column] = [SUPPRESSED if pd.isna(v) else str(int(v)) for v in frame[column]]
    return out


def about(table: TrendTable, lang: str = "nb") -> list[str]:
    low = table.table.threshold
    return [line.format(low=low, symbol=SUPPRESSED) for line in _ABOUT[lang]]


def export_bytes(table: TrendTable, fmt: str, lang: str = "nb") -> bytes:
    """The export as bytes (for a download button)."""
    frame = export_frame(table, lang)
    if fmt == "csv":
        return frame.to_csv(index=False).encode("utf-8")
    if fmt == "xlsx":
        buffer = io.BytesIO()
        with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
            frame.to_excel(writer, sheet_name="data", index=False)
            pd.DataFrame({"about": about(table, lang)}).to_excel(writer, sheet_name="about", index=False)
        return buffer.getvalue()
    raise ValueError(f"unknown export format {fmt!r}: choose from {', '.join(FORMATS)}")


def format_of(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValueError(f"{path}: the file name must end in .csv or .xlsx")
    return suffix


def write_atomic(data: bytes, path: str | Path) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder: a
    crash leaves the old file or none, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_export(table: TrendTable, path: str | Path, lang: str = "nb") -> Path:
    return write_atomic(export_bytes(table, format_of(path), lang), path)
