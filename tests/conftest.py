"""Shared fixtures: an isolated data folder and a network guard.

The guard is on for every test: any connection to a non-loopback address
fails loudly, so a hidden model-hub, suffix-list or telemetry fetch is caught
(the PostgreSQL server and the app under test are on 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest

SHARED_DEV = Path(__file__).resolve().parents[1].parent / "shared" / "dev" / "dev.jsonl"


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
