"""Disclosure precursors: which counsellor moves come before a disclosure.

Labels are the current ones (a counsellor's decision where made, the model's
suggestion elsewhere); conversations never classified nor reviewed are left out.
The counting runs in the database, driven by the conversations with a
disclosure label (one pass), joining only the moves inside each window.

**Odds ratios** (:func:`precursor_odds`). For each counsellor move, a 2×2
table of conversations: with or without a disclosure, against whether the
move occurs in the *window* — the ``k`` messages before a reference message:

* with a disclosure, the reference is the disclosure message itself;
* without one, it is the message at the same relative position where
  disclosures happen in the same conversations: ``round(ρ·(n−1))`` for a
  conversation of ``n`` messages, ``ρ`` the median relative position
  ``turn/(n−1)`` of the disclosures counted. So both groups are looked at
  over an equally long stretch at a comparable point of the conversation,
  and the odds ratio is not inflated by longer conversations having more moves.

Odds ratios carry Woolf 95 % intervals (Haldane–Anscombe when a cell is 0),
by age group.

**Share within k** (:func:`disclosure_within_k`). For each counsellor move,
among the conversations where it occurs before the first disclosure (or at all,
when there is none), the share where a disclosure follows within the next
``k`` messages of an occurrence.

All counts pass :func:`~research.analysis.suppression.suppress`; an odds ratio
or share is given only where every count it is computed from is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np
import pandas as pd
from sqlalchemy import Integer, and_, case, cast, func, literal, or_, select

from research.analysis.dimensions import TOTAL, dimension
from research.analysis.odds import odds_ratios
from research.analysis.queries import bit_or, current_disclosures, present_moves_near
from research.analysis.suppression import COUNT, DEFAULT_THRESHOLD, SuppressedTable, suppress
from research.analysis.trends import Filters, _conditions
from research.contracts import load_taxonomy
from research.store.models import Conversation

DEFAULT_K = 3
YES, NO = "yes", "no"


@dataclass(frozen=True)
class PrecursorOdds:
    """Per move and age group: the suppressed 2×2 counts and the odds ratios."""

    counts: SuppressedTable  # move x age_group x disclosed (yes/no/total) x present (yes/no/total)
    odds: pd.DataFrame  # move, age_group, a, b, c, d, estimate, low, high, corrected
    k: int
    reference_position: float  # ρ


@dataclass(frozen=True)
class WithinK:
    counts: SuppressedTable  # move x age_group x followed (yes/no/total)
    shares: pd.DataFrame  # move, age_group, followed, occurrences, share
    k: int


def counsellor_moves() -> list[str]:
    return load_taxonomy().moves_for("counsellor")


def _age_rows(frame: pd.DataFrame) -> pd.Series:
    return dimension("age_group").levels_of(frame)


# --------------------------------------------------------------------------- SQL


def _driver(filters: Filters):
    """Conversations with a current disclosure label, with their age and length."""
    return current_disclosures([Conversation.age.label("d_age"), Conversation.n_messages.label("n_messages")],
                               _conditions(filters))


@dataclass(frozen=True)
class MoveCounts:
    """What both statistics are computed from, counted in two queries.

    ``groups``: conversations per ``turn`` (null: no disclosure), length and age.
    ``moves``: per counsellor move, disclosure (yes/no) and age, the distinct
    conversations with the move in the window (``window``), before the
    disclosure or anywhere without one (``eligible``), and within ``k`` before
    the disclosure (``followed``)."""

    groups: pd.DataFrame
    moves: pd.DataFrame
    rho: float
    k: int


def _rho(groups: pd.DataFrame) -> float:
    disclosed = groups[groups["turn"].notna()]
    if disclosed.empty:
        return 0.5
    relative = (disclosed["turn"] / (disclosed["n_messages"] - 1).clip(lower=1)).to_numpy()
    order = np.argsort(relative, kind="stable")
    cumulative = disclosed[COUNT].to_numpy()[order].cumsum()
    return float(relative[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


def move_counts(store, filters: Filters | None = None, k: int = DEFAULT_K) -> MoveCounts:
    """Count in the database: one pass over the conversations with a disclosure
    label for ρ and the group sizes, one over the moves before each reference."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    driver = _driver(filters or Filters())
    grouped = (select(driver.c.turn, driver.c.n_messages, driver.c.d_age, func.count().label(COUNT))
               .group_by(driver.c.turn, driver.c.n_messages, driver.c.d_age))
    with store.engine.connect() as conn:
        groups = pd.read_sql(grouped, conn)
        rho = _rho(groups)
        profiles = pd.read_sql(_move_profiles(driver, rho, k), conn)
    return MoveCounts(groups, _decode_profiles(profiles), rho, k)


