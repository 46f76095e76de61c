"""``disclosure run`` throughput: the local engine against the Dask engine, in one run.

    .venv/bin/python benchmarks/store_ingest.py [--n 300] [--workers 2]

Generates ``n`` synthetic conversations (``disclosure synth``), then runs the
pipeline on them twice, each into a fresh SQLite store in a temporary data
folder: the local engine, then the Dask engine with ``workers`` spawned
processes. Prints conversations per second (model loading included, as a user
sees it) and the ratio. Uses the shipped classifier when ``models/classifier``
exists, otherwise a stand-in that suggests nothing (de-identification then
dominates, as it does anyway).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from research.contracts import load_taxonomy
from research.corpus.synth import write_corpus
from research.paths import MODELS_DIR
from research.pipeline import DaskEngine, LocalEngine, Pipeline, Steps, load_deidentifier, load_suggester
from research.store import open_store


class SuggestsNothing:
    """Stand-in classifier for when no model is shipped: every score 0."""

    version = "benchmark-stand-in"

    def suggest(self, conversations):
        codes = load_taxonomy().category_codes
        return [{"suggestions": {"model": "nothing/0", "categories": [], "category_scores": dict.fromkeys(codes, 0.0),
                                 "disclosure_turn": None, "disclosure_score": 0.0},
                 "messages": [{"suggested_moves": []} for _ in c.messages]} for c in conversations]


def suggester():
    return load_suggester() if (MODELS_DIR / "classifier").exists() else SuggestsNothing()


def throughput(source: Path, folder: Path, engine, batch_size: int) -> tuple[float, int]:
    with open_store(f"sqlite:///{folder / f'{engine.name}.db'}") as store:
        start = time.perf_counter()
        report = Pipeline(store, Steps(load_deidentifier, suggester), engine, batch_size, progress=False).run(source)
        return report.stored / (time.perf_counter() - start), report.stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["DISCLOSURE_HOME"] = str(folder / "home")
        source = folder / "corpus.jsonl"
        write_corpus(source, n=args.n, seed=11)
        local, stored = throughput(source, folder, LocalEngine(), args.batch_size)
        dask, _ = throughput(source, folder, DaskEngine("processes", workers=args.workers), args.batch_size)
    classifier = "shipped" if (MODELS_DIR / "classifier").exists() else "stand-in"
    print(f"{stored} conversations, batch size {args.batch_size}, classifier: {classifier}")
    print(f"local engine          {local:8.1f} conversations/s")
    print(f"dask, {args.workers} processes     {dask:8.1f} conversations/s")
    print(f"dask / local          {dask / local:8.2f}")


if __name__ == "__main__":
    main()
