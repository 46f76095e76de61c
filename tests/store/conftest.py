"""Every store test runs on SQLite (a temporary file) and on PostgreSQL (a
fresh schema in a database made for this test session, dropped afterwards)."""

from __future__ import annotations

import pytest

from research.store.testing import sample_record


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
