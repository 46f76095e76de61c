"""Label store throughput on SQLite and PostgreSQL, measured in one run.

    .venv/bin/python benchmarks/store_throughput.py [--n 2000] [--reviews 400]

Prints, per backend: conversations stored per second (one transaction each,
as ``disclosure run`` writes them), milliseconds per saved review, seconds
for the aggregation queries over every conversation, milliseconds for a
review-queue page; then the ratios PostgreSQL / SQLite, and SQL aggregation
versus deriving the same labels conversation by conversation in Python.
Synthetic, de-identified placeholders only; nothing is written outside a
temporary folder and a temporary PostgreSQL database.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from research.contracts import load_taxonomy
from research.store import Decision, open_store
from research.store.testing import postgres_available, sample_record, temporary_database, temporary_schema


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def measure(url: str, n: int, n_reviews: int) -> dict[str, float]:
    tax = load_taxonomy()
    rng = random.Random(1)
    records = [sample_record(f"B{i:06d}", n_messages=rng.randint(4, 24), started_at=f"2024-{1 + i % 12:02d}-10T12:00:00",
                           suggested=tuple(rng.sample(tax.category_codes, 2))) for i in range(n)]
    with open_store(url, bcrypt_rounds=4) as store:
        store.users.add("bench", "counsellor", "bench-password-1")
        ingest = timed(lambda: [store.conversations.add(r) for r in records])
        targets = [records[rng.randrange(n)].id for _ in range(n_reviews)]

        def review():
            for cid in targets:
                version = store.conversations.get(cid).label_version
                store.reviews.save(cid, "bench", version, [Decision.category(rng.choice(tax.category_codes), "add")])

        reviews = timed(review)
        sql = timed(lambda: (store.labels.categories(), store.labels.moves(), store.labels.disclosures()))
        sample = [r.id for r in records[: min(n, 300)]]
        python = timed(lambda: [store.conversations.get(cid).labels for cid in sample]) * n / len(sample)
        queue = timed(lambda: [store.queue.next_for("bench", limit=20) for _ in range(20)]) / 20
    return {"stored per s": n / ingest, "ms per review save": reviews / n_reviews * 1000,
            "s aggregation (SQL)": sql, "s derivation (Python, extrapolated)": python, "ms queue page": queue * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="conversations")
    parser.add_argument("--reviews", type=int, default=400, help="review saves")
    args = parser.parse_args()
    results = {}
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        backends = {"sqlite": f"sqlite:///{folder / 'bench.db'}"}
        if postgres_available():
            database = stack.enter_context(temporary_database("disclosure_bench"))
            backends["postgresql"] = stack.enter_context(temporary_schema(database))
        for name, url in backends.items():
            results[name] = measure(url, args.n, args.reviews)
    metrics = list(next(iter(results.values())))
    print(f"{args.n} conversations, {args.reviews} review saves")
    print(f"{'':40}" + "".join(f"{name:>14}" for name in results))
    for metric in metrics:
        print(f"{metric:40}" + "".join(f"{results[name][metric]:14.2f}" for name in results))
    for name, values in results.items():
        print(f"{name}: SQL aggregation is {values['s derivation (Python, extrapolated)'] / values['s aggregation (SQL)']:.1f}"
              " x faster than deriving per conversation")
    if "postgresql" in results:
        pg, lite = results["postgresql"], results["sqlite"]
        print("postgresql / sqlite: " + ", ".join(f"{m} {pg[m] / lite[m]:.2f}" for m in metrics))


if __name__ == "__main__":
    main()
