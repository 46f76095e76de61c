"""How long each explorer page's analysis calls take on a large store.

    .venv/bin/python benchmarks/explorer.py [--n 100000] [--reviews 400] [--db-url URL] [--rebuild]

Builds (once; reused while it holds ``n`` conversations) a store of ``n``
generated conversations of one year — their gold labels stand in for the
model's suggestions — loaded in bulk (``research.analysis.bulk_load``), with
``reviews`` conversations coded by two counsellors each. Then times every
call a page makes into ``research.analysis`` (the SQL aggregation, the
suppression, the statistics; no Streamlit) and prints seconds per call and per
page next to the target of 2 s per call. The SQLite file lives in the data
folder (``DISCLOSURE_HOME``), under benchmarks/.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from itertools import islice

from research.analysis.agreement import agreement_table
from research.analysis.bulk_load import load
from research.analysis.commands import export_trends
from research.analysis.dimensions import focus_age_group
from research.analysis.precursors import disclosure_conversations, precursor_analysis, sequence
from research.analysis.prevalence import corrected_prevalence
from research.analysis.report import annual_report, focus_breakdown
from research.analysis.trends import Filters, trend_table
from research.corpus.synth import generate
from research.paths import data_path
from research.reporting.documents import report_document
from research.store import Decision, open_store
from research.store.models import Conversation

YEAR, SEED, TARGET_SECONDS = 2024, 100, 2.0
ON_CLICK = "on click"  # calls a page makes only when a download button is clicked


def build(store, n: int, reviews: int) -> None:
    started = time.perf_counter()
    conversations = generate(n, SEED, year=YEAR)
    done = 0
    while chunk := list(islice(conversations, 5000)):
        done += load(store, chunk)
        print(f"  loaded {done:,} conversations ({time.perf_counter() - started:.0f} s)", flush=True)
    for name in ("anna", "bo"):
        store.users.add(name, "counsellor", f"{name}-benchmark-{os.getpid()}")
    for conversation in islice(generate(reviews, SEED, year=YEAR), reviews):
        cid = conversation["conversation_id"]
        code = (conversation["categories"] or ["mobbing"])[0]
        for coder, decision in (("anna", "accept"), ("bo", "reject" if hash(cid) % 5 == 0 else "accept")):
            version = store.conversations.get(cid).label_version
            store.reviews.save(cid, coder, version, [Decision.category(code, decision)])
    analyze(store)
    print(f"  store built in {time.perf_counter() - started:.0f} s", flush=True)


def analyze(store) -> None:
    """Refresh the planner's statistics, as PostgreSQL's autovacuum does after a
    bulk load (SQLite keeps what ANALYZE finds in sqlite_stat1)."""
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def stored(store) -> int:
    from sqlalchemy import func, select

    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Conversation)).scalar() or 0


def pages(store, export_path) -> dict[str, list[tuple[str, Callable[[], object]]]]:
    year = Filters(year=YEAR)
    focus = focus_age_group()
    first_disclosure: list[str] = []

    def disclosures():
        first_disclosure[:] = disclosure_conversations(store, year)[:1]
        return first_disclosure

    return {
        "Trends": [
            ("trend_table(month, category)", lambda: trend_table(store, ["month", "category"], year)),
            ("trend_table(month, age_group | vold, chat)",
             lambda: trend_table(store, ["month", "age_group"], Filters(year=YEAR, category="vold", channel="chat"))),
            ("corrected_prevalence", lambda: corrected_prevalence(store, year, n_bootstrap=2000)),
            ("export trends month,category,age_group (csv, on click)",
             lambda: export_trends(store, ["month", "category", "age_group"], export_path, year=YEAR, via="benchmark")),
        ],
        "11-13": [
            ("focus_breakdown", lambda: focus_breakdown(store, year, focus)),
            ("trend_table(month, category | 11-13)",
             lambda: trend_table(store, ["month", "category"], Filters(year=YEAR, age_group=focus))),
        ],
        "Disclosure analysis": [
            ("precursor_analysis(k=3): odds ratios and share within k",
             lambda: precursor_analysis(store, year, k=3)),
            ("disclosure_conversations", disclosures),
            ("sequence", lambda: sequence(store, first_disclosure[0]) if first_disclosure else None),
        ],
        "Annual report": [
            ("annual_report", lambda: annual_report(store, YEAR)),
            ("report_document (HTML with charts, on click)", lambda: report_document(store, YEAR)),
        ],
        "Agreement": [
            ("agreement_table (counsellors)", lambda: agreement_table(store)),
            ("agreement_table (model)", lambda: agreement_table(store, with_model=True)),
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="conversations in the store")
    parser.add_argument("--reviews", type=int, default=400, help="conversations coded by two counsellors")
    parser.add_argument("--db-url", default=None, help="database (default: a SQLite file in the data folder)")
    parser.add_argument("--rebuild", action="store_true", help="build the store again even if it exists")
    args = parser.parse_args()

    path = data_path("benchmarks", f"explorer-{args.n}.db")
    if args.rebuild and args.db_url is None:
        path.unlink(missing_ok=True)
    store = open_store(args.db_url or f"sqlite:///{path}", bcrypt_rounds=4)
    if stored(store) != args.n:
        if stored(store):
            raise SystemExit(f"{store.url} holds another corpus: pass --rebuild or another --db-url")
        print(f"building a store of {args.n:,} conversations at {store.url} ...", flush=True)
        build(store, args.n, args.reviews)
    print(f"store: {store.url} ({args.n:,} conversations)\n")
    print(f"{'page / call':58}{'seconds':>9}{'of target':>11}")
    worst = 0.0
    for page, calls in pages(store, data_path("benchmarks", "explorer-export.csv")).items():
        page_total = 0.0
        print(page)
        for name, call in calls:
            started = time.perf_counter()
            call()
            seconds = time.perf_counter() - started
            page_total += 0 if ON_CLICK in name else seconds  # a download is made when clicked, not on render
            worst = max(worst, seconds)
            print(f"  {name:56}{seconds:9.2f}{seconds / TARGET_SECONDS:10.0%}")
        print(f"  {'(page total on render)':56}{page_total:9.2f}")
    print(f"\nslowest call: {worst:.2f} s = {worst / TARGET_SECONDS:.0%} of the {TARGET_SECONDS:.0f} s target")
    store.close()


if __name__ == "__main__":
    main()
