"""``disclosure run``: validate → anonymize → classify → store.

The de-identifier is the real one (research.anonymize). The classifier is a
test double, :class:`HashSuggester`, defined here: deterministic, instant, and
in the contract's ``classify`` output format. Run as a script, this file is
``disclosure`` with that double wired in, for the subprocess tests:

    python tests/test_pipeline.py run IN.jsonl
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import research.pipeline
from research.contracts import load_taxonomy

SCRIPT = Path(__file__).resolve()
PROJECT = SCRIPT.parents[1]


# --------------------------------------------------------------------------- test doubles and data


class HashSuggester:
    """TEST DOUBLE for research.classify's suggester: scores from a hash of the
    conversation id, the first move of the speaker's list for each message."""

    model = "hash-suggester/test"

    def suggest(self, conversations) -> list[dict]:
        tax = load_taxonomy()
        out = []
        for conv in conversations:
            data = conv.to_json()
            scores = {code: _unit(conv.conversation_id + code) for code in tax.category_codes}
            users = [i for i, m in enumerate(conv.messages) if m.speaker == "user"]
            data["deidentified"] = True
            data["suggestions"] = {
                "model": self.model,
                "categories": [{"code": c, "score": s} for c, s in sorted(scores.items(), key=lambda p: -p[1])
                               if s >= 0.8],
                "category_scores": scores,
                "disclosure_turn": users[0] if users and _unit(conv.conversation_id) > 0.5 else None,
                "disclosure_score": _unit(conv.conversation_id),
            }
            for message in data["messages"]:
                message["suggested_moves"] = [{"code": tax.moves_for(message["speaker"])[0], "score": 0.9}]
            out.append(data)
        return out


def _unit(text: str) -> float:
    return round(int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF, 4)


def helpline_conversations(n: int, seed: int = 0) -> tuple[list[dict], list[str]]:
    """Invented conversations, each with a name, a town, a phone number, an
    e-mail address and a fødselsnummer, marked as gold ``pii`` spans. Returns
    the conversations and every gold PII string."""
    from faker import Faker

    fake = Faker("no_NO")
    fake.seed_instance(seed)
    conversations, secrets = [], []
    for i in range(n):
        name, town = f"{fake.first_name()} {fake.last_name()}", fake.city()
        phone, email, fnr = f"9{fake.numerify('#######')}", f"elev{seed}x{i}@skolepost.no", fake.ssn()
        messages = [
            ("counsellor", "Hei, du har kommet til Alarmtelefonen. Hva tenker du på i dag?", []),
            ("user", "hei jeg heter {0} og bor i {1}", [("PERSON", name), ("LOCATION", town)]),
            ("user", "du kan ringe meg på {0} eller sende mail til {1}", [("PHONE_NUMBER", phone),
                                                                       ("EMAIL_ADDRESS", email)]),
            ("user", "personnummeret mitt er {0}", [("NO_NATIONAL_ID", fnr)]),
            ("counsellor", "Takk for at du forteller. Du trenger ikke si hvem du er her.", []),
        ]
        conversations.append({
            "conversation_id": f"T{seed}-{i:04d}", "channel": "chat", "started_at": f"2024-{1 + i % 12:02d}-05T19:30:00",
            "age": 11 + i % 7, "gender": "jente",
            "messages": [_with_spans(speaker, template, pii) for speaker, template, pii in messages],
        })
        secrets += [name, town, phone, email, fnr]
    return conversations, secrets


def _with_spans(speaker: str, template: str, pii: list[tuple[str, str]]) -> dict:
    text = template.format(*(value for _, value in pii))
    spans = []
    for kind, value in pii:
        start = text.index(value)
        spans.append({"start": start, "end": start + len(value), "type": kind, "text": value})
    return {"speaker": speaker, "text": text, "pii": spans}


def write_jsonl(path: Path, rows: list[dict], extra_lines: list[str] = ()) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + "".join(extra_lines),
                    encoding="utf-8")
    return path


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def deidentifier():
    from research.anonymize import Deidentifier

    return Deidentifier()


class Counting:
    """Counts the conversations a wrapped de-identifier sees."""

    def __init__(self, inner):
        self.inner, self.seen = inner, []

    def deidentify(self, conversations):
        self.seen += [c.conversation_id for c in conversations]
        return self.inner.deidentify(conversations)