def _move_profiles(driver, rho: float, k: int):
    """Conversations counted by (disclosure yes/no, age, which moves occur before
    the disclosure, which in the window): each set of moves a bit mask, OR-ed
    per conversation. The database groups the moves by conversation as it reads
    them and sorts only one row per conversation, not one per move."""
    codes = counsellor_moves()
    if len(codes) > 62:  # the masks are 64-bit signed integers
        raise ValueError(f"{len(codes)} counsellor moves do not fit one bit mask of 62")
    turn = driver.c.turn
    reference = case((turn.is_not(None), turn),
                     else_=cast(func.round(literal(rho) * (driver.c.n_messages - 1)), Integer))
    moves = present_moves_near(driver, lambda index: or_(turn.is_(None), index < turn), codes,
                               [_disclosed(driver).label("disclosed"), driver.c.d_age, reference.label("reference")])
    bit = case({code: 1 << i for i, code in enumerate(codes)}, value=moves.c.code)
    index = moves.c.message_index
    window = and_(index >= moves.c.reference - k, index < moves.c.reference)
    per_conversation = (
        select(moves.c.disclosed, moves.c.d_age, bit_or(bit).label("eligible"),
               bit_or(case((window, bit))).label("window"))
        .group_by(moves.c.conversation_id, moves.c.disclosed, moves.c.d_age).subquery())
    c = per_conversation.c
    return (select(c.disclosed, c.d_age, c.eligible, c.window, func.count().label(COUNT))
            .group_by(c.disclosed, c.d_age, c.eligible, c.window))


def _decode_profiles(profiles: pd.DataFrame) -> pd.DataFrame:
    """Per move, disclosure and age: conversations with the move before the
    disclosure or anywhere without one (``eligible``), in the window
    (``window``), and within k before the disclosure (``followed``: the window
    of a conversation with a disclosure ends at it)."""
    eligible = profiles["eligible"].fillna(0).astype("int64").to_numpy()
    window = profiles["window"].fillna(0).astype("int64").to_numpy()
    disclosed = (profiles["disclosed"] == YES).to_numpy()
    n = profiles[COUNT].to_numpy()
    rows = []
    for i, code in enumerate(counsellor_moves()):
        has, near = (eligible >> i) & 1 == 1, (window >> i) & 1 == 1
        rows.append(pd.DataFrame({"move": code, "disclosed": profiles["disclosed"], "d_age": profiles["d_age"],
                                  "window": np.where(near, n, 0), "eligible": np.where(has, n, 0),
                                  "followed": np.where(near & disclosed, n, 0)})[has])
    keys = ["move", "disclosed", "d_age"]
    if not rows:
        return pd.DataFrame(columns=[*keys, "window", "eligible", "followed"])
    return pd.concat(rows, ignore_index=True).groupby(keys, as_index=False, dropna=False).sum()


def reference_position(store, filters: Filters | None = None) -> float:
    """ρ: the median relative position of disclosures (0.5 when there are none)."""
    driver = _driver(filters or Filters())
    grouped = (select(driver.c.turn, driver.c.n_messages, func.count().label(COUNT))
               .where(driver.c.turn.is_not(None)).group_by(driver.c.turn, driver.c.n_messages))
    with store.engine.connect() as conn:
        return _rho(pd.read_sql(grouped, conn))


def _disclosed(driver):
    return case((driver.c.turn.is_not(None), literal(YES)), else_=literal(NO))


# --------------------------------------------------------------------------- tables


def _by_age(frame: pd.DataFrame, keys: list[str], value_columns: list[str]) -> pd.DataFrame:
    frame = frame.assign(age_group=_age_rows(frame)) if len(frame) else frame.assign(age_group=[])
    return frame.groupby([*keys, "age_group"], as_index=False)[value_columns].sum()


def _age_levels() -> tuple[list[str], list[str], dict[str, tuple[str, ...]]]:
    """Age groups: the base levels counted, every level in display order, the sums."""
    age = dimension("age_group")
    base = age.base_levels([])
    return base, age.order(base), age.sums(base)


def _add_age_sums(frame: pd.DataFrame, keys: list[str], values: list[str]) -> pd.DataFrame:
    for level, parts in _age_levels()[2].items():
        part = frame[frame["age_group"].isin(parts)].groupby(keys, as_index=False)[values].sum()
        frame = pd.concat([frame, part.assign(age_group=level)], ignore_index=True)
    return frame


