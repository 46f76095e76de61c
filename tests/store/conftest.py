"""Every store test runs on SQLite (a temporary file) and on PostgreSQL (a
fresh schema in a database made for this test session, dropped afterwards)."""

from __future__ import annotations

import pytest

from research.store import open_store
from research.store.testing import postgres_available, sample_record, temporary_database, temporary_schema

FAST_BCRYPT = 4  # the minimum cost: tests hash many passwords


@pytest.fixture(scope="session")
def pg_database():
    if not postgres_available():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    with temporary_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store' / 'disclosure.db'}"
        return
    with temporary_schema(request.getfixturevalue("pg_database")) as url:
        yield url


@pytest.fixture
def store(db_url, data_home):
    with open_store(db_url, bcrypt_rounds=FAST_BCRYPT) as opened:
        yield opened


@pytest.fixture
def record_factory():
    return sample_record


@pytest.fixture
def counsellors(store):
    """Three counsellors and a data scientist, with known passwords."""
    for name in ("anna", "bo", "cato"):
        store.users.add(name, "counsellor", f"{name}-password-123")
    store.users.add("dora", "data_scientist", "dora-password-123")
    return ["anna", "bo", "cato"]