def pipeline(store, deidentifier, suggester=None, engine=None, batch_size=4):
    steps = research.pipeline.Steps(lambda: deidentifier, lambda: suggester or HashSuggester())
    problems = []
    return research.pipeline.Pipeline(store, steps, engine, batch_size, progress=False, report=problems.append), problems


def snapshot(store) -> dict[str, list[tuple]]:
    """Every stored row that a run should determine (no surrogate ids, times or run ids)."""
    from sqlalchemy import select

    from research.store.models import Conversation, Message, Suggestion

    varying = {Conversation: {"ingested_at", "run_id"}, Message: set(), Suggestion: {"id", "created_at"}}
    with store.engine.connect() as conn:
        return {
            model.__tablename__: sorted(tuple(row) for row in conn.execute(
                select(*(c for c in model.__table__.c if c.name not in skip))))
            for model, skip in varying.items()
        }


# --------------------------------------------------------------------------- in-process runs


def test_a_run_stores_valid_conversations_and_reports_bad_lines(store, deidentifier, tmp_path):
    rows, secrets = helpline_conversations(6, seed=1)
    bad_channel = dict(rows[0], conversation_id="BAD1", channel="brev")
    source = write_jsonl(tmp_path / "in.jsonl", rows[:3] + [bad_channel] + rows[3:], ['{"conversation_id": \n'])
    run, problems = pipeline(store, deidentifier)
    report = run.run(source)
    assert (report.stored, report.skipped, report.invalid) == (6, 0, 2)
    assert [str(p) for p in problems] == [
        f"{source}:4: channel: unknown channel code 'brev'",
        f"{source}:8: (line): invalid or truncated JSON: Expecting value at column 21",
    ]
    view = store.conversations.get(rows[0]["conversation_id"])
    texts = " ".join(m.text for m in view.messages)
    assert "<PERSON_1>" in texts and not any(secret in texts for secret in secrets)
    assert view.model == HashSuggester.model and view.summary.age_group == "11-13"
    assert len(view.messages) == 5 and view.labels.categories


def test_running_a_file_twice_changes_nothing(store, deidentifier, tmp_path):
    rows, _ = helpline_conversations(9, seed=2)
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    counting = Counting(deidentifier)
    first, _ = pipeline(store, counting, batch_size=4)
    assert first.run(source).stored == 9
    before = snapshot(store)
    again = Counting(deidentifier)
    second, _ = pipeline(store, again, batch_size=4)
    report = second.run(source)
    assert (report.stored, report.skipped, report.invalid) == (0, 9, 0)
    assert again.seen == []  # stored ids are skipped before they are de-identified
    assert snapshot(store) == before


def test_the_dask_engine_stores_what_the_local_engine_stores(deidentifier, tmp_path):
    """Two worker processes (spawned, each loading its own de-identifier once),
    batches mapped over a dask.bag in windows: the same rows as the local engine.
    (The engine only computes; storing is the same code on either database.)"""
    from research.store import open_store

    rows, _ = helpline_conversations(8, seed=3)
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    with open_store(f"sqlite:///{tmp_path / 'local.db'}") as store:
        run, _ = pipeline(store, deidentifier, batch_size=2)
        assert run.run(source).stored == 8
        local = snapshot(store)
    with open_store(f"sqlite:///{tmp_path / 'dask.db'}") as store:
        steps = research.pipeline.Steps(research.pipeline.load_deidentifier, HashSuggester)
        engine = research.pipeline.DaskEngine("processes", workers=2, window=2)
        report = research.pipeline.Pipeline(store, steps, engine, batch_size=2, progress=False).run(source)
        assert report.stored == 8 and report.deidentifier.startswith("research.anonymize.deidentify.Deidentifier")
        assert snapshot(store) == local


