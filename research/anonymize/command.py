"""``disclosure anonymize IN -o OUT [--spans SPANS]`` (contract.md §2).

Valid lines are de-identified in batches and written atomically; each bad
line is reported as ``FILE:LINE: field: reason`` and skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from research.anonymize.deidentify import Deidentifier
from research.contracts import Conversation, Problem, iter_conversations, write_jsonl


def _valid(source: str | Path, problems: list[Problem], report: Callable[[Problem], None]) -> Iterator[Conversation]:
    for item in iter_conversations(source):
        if isinstance(item, Problem):
            problems.append(item)
            report(item)
        else:
            yield item.conversation


def anonymize_file(
    source: str | Path,
    output: str | Path,
    spans: str | Path | None = None,
    report: Callable[[Problem], None] = lambda problem: None,
    deidentifier: Deidentifier | None = None,
    batch_size: int = 64,
    progress: bool = False,
) -> list[Problem]:
    """De-identify every valid conversation of ``source`` into ``output`` (and
    the detected spans into ``spans``); return the problems of the bad lines."""
    deidentifier = deidentifier or Deidentifier()
    problems: list[Problem] = []
    span_rows: list[dict] = []  # offsets and types only: safe to hold until the end

    def rows() -> Iterator[dict]:
        conversations = _valid(source, problems, report)
        for result in deidentifier.deidentify(conversations, batch_size=batch_size, progress=progress):
            span_rows.append(result.spans_json())
            yield result.to_json()

    write_jsonl(rows(), output)
    if spans is not None:
        write_jsonl(span_rows, spans)
    return problems
