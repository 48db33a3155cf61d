"""Shared fixtures. Tests run offline: any connection to a non-loopback address fails the test."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
# The user's report library (and history) of whoever runs the tests is never read or written by them.
os.environ["MARKETQA_DATA"] = os.path.join(__import__("tempfile").mkdtemp(prefix="marketqa-test-data-"), "data")

from support import SEED_CORPUS


class NetworkAccessError(AssertionError):
    pass


def _is_loopback(address: object) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
    elif isinstance(address, (str, bytes)):
        return True  # AF_UNIX socket paths stay on this machine
    else:
        return False
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_loopback(address):
        raise NetworkAccessError(f"test tried to reach the network: {address!r}")
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _is_loopback(address):
        raise NetworkAccessError(f"test tried to reach the network: {address!r}")
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True, scope="session")
def no_network() -> None:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped corpus indexed once per session into a temporary folder (real model, real FAISS)."""
    from assistant.core import Assistant

    index_dir = tmp_path_factory.mktemp("seed-index")
    Assistant(SEED_CORPUS, index_dir, progress=False).ingest()
    return index_dir


@pytest.fixture(scope="session")
def seed_assistant(seed_index_dir: Path):
    from assistant.core import Assistant

    assistant = Assistant(SEED_CORPUS, seed_index_dir, progress=False)
    assistant.load()
    return assistant


@pytest.fixture
def seed_corpus_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(SEED_CORPUS, target)
    return target
