"""The LLM client at the HTTP boundary: streaming, usage, retries, failures, no leaked key."""
from __future__ import annotations

import logging
import time

import pytest
from fake_openai import SENTINEL_KEY, Reply
from langchain_core.messages import HumanMessage, SystemMessage

from interviewer.errors import LLMError
from interviewer.llm import ChatStream, build_chat_model, complete
from interviewer.services import build_llm
from interviewer.tokens import count_tokens
from interviewer.usage import LLMCall, Usage, price_for

MESSAGES = [SystemMessage("You are terse."), HumanMessage("Say hello.")]


@pytest.fixture
def model(llm_settings):
    return build_llm(llm_settings)


def _run(model, **kw) -> ChatStream:
    stream = ChatStream(model, MESSAGES, **kw)
    list(stream)
    return stream


def _assert_no_key(*texts):
    for text in texts:
        assert SENTINEL_KEY not in text


def test_offline_settings_build_no_model(settings):
    assert build_llm(settings) is None
    with pytest.raises(LLMError, match="No LLM is configured"):
        build_chat_model(settings)


def test_streams_chunks_and_records_reported_usage(model, fake_openai, no_network):
    fake_openai.queue("Hello there, candidate.")
    stream = ChatStream(model, MESSAGES, turn=3)
    chunks = list(stream)
    assert len(chunks) > 1 and "".join(chunks) == "Hello there, candidate."
    body = fake_openai.requests[-1]
    assert body["stream"] is True and body["stream_options"]["include_usage"] is True
    assert body["model"] == "gpt-4o-mini"
    (call,) = stream.calls
    assert call.ok and call.source == "reported" and call.turn == 3
    assert call.prompt_tokens > 0 and call.completion_tokens > 0
    assert call.cost_usd is not None and call.cost_usd > 0
    assert fake_openai.headers[-1]["authorization"] == f"Bearer {SENTINEL_KEY}", "the key is sent to the server, and only there"


def test_429_with_retry_after_is_retried_by_the_client(model, fake_openai):
    fake_openai.queue(Reply(kind="429", retry_after="1"), "Recovered.")
    start = time.monotonic()
    stream = _run(model)
    assert stream.text == "Recovered." and len(fake_openai.requests) == 2
    assert time.monotonic() - start >= 0.9, "Retry-After: 1 was honoured"


@pytest.mark.parametrize("fault", ["500", "reset", "timeout"])
def test_transient_faults_are_retried_then_succeed(model, fake_openai, fault):
    fake_openai.queue(Reply(kind=fault, hold_s=2.0), "Recovered.")
    assert _run(model).text == "Recovered."
    assert len(fake_openai.requests) == 2


@pytest.mark.parametrize("fault,reason", [
    ("429", "rate limited"), ("500", "server error (HTTP 500)"), ("reset", "connection failed"), ("timeout", "timed out"),
])
def test_persistent_faults_become_a_short_secret_free_llm_error(model, fake_openai, caplog, fault, reason):
    caplog.set_level(logging.DEBUG)
    fake_openai.queue(Reply(kind=fault, hold_s=2.0), Reply(kind=fault, hold_s=2.0))
    stream = ChatStream(model, MESSAGES)
    with pytest.raises(LLMError) as info:
        list(stream)
    assert reason in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert len(fake_openai.requests) == 2, "max_retries=1: one retry, bounded"
    assert [c.ok for c in stream.calls] == [False] and stream.calls[0].prompt_tokens == 0
    _assert_no_key(str(info.value), repr(info.value), caplog.text, stream.calls[0].model_dump_json())


def test_stalled_stream_times_out_after_partial_text(model, fake_openai):
    fake_openai.queue(Reply(kind="stall", content="Well, let me think about", hold_s=3.0))
    stream = ChatStream(model, MESSAGES)
    got = []
    with pytest.raises(LLMError, match="timed out"):
        for chunk in stream:
            got.append(chunk)
    assert got == ["Well, "], "text already streamed stays streamed; the caller decides the fallback"


@pytest.mark.parametrize("fault,reason", [("empty", "empty reply"), ("invalid_json", "invalid response")])
def test_empty_or_invalid_output_is_retried_once(model, fake_openai, fault, reason):
    fake_openai.queue(fault, "Second try works.")
    stream = _run(model)
    assert stream.text == "Second try works." and [c.ok for c in stream.calls] == [False, True]
    fake_openai.queue(fault, fault)
    with pytest.raises(LLMError, match=reason):
        _run(model)


def test_complete_is_a_plain_non_streaming_call(llm_settings, fake_openai):
    model = build_llm(llm_settings, temperature=0.0, streaming=False)
    fake_openai.queue('{"adjustments": []}')
    text, call = complete(model, MESSAGES, purpose="judge")
    assert text == '{"adjustments": []}' and call.source == "reported" and call.purpose == "judge"
    body = fake_openai.requests[-1]
    assert not body.get("stream") and body["temperature"] == 0.0
    fake_openai.queue("invalid_json", "invalid_json")
    with pytest.raises(LLMError, match="invalid response") as info:
        complete(model, MESSAGES)
    assert info.value.call.ok is False


def test_fake_llm_usage_is_counted_with_tiktoken(fake_llm):
    fake_llm.queue("Counted reply.")
    stream = _run(fake_llm)
    (call,) = stream.calls
    assert call.source == "counted" and call.prompt_tokens > 0
    assert call.completion_tokens == count_tokens("Counted reply.", "fake-llm")
    assert call.model == "fake-llm" and call.cost_usd is None, "no price for an unknown model: no invented cost"
    fake_llm.queue(RuntimeError("boom"))
    with pytest.raises(LLMError, match="RuntimeError"):
        _run(fake_llm)


def test_prices_exact_prefix_unknown_and_totals():
    assert price_for("gpt-4o-mini").input == 0.15
    assert price_for("gpt-4o-mini-2024-07-18") == price_for("gpt-4o-mini"), "dated snapshots take the family's price"
    assert price_for("llama3.1:8b") is None
    usage = Usage()
    usage.add(LLMCall.priced(purpose="interviewer", model="gpt-4o-mini", prompt_tokens=1_000_000, completion_tokens=1_000_000))
    assert usage.cost_usd == pytest.approx(0.75)
    assert "≈ $0.7500" in usage.summary()
    usage.add(LLMCall.priced(purpose="judge", model="local-model", prompt_tokens=10, completion_tokens=5))
    assert usage.cost_usd is None and "cost unknown" in usage.summary()
    assert Usage().summary() == "No LLM calls (offline)."
