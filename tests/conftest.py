"""Shared fixtures: an isolated data folder and a network guard.

The guard is on for every test: any connection to a non-loopback address
fails loudly, so a hidden model-hub, suffix-list or telemetry fetch is caught
(the PostgreSQL server and the app under test are on 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from pathlib import Path

import pytest

FAST_BCRYPT = 4  # the minimum bcrypt cost: tests hash many passwords
SHARED_DEV = Path(__file__).resolve().parents[1].parent / "shared" / "dev" / "dev.jsonl"


@pytest.fixture(autouse=True)
def keep_main_module():
    """Streamlit's AppTest runs a page as ``__main__`` and leaves it in
    sys.modules; a process pool started later (the Dask engine's, with spawn)
    would re-run that page in every child. Put the real one back."""
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main


class NetworkAccessError(RuntimeError):
    """A test tried to reach beyond this machine."""


def _is_loopback(address) -> bool:
    if not isinstance(address, tuple):  # unix sockets
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def guarded_connect(sock, address):
        if not _is_loopback(address):
            raise NetworkAccessError(f"network access attempted: {address!r}")
        return real_connect(sock, address)

    def guarded_connect_ex(sock, address):
        if not _is_loopback(address):
            raise NetworkAccessError(f"network access attempted: {address!r}")
        return real_connect_ex(sock, address)

    def guarded_getaddrinfo(host, *args, **kwargs):
        if host not in (None, "localhost") and not _is_loopback((host,)):
            raise NetworkAccessError(f"name lookup attempted: {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    real_getaddrinfo = socket.getaddrinfo
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    yield


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    """A fresh DISCLOSURE_HOME for the test."""
    home = tmp_path / "disclosure-home"
    monkeypatch.setenv("DISCLOSURE_HOME", str(home))
    return home


@pytest.fixture
def shared_dev() -> Path:
    """../shared/dev/dev.jsonl when present (measurement only; CI has it beside the clone)."""
    if not SHARED_DEV.exists():
        pytest.skip("../shared/dev is not beside this checkout")
    return SHARED_DEV


# --------------------------------------------------------------------------- stores on both backends


@pytest.fixture(scope="session")
def pg_database():
    """A PostgreSQL database made for this test session (per xdist worker), dropped after."""
    from research.store.testing import postgres_available, temporary_database

    if not postgres_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432: CI must test the store on it")
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    with temporary_database() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, data_home):
    """Each store test runs on SQLite (a temporary file) and on a fresh PostgreSQL schema."""
    from research.store.testing import temporary_schema

    if request.param == "sqlite":
        yield f"sqlite:///{data_home / 'store' / 'disclosure.db'}"
        return
    with temporary_schema(request.getfixturevalue("pg_database")) as url:
        yield url


@pytest.fixture
def store(db_url, data_home):
    from research.store import open_store

    with open_store(db_url, bcrypt_rounds=FAST_BCRYPT) as opened:
        yield opened
