"""The suite runs offline: a connection to anything but loopback fails the test that tries it."""

from __future__ import annotations

import socket

import pytest

from conftest import NetworkAccessError


def test_non_loopback_connections_are_refused_before_any_packet() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        with pytest.raises(NetworkAccessError):
            sock.connect(("203.0.113.7", 443))  # TEST-NET-3: never routed, and never reached here


def test_loopback_stays_allowed() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=2):
            pass
