"""The annual report as one self-contained HTML file.

Tables come from :func:`~research.analysis.report.annual_report` (suppressed;
``:`` where hidden). Charts are static PNGs drawn with matplotlib's Agg
backend from the same suppressed numbers (a hidden count is a missing bar)
and embedded as base64, so the file opens anywhere with no network: no CDN,
no scripts, no external fonts.
"""

from __future__ import annotations

import base64
import html
import io
from datetime import UTC, datetime

import pandas as pd

from research.analysis.dimensions import TOTAL
from research.analysis.export import label
from research.analysis.report import AnnualReport, shares
from research.analysis.suppression import COUNT, SUPPRESSED

TEXT = {
    "nb": {
        "title": "Årsrapport {year}: nøkkeltall",
        "generated": "Laget {at}. Prikket: antall fra 1 til {low} er skjult ({symbol}), og det samme er celler "
                     "som ellers kunne regnes ut fra summer.",
        "sources": "Tallene bygger på gjeldende etiketter: rådgivers beslutning der den finnes, ellers modellens "
                   "forslag. Andel bestemt av rådgiver: {share}.",
        "channels": "Kontakter etter kanal",
        "gender": "Kjønn etter kanal (andel av kanalens kontakter)",
        "age": "Alder etter kanal",
        "categories_by_age": "Tema etter aldersgruppe",
        "focus": "Tema for {group}",
        "hours": "Kontakter etter tid på døgnet",
        "count": "Antall",
        "share": "Andel",
        "human": "Bestemt av rådgiver",
        "machine": "Maskinforslag",
        "hour": "Time",
        "note_vold": "«Vold og overgrep» er summen av underkategoriene, slik rapporten teller.",
        "unknown": "ukjent",
    },
    "en": {
        "title": "Annual report {year}: key figures",
        "generated": "Made {at}. Suppressed: counts from 1 to {low} are hidden ({symbol}), and so are cells that "
                     "could otherwise be worked out from sums.",
        "sources": "The figures use the current labels: the counsellor's decision where made, else the model's "
                   "suggestion. Share decided by counsellors: {share}.",
        "channels": "Contacts by channel",
        "gender": "Gender by channel (share of the channel's contacts)",
        "age": "Age by channel",
        "categories_by_age": "Topics by age group",
        "focus": "Topics for {group}",
        "hours": "Contacts by time of day",
        "count": "Count",
        "share": "Share",
        "human": "Decided by a counsellor",
        "machine": "Machine suggestion",
        "hour": "Hour",
        "note_vold": "“Violence and abuse” is the sum of its sub-categories, as the report counts it.",
        "unknown": "unknown",
    },
}

_STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;color:#1d2733}
h1{font-size:1.6em} h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccd} p.note{color:#556}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0} th,td{border:1px solid #dde;padding:2px 6px}
td{text-align:right} th{background:#f3f5f8;text-align:left} img{max-width:100%}
"""


def _png(figure) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(figure)
    return f'<img alt="" src="data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode("ascii")}">'


def _bars(values: pd.Series, title: str, *, horizontal: bool = False, percent: bool = False) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    height = max(2.5, 0.28 * len(numbers)) if horizontal else 3.2
    figure, axes = plt.subplots(figsize=(8, height))
    positions = range(len(numbers))
    if horizontal:
        axes.barh(positions, numbers.fillna(0).to_numpy(), color="#3b6ea5")
        axes.set_yticks(list(positions), [str(i) for i in numbers.index])
        axes.invert_yaxis()
    else:
        axes.bar(positions, numbers.fillna(0).to_numpy(), color="#3b6ea5")
        axes.set_xticks(list(positions), [str(i) for i in numbers.index], rotation=45 if len(numbers) > 8 else 0,
                        ha="right" if len(numbers) > 8 else "center")
    if percent:
        (axes.xaxis if horizontal else axes.yaxis).set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    axes.set_title(title, fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def _table_html(frame: pd.DataFrame) -> str:
    return frame.to_html(escape=True, na_rep=SUPPRESSED, border=0)


def _labelled(wide: pd.DataFrame, lang: str) -> pd.DataFrame:
    wide = wide.copy()
    wide.index = [label(i, lang) for i in wide.index]
    wide.columns = [label(c, lang) for c in wide.columns]
    return wide


def _count(value) -> str:
    return SUPPRESSED if pd.isna(value) else str(int(value))


def _percent(value) -> str:
    return SUPPRESSED if pd.isna(value) else f"{float(value):.0%}"


def _without_total(series: pd.Series) -> pd.Series:
    return series[series.index != TOTAL]


def render_report(report: AnnualReport, lang: str = "nb") -> str:
    """The report as an HTML document (a string)."""
    text = TEXT[lang]
    group = label(report.focus_group, lang)
    parts = [f"<h1>{html.escape(text['title'].format(year=report.year))}</h1>",
             f"<p class='note'>{html.escape(text['generated'].format(at=datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC'), low=report.threshold, symbol=SUPPRESSED))}</p>"]
    categories = report.tables["categories_by_age"].long()
    overall = categories[categories["age_group"] == TOTAL]
    human, counted = overall["human"].astype("Float64").sum(), overall["count"].astype("Float64").sum()
    parts.append(f"<p class='note'>{html.escape(text['sources'].format(share=_percent(human / counted if counted else None)))}</p>")

    channels = report.tables["channels"].long().set_index("channel")[COUNT]
    parts += [_section(text["channels"]), _table_html(_labelled(channels.map(_count).to_frame(text["count"]).T, lang)),
              _bars(_without_total(channels).rename(index=lambda c: label(c, lang)), text["channels"])]

    gender = shares(report.tables["gender"], "gender")
    gender_wide = gender.pivot(index="gender", columns="channel", values="share")
    gender_wide = gender_wide.reindex(index=gender["gender"].unique(), columns=gender["channel"].unique())
    parts += [_section(text["gender"]), _table_html(_labelled(gender_wide.map(_percent), lang)),
              _bars(_without_total(gender_wide[TOTAL]).rename(index=lambda c: label(c, lang)), text["gender"],
                    percent=True)]

    age = report.tables["age"]
    age_wide = age.wide("age_group", "channel")
    age_total = age.long().set_index(["channel", "age_group"])[COUNT].loc[TOTAL]
    parts += [_section(text["age"]), _table_html(_labelled(age_wide, lang)),
              _bars(_without_total(age_total).rename(index=lambda c: label(c, lang)), text["age"])]

    by_age = report.tables["categories_by_age"].wide("category", "age_group")
    parts += [_section(text["categories_by_age"]), f"<p class='note'>{html.escape(text['note_vold'])}</p>",
              _table_html(_labelled(by_age, lang))]

    focus = report.focus.set_index("category")
    focus_table = pd.DataFrame({text["count"]: focus[COUNT], text["human"]: focus["human"],
                                text["machine"]: focus["machine"]}).map(_count)
    focus_table.index = [label(c, lang) for c in focus_table.index]
    parts += [_section(text["focus"].format(group=group)), _table_html(focus_table),
              _bars(focus[COUNT].rename(index=lambda c: label(c, lang)), text["focus"].format(group=group),
                    horizontal=True)]

    hours = report.tables["hours"]
    hours_total = hours.long().set_index(["channel", "hour"])[COUNT].loc[TOTAL]
    parts += [_section(text["hours"]), _table_html(_labelled(hours.wide("channel", "hour"), lang)),
              _bars(_without_total(hours_total), text["hours"])]
    title = html.escape(text["title"].format(year=report.year))
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>"
            f"<style>{_STYLE}</style></head><body>{''.join(parts)}</body></html>")


def _section(title: str) -> str:
    return f"<h2>{html.escape(title)}</h2>"
