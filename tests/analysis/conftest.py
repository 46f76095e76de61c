"""Stores for the analysis tests: SQLite (a temporary file) and PostgreSQL (a
fresh schema in a database made for this test session), filled through the
store's own API with conversations whose every count is known."""

from __future__ import annotations

import pytest
from analysis_records import record

from research.store import open_store
from research.store.testing import postgres_available, temporary_database, temporary_schema

FAST_BCRYPT = 4


@pytest.fixture(scope="session")
def pg_database():
    if not postgres_available():
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    with temporary_database("analysis_test") as url:
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


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def module_store(request, tmp_path_factory):
    """One store per test module and backend, for tests that only read it."""
    home = tmp_path_factory.mktemp("disclosure-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DISCLOSURE_HOME", str(home))
        if request.param == "sqlite":
            with open_store(f"sqlite:///{home / 'store' / 'disclosure.db'}", bcrypt_rounds=FAST_BCRYPT) as opened:
                yield opened
            return
        with temporary_schema(request.getfixturevalue("pg_database")) as url, \
                open_store(url, bcrypt_rounds=FAST_BCRYPT) as opened:
            yield opened


@pytest.fixture
def make_record():
    return record
