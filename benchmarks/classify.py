"""Throughput of ``disclosure classify`` end to end, de-identification included.

    python benchmarks/classify.py [--n 10000] [--seed 5] [--model URI]

Generates a synthetic corpus in memory, feeds it to ``disclosure classify -``
on stdin (the raw text never touches disk), and prints messages per second for
the whole command and for the suggestion model alone (on its de-identified
output). Target: at least 200 messages per second on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from research.classify import load_suggester
from research.corpus.synth import generate
from research.paths import data_home


def _feed(process: subprocess.Popen, lines: list[str]) -> None:
    with process.stdin:
        for line in lines:
            process.stdin.write(line.encode("utf-8") + b"\n")


def end_to_end(lines: list[str], output: Path, model: str | None) -> float:
    command = [str(Path(sys.executable).with_name("disclosure")), "classify", "-", "-o", str(output)]
    if model:
        command += ["--model", model]
    env = dict(os.environ, MLFLOW_DISABLE_TELEMETRY="true", DO_NOT_TRACK="1")
    start = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    feeder = threading.Thread(target=_feed, args=(process, lines))
    feeder.start()
    code = process.wait()
    feeder.join()
    if code != 0:
        raise SystemExit(f"disclosure classify exited with {code}")
    return time.perf_counter() - start


def model_only(output: Path, model: str | None) -> tuple[float, float]:
    """(seconds to load, seconds to suggest) on the de-identified output."""
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    start = time.perf_counter()
    suggester = load_suggester(model)
    loaded = time.perf_counter()
    for i in range(0, len(rows), 256):
        suggester.suggest(rows[i : i + 256])
    return loaded - start, time.perf_counter() - loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="conversations to generate")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--model", default=None, help="MODEL_URI (default: the shipped model)")
    args = parser.parse_args()

    conversations = list(generate(args.n, args.seed))
    messages = sum(len(c["messages"]) for c in conversations)
    lines = [json.dumps(c, ensure_ascii=False) for c in conversations]
    del conversations
    with tempfile.TemporaryDirectory(prefix="bench-classify-", dir=data_home()) as folder:
        output = Path(folder) / "classified.jsonl"  # de-identified output only
        seconds = end_to_end(lines, output, args.model)
        load_seconds, suggest_seconds = model_only(output, args.model)
    print(f"{args.n} conversations, {messages} messages")
    print(f"disclosure classify end to end: {seconds:.1f} s, {messages / seconds:.0f} messages/s "
          f"(target >= 200 on 2 cores)")
    print(f"suggestion model alone: load {load_seconds:.2f} s, {messages / suggest_seconds:.0f} messages/s")


if __name__ == "__main__":
    main()
