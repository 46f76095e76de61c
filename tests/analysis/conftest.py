"""Stores for the analysis tests: SQLite (a temporary file) and PostgreSQL (a
fresh schema in a database made for this test session), filled through the
store's own API with conversations whose every count is known."""

from __future__ import annotations

import pytest
from analysis_records import record

from research.store import open_store
from research.store.testing import temporary_schema

FAST_BCRYPT = 4


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
