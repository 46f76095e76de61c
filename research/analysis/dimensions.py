"""The dimensions a count table can be broken down by, with their levels and sums.

Every code comes from the taxonomy. Each dimension knows

* its SQL columns (grouped in the database) and how to turn a grouped row into
  its level (e.g. ``year`` and ``month`` into ``2024-03``, an age into every
  age group containing it, the overlapping 5–13 included);
* its full list of levels (so absent combinations count 0 and tables keep
  their shape) and which levels are sums of others: ``total`` over all,
  parent categories over their sub-categories (``vold`` is the sum of its
  sub-categories, as the report counts it), 5–13 over 5–10 and 11–13.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import ColumnElement

from research.contracts import load_taxonomy
from research.store.models import Conversation

TOTAL = "total"
UNKNOWN = "unknown"  # age or contact type not given


def categories_with_parents() -> tuple[list[str], dict[str, tuple[str, ...]]]:
    """Category levels in taxonomy order (each parent before its leaves) and the
    parents that sum several leaves."""
    tax = load_taxonomy()
    levels, parents = [], {}
    for group, members in tax.group_members.items():
        if len(members) > 1 or members[0] != group:
            levels.append(group)
            parents[group] = tuple(members)
        levels.extend(members)
    return levels, parents


def age_groups() -> tuple[list[str], dict[str, tuple[str, ...]]]:
    """Age-group levels (disjoint groups, unknown, then overlapping ones) and the
    overlapping groups as sums of the disjoint groups inside them."""
    groups = load_taxonomy().age_groups.values()
    disjoint = [g for g in groups if not g.overlapping]
    overlapping = {g.code: tuple(d.code for d in disjoint if g.min <= d.min and d.max <= g.max)
                   for g in groups if g.overlapping}
    return [*(g.code for g in disjoint), UNKNOWN, *overlapping], overlapping


def focus_age_group() -> str:
    """The age group the report gives special attention (``focus: true`` in the taxonomy)."""
    import yaml

    from research.contracts import CONTRACTS_DIR

    raw = yaml.safe_load((CONTRACTS_DIR / "taxonomy.yaml").read_text(encoding="utf-8"))
    focused = [code for code, spec in raw["age_groups"].items() if spec.get("focus")]
    if len(focused) != 1:
        raise ValueError(f"taxonomy.yaml should mark exactly one age group focus: true, found {focused}")
    return focused[0]


@dataclass(frozen=True)
class Dimension:
    name: str

    def columns(self) -> list[ColumnElement]:
        """The SQL columns grouped for this dimension (on ``conversations``)."""
        table = {
            "month": [Conversation.year.label("d_year"), Conversation.month.label("d_month")],
            "year": [Conversation.year.label("d_year")],
            "age_group": [Conversation.age.label("d_age")],
            "gender": [Conversation.gender.label("d_gender")],
            "channel": [Conversation.channel.label("d_channel")],
            "hour": [Conversation.hour.label("d_hour")],
            "contact_type": [Conversation.contact_type.label("d_contact_type")],
        }
        return table[self.name]

    def levels_of(self, frame: pd.DataFrame) -> pd.Series:
        """The (base) level of each row grouped by :meth:`columns`."""
        if self.name == "month":
            return frame["d_year"].astype(int).astype(str) + "-" + frame["d_month"].astype(int).astype(str).str.zfill(2)
        if self.name == "year":
            return frame["d_year"].astype(int).astype(str)
        if self.name == "hour":
            return frame["d_hour"].astype(int).astype(str).str.zfill(2)
        if self.name == "contact_type":
            return frame["d_contact_type"].fillna(UNKNOWN).astype(str)
        if self.name == "age_group":
            tax = load_taxonomy()
            return frame["d_age"].map(lambda age: UNKNOWN if pd.isna(age) else tax.age_group_of(int(age)) or UNKNOWN)
        return frame[f"d_{self.name}"].astype(str)

    def base_levels(self, observed: Sequence[str], year: int | None = None) -> list[str]:
        """Every level a complete table has, before sums (taxonomy order)."""
        tax = load_taxonomy()
        if self.name == "month":
            if year is not None:
                return [f"{year}-{m:02d}" for m in range(1, 13)]
            return _month_range(observed)
        if self.name == "year":
            return sorted(set(observed))
        if self.name == "hour":
            return [f"{h:02d}" for h in range(24)]
        fixed = {
            "gender": list(tax.genders),
            "channel": list(tax.channels),
            "contact_type": [*tax.contact_types, UNKNOWN],
            "category": list(tax.categories),
            "age_group": [g.code for g in tax.age_groups.values() if not g.overlapping] + [UNKNOWN],
        }
        return fixed[self.name]

    def sums(self, base: list[str]) -> dict[str, tuple[str, ...]]:
        """Levels that are sums of others, in the order they are added."""
        if self.name == "category":
            return categories_with_parents()[1]
        if self.name == "age_group":
            return {**age_groups()[1], TOTAL: tuple(base)}
        return {TOTAL: tuple(base)}

    def order(self, base: list[str]) -> list[str]:
        """Display order of all levels."""
        if self.name == "category":
            return categories_with_parents()[0]
        if self.name == "age_group":
            return [*age_groups()[0], TOTAL]
        return [*base, TOTAL]


def _month_range(observed: Sequence[str]) -> list[str]:
    if not len(observed):
        return []
    first, last = pd.Period(min(observed), "M"), pd.Period(max(observed), "M")
    return [str(p) for p in pd.period_range(first, last, freq="M")]


DIMENSIONS = ("month", "year", "category", "age_group", "gender", "channel", "hour", "contact_type")


def dimension(name: str) -> Dimension:
    if name not in DIMENSIONS:
        raise ValueError(f"unknown dimension {name!r}: choose from {', '.join(DIMENSIONS)}")
    return Dimension(name)
