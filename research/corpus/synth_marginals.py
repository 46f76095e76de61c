"""Who contacts the helpline, when, and about what: the report's marginals as samplers.

:class:`Marginals` reads ``data_contracts/helpline_report_2024.yaml`` and
checks it against the taxonomy; :class:`MetadataSampler` draws one
conversation's metadata (channel, contact type, age, gender, start time,
categories) from it with the conversation's own ``random.Random``. Drawing
metadata first, from the same stream the text is drawn from afterwards, is
what lets :func:`research.corpus.synth.generate_metadata` reproduce the full
generator's metadata without writing any text.
"""

from __future__ import annotations

import bisect
import calendar
import random
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

import yaml

from research.contracts import CONTRACTS_DIR, Taxonomy, load_taxonomy

REPORT_FILE = CONTRACTS_DIR / "helpline_report_2024.yaml"
ADULT_CONTACTS = ("voksen", "annen")  # contact types whose age is null and who have their own topic table
UNKNOWN_AGE = "unknown_age"


class MarginalsError(ValueError):
    """The marginals file is inconsistent with itself or with the taxonomy."""


class Weighted:
    """Draw one of several values in proportion to weights (cumulative table + bisect)."""

    __slots__ = ("values", "_cum", "_total")

    def __init__(self, table: dict) -> None:
        items = [(value, float(weight)) for value, weight in table.items() if weight > 0]
        if not items:
            raise MarginalsError(f"no positive weight in {table!r}")
        self.values = tuple(value for value, _ in items)
        cum, total = [], 0.0
        for _, weight in items:
            total += weight
            cum.append(total)
        self._cum = cum
        self._total = total

    def draw(self, rng: random.Random):
        return self.values[bisect.bisect_right(self._cum, rng.random() * self._total)]

    def shares(self) -> dict:
        previous, out = 0.0, {}
        for value, cum in zip(self.values, self._cum, strict=True):
            out[value] = (cum - previous) / self._total
            previous = cum
        return out


@dataclass(frozen=True)
class TopicTable:
    """Category prevalence of one contact group, drawn exactly in expectation.

    A main topic is drawn in proportion to the counts (share pi); every other
    category is then added with probability (p - pi) / (1 - pi), so that each
    category's expected share of conversations is p = count / contacts.
    """

    main: Weighted
    extra: tuple[tuple[str, float], ...]  # (code, probability of being added), taxonomy order
    prevalence: dict[str, float]

    @classmethod
    def from_counts(cls, group: str, contacts: float, counts: dict[str, float]) -> TopicTable:
        total = sum(counts.values())
        if total < contacts:
            raise MarginalsError(f"categories.{group}: counts sum to {total}, fewer than the {contacts} contacts")
        extra = []
        for code, count in counts.items():
            if count > contacts:
                raise MarginalsError(f"categories.{group}.{code}: {count} is more than the {contacts} contacts")
            p, pi = count / contacts, count / total
            extra.append((code, (p - pi) / (1 - pi) if pi < 1 else 0.0))
        return cls(Weighted(counts), tuple(extra), {code: c / contacts for code, c in counts.items()})

    def draw(self, rng: random.Random) -> tuple[str, ...]:
        main = self.main.draw(rng)
        return (main, *(code for code, q in self.extra if code != main and q > 0 and rng.random() < q))


@dataclass(frozen=True)
class Window:
    """A channel's opening hours with relative weights per clock hour."""

    hours: Weighted
    open_minute: int  # minutes after midnight
    close_minute: int

    def draw(self, rng: random.Random) -> tuple[int, int]:
        hour = self.hours.draw(rng)
        low = max(hour * 60, self.open_minute)
        high = min(hour * 60 + 59, self.close_minute)
        minute = rng.randint(low, high)
        return divmod(minute, 60)


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


