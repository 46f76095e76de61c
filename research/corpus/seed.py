"""The hand-written seed corpus.

Authors write ``corpus/seed/*.jsonl`` in the contract format, except that
message texts carry inline PII markup (``[[Ida|PERSON]]``) and no ``pii``
field. :func:`build_seed` turns them into ``corpus/seed.jsonl`` with computed
character spans and validates every line against the contract.

    python -m research.corpus.seed            # rebuild corpus/seed.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from research.contracts import Problem, parse_line, write_jsonl
from research.corpus.markup import MarkupError, strip_markup

PROJECT_DIR = Path(__file__).resolve().parents[2]
SEED_SOURCE_DIR = PROJECT_DIR / "corpus" / "seed"
SEED_CORPUS = PROJECT_DIR / "corpus" / "seed.jsonl"


def _unmark(data: dict, source: str, line: int) -> dict | Problem:
    for i, message in enumerate(data.get("messages") or []):
        try:
            message["text"], message["pii"] = strip_markup(message.get("text", ""))
        except MarkupError as exc:
            return Problem(source, line, f"messages[{i}].text", str(exc))
    return data


def load_authored(path: Path) -> tuple[list[dict], list[Problem]]:
    """Read one authored file: conversations with spans computed, and problems."""
    rows: list[dict] = []
    problems: list[Problem] = []
    for number, raw in enumerate(path.read_bytes().splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(Problem(str(path), number, "(line)", f"invalid JSON: {exc.msg} at column {exc.colno}"))
            continue
        unmarked = _unmark(data, str(path), number)
        if isinstance(unmarked, Problem):
            problems.append(unmarked)
            continue
        result = parse_line(json.dumps(unmarked, ensure_ascii=False).encode(), str(path), number)
        if isinstance(result, list):
            problems.extend(result)
        else:
            rows.append(result.conversation.to_json())
    return rows, problems


def build_seed(source_dir: Path = SEED_SOURCE_DIR, target: Path = SEED_CORPUS) -> tuple[int, list[Problem]]:
    rows: list[dict] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for path in sorted(source_dir.glob("*.jsonl")):
        file_rows, file_problems = load_authored(path)
        problems.extend(file_problems)
        for row in file_rows:
            if row["conversation_id"] in seen:
                problems.append(Problem(str(path), 0, "conversation_id", f"duplicate id {row['conversation_id']!r}"))
                continue
            seen.add(row["conversation_id"])
            rows.append(row)
    return write_jsonl(rows, target), problems


def main() -> int:
    count, problems = build_seed()
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{count} conversations written to {SEED_CORPUS}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
