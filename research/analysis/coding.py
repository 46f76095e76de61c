"""What counsellors coded, read from the store: the input of agreement
statistics and of the error rates that correct machine counts.

A counsellor who made at least one category decision on a conversation has
coded its categories. Their label for each category there is their own latest
decision on it, else the model's suggestion they saw and left standing — the
store's rule (latest decision, else suggestion) applied to one coder's
decisions alone, as the double-coding view shows them (they do not see the
other coder's). Only conversations with a current model count.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, select

from research.store.labels import PRESENT
from research.store.models import Conversation, Kind, Review, Suggestion

MODEL_CODER = "model"


def _reviewed_for_categories():
    return select(Review.conversation_id).where(Review.kind == Kind.category).distinct()


def machine_categories(store) -> pd.DataFrame:
    """``unit``, ``code``, ``label`` (suggested) of the current model, for every
    conversation someone coded categories on."""
    query = (
        select(Suggestion.conversation_id.label("unit"), Suggestion.code, Suggestion.suggested.label("label"))
        .join(Conversation, and_(Conversation.id == Suggestion.conversation_id,
                                 Conversation.model_name == Suggestion.model_name,
                                 Conversation.model_version == Suggestion.model_version))
        .where(Suggestion.kind == Kind.category, Suggestion.conversation_id.in_(_reviewed_for_categories()))
    )
    with store.engine.connect() as conn:
        frame = pd.read_sql(query, conn)
    return frame.assign(label=frame["label"].astype(bool))


def counsellor_codings(store, machine: pd.DataFrame | None = None) -> pd.DataFrame:
    """``unit``, ``code``, ``coder``, ``label``: each coder's labels on every
    conversation they coded categories on (see the module docstring)."""
    machine = machine_categories(store) if machine is None else machine
    decisions = store.labels.by_reviewer().rename(columns={"conversation_id": "unit", "reviewer": "coder"})
    if decisions.empty or machine.empty:
        return pd.DataFrame(columns=["unit", "code", "coder", "label"])
    coded = decisions[["unit", "coder"]].drop_duplicates()
    seen = coded.merge(machine, on="unit")  # what each coder saw: the suggestions
    merged = seen.merge(decisions, on=["unit", "code", "coder"], how="outer", suffixes=("_machine", ""))
    merged["label"] = merged["label"].astype("boolean").fillna(merged["label_machine"].astype("boolean"))
    return merged[["unit", "code", "coder", "label"]].astype({"label": bool}).reset_index(drop=True)


def reviewed_truth(store, machine: pd.DataFrame | None = None) -> pd.DataFrame:
    """``unit``, ``code``, ``predicted`` (the model's suggestion) and ``truth``
    (the latest decision by anyone, else the suggestion left standing) for every
    category of every conversation coded — where the model can be checked."""
    machine = machine_categories(store) if machine is None else machine
    with store.engine.connect() as conn:
        decisions = pd.read_sql(
            select(Review.conversation_id.label("unit"), Review.code, Review.decision, Review.id)
            .where(Review.kind == Kind.category).order_by(Review.id), conn)
    latest = decisions.groupby(["unit", "code"], as_index=False).last()
    latest["truth"] = latest["decision"].isin([d.value for d in PRESENT])
    merged = machine.rename(columns={"label": "predicted"}).merge(latest[["unit", "code", "truth"]],
                                                                  on=["unit", "code"], how="left")
    merged["truth"] = merged["truth"].astype("boolean").fillna(merged["predicted"].astype("boolean")).astype(bool)
    return merged[["unit", "code", "predicted", "truth"]]