def test_a_conversation_the_models_fail_on_is_reported_and_the_rest_stored(store, deidentifier, tmp_path):
    class FailsOnOne(HashSuggester):
        def suggest(self, conversations):
            if any(c.conversation_id.endswith("0002") for c in conversations):
                raise RuntimeError("model exploded on: jeg heter Ida")  # a message that must not be echoed
            return super().suggest(conversations)

    class BadCode(HashSuggester):
        def suggest(self, conversations):
            out = super().suggest(conversations)
            for item in out:
                if item["conversation_id"].endswith("0003"):
                    item["suggestions"]["categories"] = [{"code": "vold", "score": 0.9}]
            return out

    rows, _ = helpline_conversations(5, seed=4)
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    run, problems = pipeline(store, deidentifier, FailsOnOne(), batch_size=5)
    report = run.run(source)
    assert (report.stored, report.invalid) == (4, 1)
    assert [str(p) for p in problems] == [f"{source}:3: (conversation): could not be processed (RuntimeError)"]
    run, problems = pipeline(store, deidentifier, BadCode(), batch_size=5)
    assert run.run(source).stored == 1  # the one that failed before
    store_ids = store.conversations.existing_ids(r["conversation_id"] for r in rows)
    assert len(store_ids) == 5 and problems == []
    late = write_jsonl(tmp_path / "late.jsonl", [dict(rows[0], conversation_id="X-0003")])
    run, problems = pipeline(store, deidentifier, BadCode(), batch_size=5)
    assert run.run(late).invalid == 1
    assert [str(p) for p in problems] == [f"{late}:1: suggestions.categories[0].code: unknown code 'vold'"]


def test_the_store_measures_the_margin_against_the_suggesters_own_thresholds(store, deidentifier, tmp_path):
    from sqlalchemy import select

    from research.store.models import Conversation, Kind, Suggestion

    class WithThresholds(HashSuggester):
        decision_thresholds = {"category_thresholds": dict.fromkeys(load_taxonomy().category_codes, 0.8),
                               "disclosure_threshold": 0.5}

    rows, _ = helpline_conversations(4, seed=5)
    run, problems = pipeline(store, deidentifier, WithThresholds())
    assert run.run(write_jsonl(tmp_path / "in.jsonl", rows)).stored == 4 and problems == []
    with store.engine.connect() as conn:
        margins = dict(conn.execute(select(Conversation.id, Conversation.margin)).all())
        scores = conn.execute(select(Suggestion.conversation_id, Suggestion.kind, Suggestion.score)
                              .where(Suggestion.kind != Kind.move)).all()
    expected = {cid: 1.0 for cid in margins}
    for cid, kind, score in scores:
        expected[cid] = min(expected[cid], abs(score - (0.8 if kind == Kind.category else 0.5)))
    assert margins == pytest.approx(expected)


def test_the_store_refuses_what_the_de_identifier_did_not_mark(store, tmp_path):
    class PassThrough:
        """A wiring mistake: hands the raw conversations on."""

        def deidentify(self, conversations):
            return list(conversations)

    from research.store import NotDeidentifiedError

    rows, _ = helpline_conversations(2, seed=9)
    run, _ = pipeline(store, PassThrough())
    with pytest.raises(NotDeidentifiedError):
        run.run(write_jsonl(tmp_path / "in.jsonl", rows))
    assert store.conversations.count() == 0


# --------------------------------------------------------------------------- the command, killed and resumed


def _env(home: Path, db_url: str) -> dict[str, str]:
    tmp = home / "tmp"  # temporary files land in the data folder too, so the scan sees them
    tmp.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "DISCLOSURE_HOME": str(home), "DISCLOSURE_DB_URL": db_url, "TMPDIR": str(tmp),
            "PYTHONPATH": str(PROJECT)}


def _command(source: Path, *options: str) -> list[str]:
    return [sys.executable, str(SCRIPT), "run", str(source), *options]