def precursor_odds(store, filters: Filters | None = None, *, k: int = DEFAULT_K,
                   threshold: int = DEFAULT_THRESHOLD, counts: MoveCounts | None = None) -> PrecursorOdds:
    """Odds ratios per counsellor move and age group (see the module docstring).
    ``counts``: from :func:`move_counts`, to share one pass with :func:`disclosure_within_k`."""
    counts = counts or move_counts(store, filters, k)
    k = counts.k
    groups = counts.groups.assign(disclosed=np.where(counts.groups["turn"].notna(), YES, NO))
    with_move = counts.moves.rename(columns={"window": COUNT})
    base, ages, age_sums = _age_levels()
    n = _by_age(groups, ["disclosed"], [COUNT]).rename(columns={COUNT: "n"})
    n = _complete(n, {"disclosed": [YES, NO], "age_group": base}, ["n"])
    n = _add_age_sums(n, ["disclosed"], ["n"])
    present = _by_age(with_move, ["move", "disclosed"], [COUNT])
    present = _complete(present, {"move": counsellor_moves(), "disclosed": [YES, NO], "age_group": base},
                        [COUNT])
    present = _add_age_sums(present, ["move", "disclosed"], [COUNT])
    cube = present.merge(n, on=["disclosed", "age_group"])
    cube = pd.concat([
        cube.assign(present=YES)[["move", "age_group", "disclosed", "present", COUNT]],
        cube.assign(present=NO, **{COUNT: cube["n"] - cube[COUNT]})[["move", "age_group", "disclosed", "present",
                                                                     COUNT]],
        cube.assign(present=TOTAL, **{COUNT: cube["n"]})[["move", "age_group", "disclosed", "present", COUNT]],
    ], ignore_index=True)
    both = cube.groupby(["move", "age_group", "present"], as_index=False)[COUNT].sum().assign(disclosed=TOTAL)
    cube = pd.concat([cube, both[cube.columns]], ignore_index=True)
    cube = _ordered(cube, {"move": counsellor_moves(), "age_group": ages, "disclosed": [YES, NO, TOTAL],
                           "present": [YES, NO, TOTAL]})
    groups_table = _group_sizes(n, threshold)
    hide, keep = _links(groups_table, counsellor_moves())
    table = suppress(cube, threshold, hide=hide, keep=keep, sums={
        "age_group": age_sums, "disclosed": {TOTAL: (YES, NO)}, "present": {TOTAL: (YES, NO)}})
    return PrecursorOdds(table, _odds_table(table), k, counts.rho)


def precursor_analysis(store, filters: Filters | None = None, *, k: int = DEFAULT_K,
                       threshold: int = DEFAULT_THRESHOLD) -> tuple[PrecursorOdds, WithinK]:
    """Both statistics from one counting pass (what the Disclosure page shows)."""
    counts = move_counts(store, filters, k)
    return (precursor_odds(store, k=k, threshold=threshold, counts=counts),
            disclosure_within_k(store, k=k, threshold=threshold, counts=counts))


def _group_sizes(n: pd.DataFrame, threshold: int) -> SuppressedTable:
    """Conversations with and without a disclosure per age group: the margins
    every move's 2×2 shares, suppressed once so all moves hide the same ones."""
    _, ages, sums = _age_levels()
    table = n.rename(columns={"n": COUNT})
    total = table.groupby("age_group", as_index=False)[COUNT].sum().assign(disclosed=TOTAL)
    table = _ordered(pd.concat([table, total[table.columns]], ignore_index=True),
                     {"disclosed": [YES, NO, TOTAL], "age_group": ages})
    return suppress(table, threshold, sums={"age_group": sums, "disclosed": {TOTAL: (YES, NO)}})


def _links(groups: SuppressedTable, moves: list[str]) -> tuple[list[tuple], list[tuple]]:
    hide, keep = [], []
    for row in groups.frame.itertuples(index=False):
        for move in moves:
            cell = (move, row.age_group, row.disclosed, TOTAL)
            (hide if row.suppressed else keep).append(cell)
    return hide, keep


def _odds_table(counts: SuppressedTable) -> pd.DataFrame:
    frame = counts.frame
    cells = frame[frame["disclosed"].isin([YES, NO]) & frame["present"].isin([YES, NO])]
    wide = cells.pivot(index=["move", "age_group"], columns=["disclosed", "present"], values=COUNT)
    table = pd.DataFrame({"a": wide[(YES, YES)], "b": wide[(YES, NO)], "c": wide[(NO, YES)], "d": wide[(NO, NO)]})
    table = table.reindex(frame[["move", "age_group"]].drop_duplicates().set_index(["move", "age_group"]).index)
    # an odds ratio needs every cell shown, conversations in both groups, and the
    # move both present and absent somewhere (else it says nothing)
    filled = table.fillna(-1)
    shown = (table.notna().all(axis=1) & (filled.a + filled.b > 0) & (filled.c + filled.d > 0)
             & (filled.a + filled.c > 0) & (filled.b + filled.d > 0)).to_numpy()
    result = {name: np.full(len(table), np.nan) for name in ("estimate", "low", "high")}
    corrected = np.zeros(len(table), dtype=bool)
    if shown.any():
        values = table[shown].astype(float).to_numpy().T
        ratios = odds_ratios(*values)
        for name in result:
            result[name][shown] = ratios[name]
        corrected[shown] = ratios["corrected"]
    out = table.reset_index().assign(**result, corrected=corrected)
    return out


