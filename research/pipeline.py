"""Ingest: validate → anonymize → classify → store, in batches.

    disclosure run IN.jsonl [--batch-size N] [--engine local|dask]

* Idempotent: the conversation id is the key; ids already in the store are
  skipped before anything else happens to them (they are not even
  de-identified again), so running a file twice changes nothing.
* Resumable: each conversation is stored with its messages and suggestions in
  one transaction, so a killed run leaves no half-written conversation and the
  next run simply continues.
* Invalid lines are reported as ``FILE:LINE: field: reason`` and skipped; a
  conversation the de-identifier or classifier fails on is reported by line
  (with the error's type, never its message, which could quote raw text).

Raw text lives only in memory between reading a line and the end of
de-identification. The local engine runs the batches in this process; the Dask
engine maps them over a ``dask.bag`` (threads, processes, or a cluster's
scheduler address) and stores the de-identified results here.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from tqdm import tqdm

from research.contracts import Conversation, Parsed, Problem, iter_conversations
from research.store import (
    ConversationRecord,
    MachineSuggestions,
    RunCounts,
    Store,
    SuggestionFormatError,
    open_store,
)

DEFAULT_BATCH_SIZE = 64


class SourceNotFoundError(FileNotFoundError):
    """The input file does not exist."""


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Deidentifier(Protocol):
    def deidentify(self, conversations: list[Conversation]) -> Iterable[Any]: ...  # results with .conversation


class Suggester(Protocol):
    """May also have ``decision_thresholds`` (research.classify's model does): the
    store then measures its uncertainty margin against the model's real thresholds."""

    def suggest(self, conversations: list[Conversation]) -> list[dict[str, Any]]: ...


def load_deidentifier() -> Deidentifier:
    from research.anonymize import Deidentifier

    return Deidentifier()


def load_suggester(model_uri: str | None = None) -> Suggester:
    from research.classify import load_suggester

    return load_suggester(model_uri)


# --------------------------------------------------------------------------- one batch


@dataclass
class BatchResult:
    records: list[ConversationRecord] = field(default_factory=list)  # de-identified
    problems: list[Problem] = field(default_factory=list)
    deidentifier: str | None = None  # what produced them, for the run's provenance
    model: str | None = None


def describe(component: object) -> str:
    kind = type(component)
    version = getattr(component, "version", None)
    return f"{kind.__module__}.{kind.__qualname__}" + (f"/{version}" if version else "")


def _clean(deidentified: Any) -> Conversation:
    """Only what the store keeps: gold spans (which quote raw text) and unknown
    extra fields are dropped. Takes what the de-identifier yields (a result with
    ``.conversation``, a Conversation or a dict) and keeps its ``deidentified``
    mark, which only the de-identifier sets and the store insists on."""
    deidentified = getattr(deidentified, "conversation", deidentified)
    data = deidentified.to_json() if isinstance(deidentified, Conversation) else deidentified
    keep = ("conversation_id", "channel", "started_at", "age", "gender", "contact_type", "deidentified")
    return Conversation.model_validate({
        **{key: data.get(key) for key in keep},
        "messages": [{key: m.get(key) for key in ("speaker", "text", "sent_at")} for m in data["messages"]],
    })


_MODELS: dict[str, tuple[Deidentifier, Suggester]] = {}  # this process's loaded models, by Steps token
_LOADING = threading.Lock()


class Steps:
    """De-identify and classify one batch. The models are loaded lazily, once
    per process: pickled to a Dask worker, a Steps carries only its loaders and
    a token, and the worker keeps what it loaded for the next batches."""

    def __init__(self, deidentifier: Callable[[], Deidentifier] = load_deidentifier,
                 suggester: Callable[[], Suggester] = load_suggester, source: str = ""):
        self._load_deidentifier = deidentifier
        self._load_suggester = suggester
        self.source = source
        self._token = uuid.uuid4().hex

    def models(self) -> tuple[Deidentifier, Suggester]:
        with _LOADING:  # threads share one process: load once
            if self._token not in _MODELS:
                _MODELS[self._token] = (self._load_deidentifier(), self._load_suggester())
            return _MODELS[self._token]

    def unload(self) -> None:
        _MODELS.pop(self._token, None)

    def __call__(self, batch: list[Parsed]) -> BatchResult:
        deidentifier, suggester = self.models()
        result = BatchResult(deidentifier=describe(deidentifier))
        thresholds = getattr(suggester, "decision_thresholds", None)
        for parsed, deidentified, classified in self._each_or_isolate(batch, result):
            self._record(parsed, deidentified, classified, thresholds, result)
        return result

    def _run(self, batch: list[Parsed]) -> list[tuple[Parsed, Conversation, dict]]:
        deidentifier, suggester = self.models()
        clean = {c.conversation_id: c for c in map(_clean, deidentifier.deidentify([p.conversation for p in batch]))}
        ordered = [clean[p.conversation.conversation_id] for p in batch]
        return list(zip(batch, ordered, suggester.suggest(ordered), strict=True))

    def _each_or_isolate(self, batch: list[Parsed], result: BatchResult) -> list[tuple[Parsed, Conversation, dict]]:
        """The whole batch at once; if that fails, one by one, to report only the culprits."""
        try:
            return self._run(batch)
        except Exception:
            pass
        done = []
        for parsed in batch:
            try:
                done.extend(self._run([parsed]))
            except Exception as exc:  # the type only: messages may quote raw text
                result.problems.append(Problem(self.source, parsed.line, "(conversation)",
                                               f"could not be processed ({type(exc).__name__})"))
        return done

    def _record(self, parsed: Parsed, deidentified: Conversation, classified: dict, thresholds: dict | None,
                result: BatchResult) -> None:
        try:
            suggestions = MachineSuggestions.from_classified(classified, len(deidentified.messages), thresholds)
        except SuggestionFormatError as exc:
            result.problems.append(Problem(self.source, parsed.line, exc.field, exc.reason))
            return
        result.model = f"{suggestions.model_name}/{suggestions.model_version}"
        result.records.append(ConversationRecord(deidentified, suggestions))


# --------------------------------------------------------------------------- engines


class LocalEngine:
    """Batches one after another, in this process."""

    name = "local"

    def map(self, steps: Callable, batches: Iterable[list[Parsed]]) -> Iterator[BatchResult]:
        return map(steps, batches)


class DaskEngine:
    """Batches mapped over a ``dask.bag``, ``window`` batches at a time so results
    are stored (and a crash loses little) while the next window runs.

    ``scheduler``: ``processes`` (a pool kept for the whole run, so each worker
    loads the models once), ``threads``, ``synchronous``, or the address of a
    ``dask.distributed`` scheduler (``tcp://host:8786``; needs ``distributed``
    installed, and its workers must not spill to disk: batches hold raw text).
    """

    name = "dask"

    def __init__(self, scheduler: str = "processes", workers: int | None = None, window: int | None = None):
        self.scheduler = scheduler
        self.workers = workers or os.cpu_count() or 1
        self.window = window or 2 * self.workers

    @contextmanager
    def _compute_options(self) -> Iterator[dict[str, Any]]:
        if "://" in self.scheduler:
            from distributed import Client  # optional: only for clusters

            with Client(self.scheduler) as client:
                yield {"scheduler": client}
        elif self.scheduler == "processes":
            spawn = multiprocessing.get_context("spawn")  # no forked copies of open database connections
            with ProcessPoolExecutor(self.workers, mp_context=spawn) as pool:
                yield {"scheduler": "processes", "pool": pool}
        else:
            yield {"scheduler": self.scheduler, "num_workers": self.workers}

    def map(self, steps: Callable, batches: Iterable[list[Parsed]]) -> Iterator[BatchResult]:
        import dask.bag

        with self._compute_options() as options:
            for window in batched(batches, self.window):
                yield from dask.bag.from_sequence(window, npartitions=len(window)).map(steps).compute(**options)


def make_engine(name: str, dask_scheduler: str = "processes") -> LocalEngine | DaskEngine:
    if name == "local":
        return LocalEngine()
    if name == "dask":
        return DaskEngine(dask_scheduler)
    raise ValueError(f"unknown engine {name!r}: local or dask")


# --------------------------------------------------------------------------- the run


@dataclass
class RunReport:
    stored: int = 0
    skipped: int = 0  # already in the store
    invalid: int = 0  # lines reported and left out
    problems: list[Problem] = field(default_factory=list)
    deidentifier: str | None = None
    model: str | None = None
    _bad_lines: set[int] = field(default_factory=set, repr=False)

    def summary(self) -> str:
        return f"{self.stored} stored, {self.skipped} already stored, {self.invalid} invalid"


def _count_lines(source: str | Path) -> int | None:
    if str(source) == "-":
        return None
    with Path(source).open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def _print_problem(problem: Problem) -> None:
    tqdm.write(str(problem), file=sys.stderr)


class Pipeline:
    """Runs ``steps`` over the new conversations of a file and stores the results."""

    def __init__(self, store: Store, steps: Steps, engine: LocalEngine | DaskEngine | None = None,
                 batch_size: int = DEFAULT_BATCH_SIZE, progress: bool = True,
                 report: Callable[[Problem], None] = _print_problem):
        if batch_size < 1:
            raise ValueError("batch size must be at least 1")
        self.store = store
        self.steps = steps
        self.engine = engine or LocalEngine()
        self.batch_size = batch_size
        self.progress = progress
        self.report = report

    def run(self, source: str | Path) -> RunReport:
        if str(source) != "-" and not Path(source).is_file():
            raise SourceNotFoundError(f"{source}: file not found")
        report = RunReport()
        self.steps.source = "<stdin>" if str(source) == "-" else str(source)
        run_id = self.store.runs.start(self.engine.name)
        with tqdm(total=_count_lines(source), unit="conv", file=sys.stderr, disable=not self.progress,
                  desc="disclosure run") as bar:
            for result in self.engine.map(self.steps, self._new_batches(source, report, bar)):
                self._problems(result.problems, report, bar)
                report.deidentifier, report.model = result.deidentifier, result.model or report.model
                for record in result.records:
                    if self.store.conversations.add(record, run_id):
                        report.stored += 1
                    else:  # stored meanwhile by a concurrent run
                        report.skipped += 1
                    bar.update(1)
        self.store.runs.finish(run_id, RunCounts(report.stored, report.skipped, report.invalid),
                               deidentifier=report.deidentifier, model=report.model)
        return report

    def _new_batches(self, source, report: RunReport, bar) -> Iterator[list[Parsed]]:
        """Valid conversations not yet stored, in batches: stored ids are skipped
        before they are de-identified again."""
        valid = self._valid(source, report, bar)
        for batch in batched(valid, self.batch_size):
            stored = self.store.conversations.existing_ids(p.conversation.conversation_id for p in batch)
            report.skipped += len(stored)
            bar.update(len(stored))
            fresh = [p for p in batch if p.conversation.conversation_id not in stored]
            if fresh:
                yield fresh

    def _valid(self, source, report: RunReport, bar) -> Iterator[Parsed]:
        for item in iter_conversations(source):
            if isinstance(item, Problem):
                self._problems([item], report, bar)
            else:
                yield item

    def _problems(self, problems: list[Problem], report: RunReport, bar) -> None:
        for problem in problems:
            report.problems.append(problem)
            self.report(problem)
            if problem.line not in report._bad_lines:
                report._bad_lines.add(problem.line)
                report.invalid += 1
                bar.update(1)


def run_file(source: str | Path, *, batch_size: int = DEFAULT_BATCH_SIZE, engine: str = "local",
             dask_scheduler: str = "processes", model_uri: str | None = None, progress: bool = True,
             store: Store | None = None) -> RunReport:
    """``disclosure run``: the real de-identifier and classifier, the configured store."""
    steps = Steps(load_deidentifier, partial(load_suggester, model_uri))
    own_store = store is None
    store = store or open_store()
    try:
        return Pipeline(store, steps, make_engine(engine, dask_scheduler), batch_size, progress).run(source)
    finally:
        if own_store:
            store.close()