def _run_and_kill(source: Path, env: dict, store, kill_at: int) -> int:
    """Start ``disclosure run``, SIGKILL it once ``kill_at`` conversations are stored."""
    process = subprocess.Popen(_command(source, "--batch-size", "16"), env=env, cwd=PROJECT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300  # generous: CI shares 2 cores with browser tests
    while store.conversations.count() < kill_at and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    _, stderr = process.communicate()
    assert process.returncode == -signal.SIGKILL, f"finished before the kill at {kill_at}: {stderr.decode()[-500:]}"
    return store.conversations.count()


def test_a_killed_run_resumes_completely_and_no_raw_text_reaches_disk(store, db_url, data_home, tmp_path):
    """Kill ``disclosure run`` (SIGKILL) at a random point, scan everything it
    wrote for the input's PII, restart it, and end with exactly the input's
    conversations, each complete; scan again, files and tables."""
    n = 200
    rows, secrets = helpline_conversations(n, seed=6)
    source = write_jsonl(tmp_path / "in.jsonl", rows)  # outside the data folder
    env = _env(data_home, db_url)
    kill_at = random.Random().randint(n // 8, n // 2)
    stored_at_kill = _run_and_kill(source, env, store, kill_at)
    assert kill_at <= stored_at_kill < n
    secrets = {secret.encode("utf-8") for secret in secrets}
    assert _file_leaks(data_home, secrets) == set()  # a WAL never checkpointed included

    resumed = subprocess.run(_command(source, "--batch-size", "16"), env=env, cwd=PROJECT, capture_output=True,
                             timeout=300)
    assert resumed.returncode == 0, resumed.stderr.decode()[-2000:]
    assert f"{n - stored_at_kill} stored, {stored_at_kill} already stored, 0 invalid" in resumed.stderr.decode()
    _assert_complete(store, rows)
    assert _file_leaks(data_home, secrets) == set()
    assert _database_leaks(store, secrets) == set()
    if db_url.startswith("sqlite"):
        assert (data_home / "store" / "disclosure.db").stat().st_size > 0


def _assert_complete(store, rows: list[dict]) -> None:
    """Exactly the input's conversations, each with all its messages and suggestions."""
    from sqlalchemy import text

    tax = load_taxonomy()
    with store.engine.connect() as conn:
        ids = set(conn.execute(text("SELECT id FROM conversations")).scalars())
        messages = dict(conn.execute(text("SELECT conversation_id, count(*) FROM messages GROUP BY conversation_id")).all())
        suggestions = dict(conn.execute(text(
            "SELECT conversation_id, count(*) FROM suggestions GROUP BY conversation_id")).all())
    assert ids == {r["conversation_id"] for r in rows}
    for row in rows:
        n_messages = len(row["messages"])
        assert messages[row["conversation_id"]] == n_messages
        # every category score, one move per message, one disclosure row
        assert suggestions[row["conversation_id"]] == len(tax.category_codes) + n_messages + 1


def _leaks(blob: bytes, secrets: set[bytes]) -> set[str]:
    return {secret.decode() for secret in secrets if secret in blob}


def _file_leaks(home: Path, secrets: set[bytes]) -> set[tuple[str, str]]:
    """Every file under the data folder (database, WAL, logs, caches, temp files), as bytes."""
    return {(str(path), leak) for path in home.rglob("*") if path.is_file()
            for leak in _leaks(path.read_bytes(), secrets)}


def _database_leaks(store, secrets: set[bytes]) -> set[tuple[str, str]]:
    """Every row of every table, as text, searched for the secrets."""
    from sqlalchemy import inspect, text

    with store.engine.connect() as conn:
        tables = {table: "\n".join(" ".join(map(str, row)) for row in conn.execute(text(f'SELECT * FROM "{table}"')))
                  for table in inspect(conn).get_table_names()}
    return {(table, leak) for table, rows in tables.items() for leak in _leaks(rows.encode("utf-8"), secrets)}


SHIPPED_CLASSIFIER = PROJECT / "models" / "classifier"


@pytest.mark.skipif(not SHIPPED_CLASSIFIER.exists(),
                    reason="models/classifier (the classify room's shipped model) is not trained yet")
def test_the_command_runs_with_the_shipped_models(store, db_url, data_home, tmp_path):
    """``disclosure run`` as installed: the real de-identifier and the shipped classifier."""
    rows, secrets = helpline_conversations(6, seed=10)
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    env = {key: value for key, value in _env(data_home, db_url).items() if key != "PYTHONPATH"}
    done = subprocess.run([str(Path(sys.executable).with_name("disclosure")), "run", str(source)], env=env,
                          cwd=tmp_path, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    tax = load_taxonomy()
    for row in rows:
        view = store.conversations.get(row["conversation_id"])
        assert view.model.startswith("disclosure-classifier/")
        assert {s.code for s in view.suggestions if s.kind == "category"} == set(tax.category_codes)
        assert not any(secret in m.text for m in view.messages for secret in secrets)
    assert _database_leaks(store, {secret.encode() for secret in secrets}) == set()


if __name__ == "__main__":  # `disclosure` with the test suggester wired in (real de-identifier)
    from research.cli import app

    research.pipeline.load_suggester = lambda model_uri=None: HashSuggester()
    app(sys.argv[1:])