def disclosure_within_k(store, filters: Filters | None = None, *, k: int = DEFAULT_K,
                        threshold: int = DEFAULT_THRESHOLD, counts: MoveCounts | None = None) -> WithinK:
    """Per counsellor move and age group: the share of the conversations where it
    occurs (before any disclosure) in which a disclosure follows within ``k`` messages."""
    counts = counts or move_counts(store, filters, k)
    k = counts.k
    raw = counts.moves.rename(columns={"eligible": "total", "followed": YES})
    base, ages, sums = _age_levels()
    counts = _by_age(raw, ["move"], ["total", YES])
    counts = _complete(counts, {"move": counsellor_moves(), "age_group": base}, ["total", YES])
    counts = _add_age_sums(counts, ["move"], ["total", YES])
    cube = pd.concat([
        counts.assign(followed=YES, **{COUNT: counts[YES]}),
        counts.assign(followed=NO, **{COUNT: counts["total"] - counts[YES]}),
        counts.assign(followed=TOTAL, **{COUNT: counts["total"]}),
    ], ignore_index=True)[["move", "age_group", "followed", COUNT]]
    cube = _ordered(cube, {"move": counsellor_moves(), "age_group": ages, "followed": [YES, NO, TOTAL]})
    table = suppress(cube, threshold, sums={"age_group": sums, "followed": {TOTAL: (YES, NO)}})
    wide = table.frame.pivot(index=["move", "age_group"], columns="followed", values=COUNT)
    wide = wide.reindex(table.frame[["move", "age_group"]].drop_duplicates().set_index(["move", "age_group"]).index)
    total = wide[TOTAL].astype("Float64")
    shares = pd.DataFrame({"followed": wide[YES], "occurrences": wide[TOTAL],
                           "share": wide[YES].astype("Float64") / total.where(total > 0)}).reset_index()
    return WithinK(table, shares, k)


def _complete(frame: pd.DataFrame, levels: dict[str, list[str]], values: list[str]) -> pd.DataFrame:
    full = pd.DataFrame(list(product(*levels.values())), columns=list(levels))
    merged = full.merge(frame, on=list(levels), how="left")
    merged[values] = merged[values].fillna(0).astype("int64")
    return merged


def _ordered(frame: pd.DataFrame, orders: dict[str, list[str]]) -> pd.DataFrame:
    keys = {f"_k_{d}": frame[d].map({level: i for i, level in enumerate(order)}) for d, order in orders.items()}
    return (frame.assign(**keys).sort_values(list(keys), kind="stable").drop(columns=list(keys))
            .reset_index(drop=True))


# --------------------------------------------------------------------------- sequences


def disclosure_conversations(store, filters: Filters | None = None, *, limit: int = 200) -> list[str]:
    """Ids of conversations whose current label has a disclosure (newest first)."""
    driver = current_disclosures([Conversation.started_at.label("started_at")], _conditions(filters or Filters()))
    query = (select(driver.c.conversation_id).where(driver.c.turn.is_not(None))
             .order_by(driver.c.started_at.desc(), driver.c.conversation_id).limit(limit))
    with store.engine.connect() as conn:
        return list(conn.scalars(query))


def sequence(store, conversation_id: str) -> pd.DataFrame:
    """A conversation's moves as a timeline: one row per message and current move
    (``move`` None for a message without one) with ``speaker``, ``source`` and
    ``disclosure`` (True on the disclosure message). No text."""
    view = store.conversations.get(conversation_id)
    if view is None:
        raise KeyError(f"no conversation {conversation_id!r}")
    turn = view.labels.disclosure.turn
    rows = []
    for message in view.messages:
        labels = view.labels.moves.get(message.index, {})
        present = [(code, label) for code, label in labels.items() if label.present] or [(None, None)]
        for code, label in present:
            rows.append({"message_index": message.index, "speaker": message.speaker, "move": code,
                         "source": label.source.value if label else None, "disclosure": message.index == turn})
    return pd.DataFrame(rows, columns=["message_index", "speaker", "move", "source", "disclosure"])
