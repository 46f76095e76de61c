"""The helpline's annual key-figure tables, for any year.

Each table is a :class:`~research.analysis.trends.TrendTable` (so every count
has been through suppression), in the order the report gives them:

* ``channels``: contacts by channel;
* ``gender``: contacts by channel and gender (shares within each channel);
* ``age``: contacts by channel and age group (the overlapping 5–13 too);
* ``categories_by_age``: category labels by age group (parents as the sums of
  their sub-categories, as the report counts ``vold``);
* ``focus``: the focus age group's (11–13) breakdown by category — rows of
  ``categories_by_age``, so both hide the same cells;
* ``hours``: contacts by channel and hour of the day.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from research.analysis.dimensions import TOTAL, focus_age_group
from research.analysis.suppression import COUNT, DEFAULT_THRESHOLD
from research.analysis.trends import Filters, TrendTable, trend_table, trend_tables

TABLES = {  # name -> the dimensions it is broken down by
    "channels": ("channel",),
    "gender": ("channel", "gender"),
    "age": ("channel", "age_group"),
    "categories_by_age": ("category", "age_group"),
    "hours": ("channel", "hour"),
}


@dataclass(frozen=True)
class AnnualReport:
    year: int
    threshold: int
    tables: dict[str, TrendTable]
    focus_group: str

    @property
    def focus(self) -> pd.DataFrame:
        """The focus age group's category labels: ``category``, ``count``,
        ``human``, ``machine``, ``human_share``."""
        frame = self.tables["categories_by_age"].long()
        chosen = frame[frame["age_group"] == self.focus_group].drop(columns="age_group")
        return chosen.reset_index(drop=True)

    @property
    def contacts(self) -> object:
        """All contacts of the year (``<NA>`` if hidden, which only a tiny year can be)."""
        frame = self.tables["channels"].long()
        return frame.loc[frame["channel"] == TOTAL, COUNT].iloc[0]


def annual_report(store, year: int, threshold: int = DEFAULT_THRESHOLD) -> AnnualReport:
    """Every table of the year's report: the contact tables from one grouped
    query, the category table from another."""
    filters = Filters(year=year)
    contact_tables = [name for name, by in TABLES.items() if "category" not in by]
    tables = dict(zip(contact_tables, trend_tables(store, [TABLES[n] for n in contact_tables], filters, threshold),
                      strict=True))
    tables["categories_by_age"] = trend_table(store, TABLES["categories_by_age"], filters, threshold)
    return AnnualReport(year, threshold, {name: tables[name] for name in TABLES}, focus_age_group())


def shares(table: TrendTable, within: str) -> pd.DataFrame:
    """Each count as a share of its ``within`` total (e.g. gender shares per
    channel: ``within="gender"``), where both counts are shown."""
    frame = table.long()
    rest = [d for d in table.dims if d != within]
    totals = frame[frame[within] == TOTAL][[*rest, COUNT]].rename(columns={COUNT: "_total"})
    merged = frame.merge(totals, on=rest) if rest else frame.assign(_total=totals[COUNT].iloc[0])
    total = merged["_total"].astype("Float64")
    merged["share"] = merged[COUNT].astype("Float64") / total.where(total > 0)
    return merged.drop(columns="_total")


def available_years(store) -> list[int]:
    """The years the store holds conversations from, newest first."""
    from sqlalchemy import select

    from research.store.models import Conversation

    with store.engine.connect() as conn:
        return sorted(conn.scalars(select(Conversation.year).distinct()), reverse=True)


def focus_breakdown(store, filters: Filters | None = None, group: str | None = None,
                    threshold: int = DEFAULT_THRESHOLD) -> pd.DataFrame:
    """Per category: labels in the focus age group and in all ages, each also as
    a share of that group's contacts (where both counts are shown)."""
    filters = filters or Filters()
    group = group or focus_age_group()
    labels = trend_table(store, ["category", "age_group"], filters, threshold).long()
    contacts = trend_table(store, ["age_group"], Filters(**{**filters.active(), "category": None}), threshold).long()
    contacts = contacts.set_index("age_group")[COUNT]
    out = pd.DataFrame({"category": labels["category"].unique()})
    for name, level in (("group", group), ("all", TOTAL)):
        counts = labels[labels["age_group"] == level].set_index("category")[COUNT]
        out[name] = out["category"].map(counts).astype("Int64")
        denominator = contacts.get(level)
        denominator = float(denominator) if denominator is not None and not pd.isna(denominator) and denominator else None
        out[f"{name}_share"] = out[name].astype("Float64") / denominator if denominator else pd.NA
    return out