@dataclass(frozen=True)
class Marginals:
    year: int
    channels: Weighted
    contact_types: dict[str, Weighted]
    genders: dict[str, Weighted]
    adult_gender: str
    unknown_age: dict[str, float]
    ages: dict[str, Weighted]
    chat_share_5_13: float
    chat_mode_band: tuple[int, int]
    months: Weighted
    windows: dict[str, Window]
    topics: dict[str, TopicTable]
    disclosure: dict
    raw: dict

    @classmethod
    def from_yaml(cls, path: Path, tax: Taxonomy) -> Marginals:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        channels = raw["channels"]
        _only(channels, tax.channels, "channels", path)
        for table in raw["contact_type"].values():
            _only(table, tax.contact_types, "contact_type", path)
        for table in raw["gender"].values():
            _only(table, tax.genders, "gender", path)
        for group, spec in raw["categories"].items():
            _only(spec["counts"], tax.categories, f"categories.{group}", path)
        needed = [g.code for g in tax.age_groups.values() if not g.overlapping] + [UNKNOWN_AGE, *ADULT_CONTACTS]
        missing = [group for group in needed if group not in raw["categories"]]
        if missing:
            raise MarginalsError(f"{path}: categories has no table for {missing}")
        windows = {}
        for channel, spec in raw["start_times"].items():
            open_m, close_m = _minutes(spec["open"]), _minutes(spec["close"])
            hours = {h: w for h, w in spec["hours"].items() if open_m // 60 <= h <= close_m // 60}
            windows[channel] = Window(Weighted(hours), open_m, close_m)
        for channel in channels:
            for section in ("contact_type", "gender", "start_times"):
                if channel not in raw[section]:
                    raise MarginalsError(f"{path}: {section} has no entry for channel {channel!r}")
        return cls(
            year=raw["year"],
            channels=Weighted(channels),
            contact_types={ch: Weighted(t) for ch, t in raw["contact_type"].items()},
            genders={ch: Weighted(t) for ch, t in raw["gender"].items()},
            adult_gender=raw["adult_gender"],
            unknown_age=raw["age"]["unknown"],
            ages={ch: Weighted({int(a): w for a, w in t.items()}) for ch, t in raw["age"]["distribution"].items()},
            chat_share_5_13=raw["age"]["chat_share_5_13"],
            chat_mode_band=tuple(raw["age"]["chat_mode_band"]),
            months=Weighted({int(m): w for m, w in raw["months"].items()}),
            windows=windows,
            topics={g: TopicTable.from_counts(g, s["contacts"], s["counts"]) for g, s in raw["categories"].items()},
            disclosure=raw["disclosure"],
            raw=raw,
        )


def _only(table: dict, known: dict, what: str, path: Path) -> None:
    unknown = [code for code in table if code not in known]
    if unknown:
        raise MarginalsError(f"{path}: {what}: unknown codes {unknown}")


@cache
def load_marginals(path: Path = REPORT_FILE) -> Marginals:
    return Marginals.from_yaml(path, load_taxonomy())


@dataclass(frozen=True)
class Metadata:
    """One conversation's metadata; ``categories`` starts with the main topic."""

    channel: str
    contact_type: str
    age: int | None
    gender: str
    started_at: datetime
    categories: tuple[str, ...]

    @property
    def adult(self) -> bool:
        return self.contact_type in ADULT_CONTACTS


class MetadataSampler:
    """Draws metadata from the marginals; the order of draws is part of the seed contract."""

    def __init__(self, marginals: Marginals, tax: Taxonomy) -> None:
        self.m = marginals
        self.tax = tax
        self._days = {}

    def topic_group(self, contact_type: str, age: int | None) -> str:
        if contact_type in ADULT_CONTACTS:
            return contact_type
        return self.tax.age_group_of(age) or UNKNOWN_AGE

    def started_at(self, rng: random.Random, channel: str, year: int) -> datetime:
        month = self.m.months.draw(rng)
        days = self._days.get((year, month)) or self._days.setdefault((year, month), calendar.monthrange(year, month)[1])
        day = rng.randint(1, days)
        hour, minute = self.m.windows[channel].draw(rng)
        return datetime(year, month, day, hour, minute)

    def sample(self, rng: random.Random, year: int) -> Metadata:
        m = self.m
        channel = m.channels.draw(rng)
        contact_type = m.contact_types[channel].draw(rng)
        if contact_type in ADULT_CONTACTS:
            age, gender = None, m.adult_gender
        else:
            age = None if rng.random() < m.unknown_age[channel] else m.ages[channel].draw(rng)
            gender = m.genders[channel].draw(rng)
        started = self.started_at(rng, channel, year)
        categories = m.topics[self.topic_group(contact_type, age)].draw(rng)
        return Metadata(channel, contact_type, age, gender, started, categories)
