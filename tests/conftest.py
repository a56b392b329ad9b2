"""Shared test fixtures: the seed guide, one embedder, isolated settings, a network guard."""
from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO = Path(__file__).resolve().parent.parent
KNOWLEDGE = REPO / "knowledge"
SEED_GUIDE = REPO.parent / "shared" / "seed-guide" / "000_2be86270cd753413.txt"


@pytest.fixture(scope="session")
def guide():
    from interviewer.guide import load_guides

    return load_guides([KNOWLEDGE])


@pytest.fixture(scope="session")
def embedder():
    from interviewer.embeddings import MiniLMEmbedder

    return MiniLMEmbedder()


@pytest.fixture
def settings(tmp_path, monkeypatch):
    """Settings with a private data dir and no LLM, whatever the developer's environment says."""
    from interviewer.settings import Settings

    for var in list(os.environ):
        if var.startswith("INTERVIEWER_") or var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
            monkeypatch.delenv(var, raising=False)
    return Settings(_env_file=None, data_dir=tmp_path / "data", knowledge_dir=KNOWLEDGE)


class NetworkAttempt(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Refuse (and record) every connection that is not to the loopback interface."""
    attempts: list = []
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1")) or self.family == socket.AF_UNIX:
            return real_connect(self, address)
        attempts.append(address)
        raise NetworkAttempt(f"network access attempted: {address}")

    real_getaddrinfo = socket.getaddrinfo

    def guarded_getaddrinfo(host, *args, **kwargs):
        if host not in (None, "localhost", "127.0.0.1", "::1") and not str(host).startswith("127."):
            attempts.append(host)
            raise NetworkAttempt(f"DNS lookup attempted: {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    return attempts
