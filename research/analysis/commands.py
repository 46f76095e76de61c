"""What ``disclosure export trends`` does, and the audit entry every export
leaves (from the command line or the app; the annual report document too)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from research.analysis.export import export_bytes, format_of, write_atomic
from research.analysis.suppression import DEFAULT_THRESHOLD
from research.analysis.trends import Filters, TrendTable, trend_table


def parse_dimensions(text: str) -> list[str]:
    """``month,category,age_group`` -> the dimension names (validated)."""
    from research.analysis.dimensions import dimension

    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise ValueError("give at least one dimension, e.g. --by month,category")
    for name in names:
        dimension(name)
    return names


def record_export(store, what: str, *, username: str | None, fmt: str, rows: int, via: str,
                  by: Sequence[str] = (), year: int | None = None, threshold: int = DEFAULT_THRESHOLD) -> None:
    """One audit entry per export: what, in which format, how many rows, by whom."""
    from research.store import AuditAction

    detail = {"table": what, "format": fmt, "rows": rows, "via": via, "threshold": threshold}
    if by:
        detail["by"] = list(by)
    if year is not None:
        detail["year"] = year
    store.audit.record(AuditAction.export, username, **detail)


def export_trends(store, by: Sequence[str], output: str | Path, *, year: int | None = None,
                  threshold: int = DEFAULT_THRESHOLD, lang: str = "nb", username: str | None = None,
                  via: str = "cli") -> TrendTable:
    """Write the suppressed trend table by ``by`` to ``output`` (.csv or .xlsx)."""
    fmt = format_of(output)
    table = trend_table(store, by, Filters(year=year), threshold)
    write_atomic(export_bytes(table, fmt, lang), output)
    record_export(store, "trends", username=username, fmt=fmt, rows=len(table.long()), via=via, by=by, year=year,
                  threshold=threshold)
    return table
