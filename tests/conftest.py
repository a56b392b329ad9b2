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
# The user's guide exactly as pasted (Mac Roman mojibake and all), kept byte for byte inside the
# repository so the repair is tested in any clone.
SEED_GUIDE = REPO / "tests" / "fixtures" / "seed_guide_raw.txt"


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


# --------------------------------------------------------------------------- the one fake LLM
# Appended for the interviewer and the judge. A LangChain chat model with a queue of replies
# (strings, callables of the messages, or exceptions to raise) and a record of every message
# list it was sent. Tests pass it where the app passes the ChatOpenAI from services.build_llm.
from typing import Any  # noqa: E402

from langchain_core.language_models.chat_models import BaseChatModel  # noqa: E402
from langchain_core.messages import AIMessage, AIMessageChunk  # noqa: E402
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult  # noqa: E402
from pydantic import Field  # noqa: E402


class FakeLLM(BaseChatModel):
    """Replies from a queue (then ``default``); records ``calls`` (one message list per call)."""

    replies: list[Any] = Field(default_factory=list)
    default: str = "Thanks. Let's continue."
    calls: list[Any] = Field(default_factory=list)
    model_name: str = "fake-llm"

    @property
    def _llm_type(self) -> str:
        return "fake-llm"

    def queue(self, *replies: Any) -> "FakeLLM":
        self.replies.extend(replies)
        return self

    def _next(self, messages) -> str:
        self.calls.append(list(messages))
        item = self.replies.pop(0) if self.replies else self.default
        if isinstance(item, BaseException):
            raise item
        return item(messages) if callable(item) else str(item)

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self._next(messages)))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs):
        text = self._next(messages)
        words = text.split(" ")
        for i, word in enumerate(words):
            yield ChatGenerationChunk(message=AIMessageChunk(content=word + (" " if i < len(words) - 1 else "")))


@pytest.fixture
def fake_llm():
    """A fresh :class:`FakeLLM` (queue replies with ``fake_llm.queue(...)``)."""
    return FakeLLM()


@pytest.fixture
def fake_openai():
    """The fake OpenAI-compatible HTTP server (tests/fake_openai.py) on 127.0.0.1, stopped after the test."""
    from fake_openai import FakeOpenAI

    server = FakeOpenAI().start()
    yield server
    server.stop()


@pytest.fixture
def llm_settings(settings, fake_openai):
    """Settings pointing at the fake server with the sentinel key and short timeouts."""
    from fake_openai import SENTINEL_KEY
    from pydantic import SecretStr

    return settings.model_copy(update={
        "llm_model": "gpt-4o-mini", "llm_base_url": fake_openai.url, "llm_api_key": SecretStr(SENTINEL_KEY),
        "llm_timeout_s": 0.5, "llm_max_retries": 1,
    })
