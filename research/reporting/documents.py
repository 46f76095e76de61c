"""What ``disclosure report`` and the annual report page's download produce:
the year's report as one self-contained HTML file, audited like every export."""

from __future__ import annotations

from pathlib import Path

from research.analysis.commands import record_export
from research.analysis.export import write_atomic
from research.analysis.report import annual_report
from research.analysis.suppression import DEFAULT_THRESHOLD
from research.reporting.html_report import render_report


def write_report(store, year: int, output: str | Path, *, threshold: int = DEFAULT_THRESHOLD, lang: str = "nb",
                 username: str | None = None, via: str = "cli") -> Path:
    """Write the year's annual report as one self-contained HTML file."""
    if Path(output).suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"{output}: the report is HTML; name the file .html")
    document = report_document(store, year, threshold=threshold, lang=lang)
    path = write_atomic(document.encode("utf-8"), output)
    record_export(store, "annual_report", username=username, fmt="html", rows=0, via=via, year=year,
                  threshold=threshold)
    return path


def report_document(store, year: int, *, threshold: int = DEFAULT_THRESHOLD, lang: str = "nb") -> str:
    return render_report(annual_report(store, year, threshold), lang)
