"""How fast the synthetic corpus generator writes a large corpus.

    .venv/bin/python benchmarks/synth.py [--n 100000] [--seed 7] [--workers 1 2]

Writes the corpus under DISCLOSURE_HOME/bench/ (deleted afterwards) and prints
wall time, CPU time, conversations per second and the share of the 60-second
budget the requirement sets for 100,000 conversations (wall time; on a busy
shared machine the CPU time is the steadier figure). Also times the
metadata-only path. Run on demand; the test suite never asserts timings.
"""

from __future__ import annotations

import argparse
import time

from research.corpus.synth import _synthesizer, generate_metadata, write_corpus
from research.paths import data_path

BUDGET_SECONDS = 60.0
BUDGET_ROWS = 100_000


def timed(label: str, n: int | None, run) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    line = f"{label:<26} {wall:7.2f} s wall  {cpu:7.2f} s cpu"
    if n:
        budget = wall * BUDGET_ROWS / n / BUDGET_SECONDS
        line += f"  {n:>8} rows  {n / wall:8.0f} rows/s  {budget:5.2f} of the {BUDGET_SECONDS:.0f} s budget for {BUDGET_ROWS:,}"
    print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=BUDGET_ROWS)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    timed("prepare (pools, scripts)", None, lambda: _synthesizer(args.seed, None))
    target = data_path("bench", "synth.jsonl")
    try:
        timed("write_corpus", args.n, lambda: write_corpus(target, n=args.n, seed=args.seed))
        size = target.stat().st_size
        print(f"file size {size / 1e6:.0f} MB ({size / args.n:.0f} bytes per conversation)")
    finally:
        target.unlink(missing_ok=True)
    timed("metadata only", args.n, lambda: sum(1 for _ in generate_metadata(args.n, args.seed)))


if __name__ == "__main__":
    main()
