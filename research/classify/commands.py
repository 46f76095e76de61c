"""``disclosure classify`` and ``disclosure evaluate`` (contract.md §2).

Input may be raw: it is de-identified first unless every valid line carries
``"deidentified": true``. Bad lines are reported (``FILE:LINE: field: reason``)
and skipped; the output is written atomically, so a failure leaves no partial file.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

from tqdm import tqdm

from research.classify.anonymizer import deidentify, shared_deidentifier
from research.contracts import Conversation, Problem, iter_conversations, write_jsonl


def _ignore(problem: Problem) -> None:
    return None


def read_valid(source: str | Path, report: Callable[[Problem], None] = _ignore) -> tuple[list[Conversation], list[Problem]]:
    """Every valid conversation of a file (in memory only) and the problems of the bad lines."""
    conversations: list[Conversation] = []
    problems: list[Problem] = []
    for item in iter_conversations(source):
        if isinstance(item, Problem):
            problems.append(item)
            report(item)
        else:
            conversations.append(item.conversation)
    return conversations, problems


def already_deidentified(conversations: list[Conversation]) -> bool:
    return bool(conversations) and all(getattr(c, "deidentified", False) is True for c in conversations)


def deidentified_dicts(conversations: list[Conversation], deidentifier=None, progress: bool = False) -> Iterator[dict]:
    """The conversations as de-identified dicts: as they are when every one says
    so, otherwise through the de-identifier."""
    if already_deidentified(conversations):
        return (c.to_json() for c in conversations)
    return deidentify(conversations, deidentifier, progress=progress)


def read_gold(source: str | Path, report: Callable[[Problem], None] = _ignore, deidentifier=None):
    """A gold file's conversations, de-identified, and its problems."""
    conversations, problems = read_valid(source, report)
    return list(deidentified_dicts(conversations, deidentifier)), problems


def _batches(rows: list, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


# --------------------------------------------------------------------------- worker processes

_WORKER: dict[str, Any] = {}


def _start_worker(model_uri: str | None, needs_deidentifying: bool) -> None:
    from research.classify import load_suggester

    _WORKER["model"] = load_suggester(model_uri)
    _WORKER["deidentifier"] = shared_deidentifier() if needs_deidentifying else None


def _process(batch: list[dict], model=None, deidentifier=None, needs_deidentifying: bool = True) -> list[dict]:
    """De-identify (unless already done) and suggest, one batch, in memory."""
    model = model or _WORKER["model"]
    if needs_deidentifying:
        batch = list(deidentify(batch, deidentifier or _WORKER.get("deidentifier")))
    return model.suggest(batch)


def _in_workers(batches: list[list[dict]], workers: int, model_uri: str | None, needs_deidentifying: bool):
    """Batches processed by worker processes (each loads its own models); results
    in input order. Raw text travels to them through pipes, never through files."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(model_uri, needs_deidentifying)) as pool:
        yield from pool.map(partial(_process, needs_deidentifying=needs_deidentifying), batches)


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def classify_file(
    source: str | Path,
    output: str | Path,
    model_uri: str | None = None,
    report: Callable[[Problem], None] = _ignore,
    batch_size: int = 128,
    progress: bool = False,
    workers: int | None = None,
    model=None,
    deidentifier=None,
) -> tuple[int, list[Problem]]:
    """Write the de-identified conversations of ``source`` with suggestions to
    ``output``; return (conversations written, problems of the bad lines).

    Inputs of more than two batches are processed by ``workers`` processes
    (default: up to 2); a ``model`` given in-process keeps everything here."""
    conversations, problems = read_valid(source, report)
    needs_deidentifying = not already_deidentified(conversations)
    batches = list(_batches([c.to_json() for c in conversations], batch_size))
    del conversations
    workers = default_workers() if workers is None else workers
    if model is None and workers > 1 and len(batches) > 2:
        results = _in_workers(batches, workers, model_uri, needs_deidentifying)
    else:
        if model is None:
            from research.classify import load_suggester

            model = load_suggester(model_uri)
        results = (_process(b, model, deidentifier, needs_deidentifying) for b in batches)
    bar = tqdm(total=sum(len(c["messages"]) for b in batches for c in b), unit="msg", desc="classify",
               file=sys.stderr, disable=not progress)

    def rows() -> Iterator[dict[str, Any]]:
        for done in results:
            yield from done
            bar.update(sum(len(c["messages"]) for c in done))

    try:
        written = write_jsonl(rows(), output)
    finally:
        bar.close()
    return written, problems


def evaluate_file(
    source: str | Path,
    model_uri: str | None = None,
    json_out: str | Path | None = None,
    report: Callable[[Problem], None] = _ignore,
    model=None,
    deidentifier=None,
) -> tuple[dict[str, Any], list[Problem]]:
    """Metrics of a model on a gold file; optionally written as JSON."""
    from research.classify.metrics import evaluate

    if model is None:
        from research.classify import load_suggester

        model = load_suggester(model_uri)
    conversations, problems = read_gold(source, report, deidentifier)
    result = evaluate(model, conversations) | {"model": model.model_name, "gold": str(source)}
    if json_out is not None:
        text = json.dumps(result, indent=2, ensure_ascii=False)
        if str(json_out) == "-":
            sys.stdout.write(text + "\n")
        else:
            _write_text_atomically(Path(json_out), text + "\n")
    return result, problems


def _write_text_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
