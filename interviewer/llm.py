"""The language model behind the interviewer and the judge: any OpenAI-compatible endpoint.

:func:`build_chat_model` makes a LangChain ``ChatOpenAI`` from settings (OpenAI, Ollama,
vLLM, LM Studio, llama.cpp server). Transport failures (timeout, 429 honouring
Retry-After, 5xx, connection reset) are retried with backoff by the OpenAI client itself
(``max_retries``/``timeout``). On top of that, an *empty or unparseable* reply is retried
once here, but only before any text reached the caller. Whatever still fails becomes an
:class:`LLMError` with a short, secret-free reason, so callers can fall back offline.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from interviewer.errors import LLMError
from interviewer.usage import LLMCall

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

    from interviewer.settings import Settings

log = logging.getLogger(__name__)
OUTPUT_RETRIES = 1  # extra attempts for an empty/invalid reply (transport retries are the client's)
RETRY_BACKOFF_S = 0.2
Purpose = Literal["interviewer", "judge"]


def build_chat_model(settings: "Settings", *, temperature: float | None = None, streaming: bool = True) -> "BaseChatModel":
    """A ``ChatOpenAI`` for the configured endpoint; raises ``LLMError`` if none is configured."""
    from langchain_openai import ChatOpenAI

    if not settings.llm_enabled:
        raise LLMError("No LLM is configured (set INTERVIEWER_LLM_MODEL); the app runs offline.")
    # Local servers ignore the key, but the OpenAI client refuses to start without one.
    key = settings.llm_api_key.get_secret_value() or "not-needed"
    # LangChain sends the cap as `max_completion_tokens`, which OpenAI reads but llama.cpp, Ollama and
    # LM Studio ignore: self-hosted endpoints also get the classic `max_tokens`.
    self_hosted = bool(settings.llm_base_url) and "api.openai.com" not in settings.llm_base_url
    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url or None,
        api_key=key,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        temperature=settings.llm_temperature if temperature is None else temperature,
        streaming=streaming,
        stream_usage=True,
        max_tokens=settings.llm_max_tokens,
        extra_body={"max_tokens": settings.llm_max_tokens} if self_hosted else None,
    )


def model_name(llm, fallback: str = "") -> str:
    """A display name for a chat model: its configured model name, else its class name."""
    return fallback or str(getattr(llm, "model_name", "") or getattr(llm, "model", "") or type(llm).__name__)


def ensure_token_counting() -> None:
    """Seed tiktoken's offline cache if nobody did yet (idempotent, no network)."""
    if not os.environ.get("TIKTOKEN_CACHE_DIR"):
        from interviewer.tokens import seed_tiktoken_cache

        seed_tiktoken_cache(Path(tempfile.gettempdir()) / "interviewer-tiktoken")


def count_message_tokens(messages: Sequence["BaseMessage"], model: str = "") -> int:
    """Prompt tokens of a message list, counted with tiktoken (≈ 4 tokens of framing each)."""
    from interviewer.tokens import count_tokens

    ensure_token_counting()
    return sum(count_tokens(str(m.content), model) + 4 for m in messages)


def describe_failure(exc: BaseException) -> str:
    """A short reason for a failed call that never includes headers, keys or bodies."""
    import openai

    status = getattr(exc, "status_code", None)
    if isinstance(exc, LLMError):
        return str(exc)
    if isinstance(exc, openai.APITimeoutError) or "timeout" in type(exc).__name__.lower():
        return "timed out"
    if isinstance(exc, openai.RateLimitError):
        return "rate limited (HTTP 429)"
    if isinstance(exc, openai.APIStatusError) and status:
        return f"server error (HTTP {status})" if status >= 500 else f"request refused (HTTP {status})"
    if isinstance(exc, openai.APIConnectionError):
        return "connection failed"
    if isinstance(exc, (json.JSONDecodeError, ValueError)):
        return "invalid response (not JSON)"
    return f"failed ({type(exc).__name__})"


def _retryable_output(exc: BaseException) -> bool:
    return isinstance(exc, (_EmptyReply, json.JSONDecodeError))


class _EmptyReply(LLMError):
    pass


class ChatStream:
    """Iterate to receive text chunks; afterwards ``text`` and ``calls`` hold the result.

    Raises :class:`LLMError` (possibly after some chunks were yielded) when the model
    fails, or keeps streaming longer than the model's request timeout after its first
    token; ``calls`` then records the failed attempt(s) too.
    """

    def __init__(self, llm: "BaseChatModel", messages: Sequence["BaseMessage"], *, purpose: Purpose = "interviewer",
                 model: str = "", turn: int | None = None):
        self.llm, self.messages, self.purpose, self.turn = llm, list(messages), purpose, turn
        self.model = model_name(llm, model)
        self.text = ""
        self.calls: list[LLMCall] = []
        self.prompt_tokens = count_message_tokens(self.messages, self.model)
        # A streamed reply must also finish within the request timeout of its first token.
        timeout = getattr(llm, "request_timeout", None)
        self.deadline_s = float(timeout) if isinstance(timeout, (int, float)) and timeout > 0 else None

    def __iter__(self) -> Iterator[str]:
        for attempt in range(1 + OUTPUT_RETRIES):
            parts: list[str] = []
            usage = None
            source = iter(self.llm.stream(self.messages))
            first: float | None = None
            try:
                for chunk in source:
                    usage = _merge_usage(usage, getattr(chunk, "usage_metadata", None))
                    piece = chunk.content if isinstance(chunk.content, str) else ""
                    if piece:
                        parts.append(piece)
                        yield piece
                    # The client's timeout is per read: a server that trickles tokens forever never trips it.
                    first = time.monotonic() if first is None else first
                    if self.deadline_s and time.monotonic() - first > self.deadline_s:
                        raise LLMError("timed out")
                if not "".join(parts).strip():
                    raise _EmptyReply("empty reply")
            except GeneratorExit:  # the caller stopped listening (e.g. it rejected the reply): still count the call
                self.calls.append(self._record(usage, "".join(parts), ok=False, error="stopped by the app"))
                raise
            except Exception as exc:
                reason = describe_failure(exc)
                self.calls.append(self._record(usage, "".join(parts), ok=False, error=reason))
                if not parts and _retryable_output(exc) and attempt < OUTPUT_RETRIES:
                    log.info("LLM %s reply was unusable (%s); retrying once", self.purpose, reason)
                    time.sleep(RETRY_BACKOFF_S * (2**attempt))
                    continue
                log.warning("LLM %s call failed: %s", self.purpose, reason)
                raise LLMError(reason) from None  # `from None`: the cause may carry request details
            finally:
                close = getattr(source, "close", None)
                if close is not None:
                    close()  # hang up on the server (a trickling stream stops here)
            self.text = "".join(parts).strip()
            self.calls.append(self._record(usage, self.text, ok=True))
            return

    def _record(self, usage: dict | None, text: str, *, ok: bool, error: str = "") -> LLMCall:
        return _call_record(self.purpose, self.model, usage, self.prompt_tokens, text, ok=ok, error=error, turn=self.turn)


def _call_record(purpose: Purpose, model: str, usage: dict | None, counted_prompt: int, text: str, *, ok: bool,
                 error: str = "", turn: int | None = None) -> LLMCall:
    """Reported usage when the provider sent it, else tiktoken counts (marked as counted)."""
    from interviewer.tokens import count_tokens

    if usage and usage.get("input_tokens"):
        prompt, completion, source = usage.get("input_tokens", 0), usage.get("output_tokens", 0), "reported"
    elif not ok and not text:
        prompt, completion, source = 0, 0, "counted"  # nothing came back: nothing to bill
    else:
        prompt, completion, source = counted_prompt, count_tokens(text, model) if text else 0, "counted"
    return LLMCall.priced(purpose=purpose, model=model, prompt_tokens=prompt, completion_tokens=completion,
                          source=source, ok=ok, error=error, turn=turn)


def _merge_usage(total: dict | None, new) -> dict | None:
    if not new:
        return total
    new = dict(new)
    if total is None:
        return new
    return {k: total.get(k, 0) + new.get(k, 0) for k in ("input_tokens", "output_tokens", "total_tokens")}


def complete(llm: "BaseChatModel", messages: Sequence["BaseMessage"], *, purpose: Purpose = "judge", model: str = "",
             turn: int | None = None) -> tuple[str, LLMCall]:
    """One non-streaming call: the reply text (possibly empty) and its call record.

    No retry here beyond the client's transport retries: callers that validate the
    reply (the judge) decide whether to ask again. Raises :class:`LLMError` with the
    failed call record in ``.call``.
    """
    name = model_name(llm, model)
    counted = count_message_tokens(messages, name)
    try:
        reply = llm.invoke(list(messages))
    except Exception as exc:
        reason = describe_failure(exc)
        log.warning("LLM %s call failed: %s", purpose, reason)
        error = LLMError(reason)
        error.call = _call_record(purpose, name, None, counted, "", ok=False, error=reason, turn=turn)  # type: ignore[attr-defined]
        raise error from None  # `from None`: the cause may carry request details
    text = reply.content if isinstance(reply.content, str) else ""
    usage = dict(reply.usage_metadata) if getattr(reply, "usage_metadata", None) else None
    return text, _call_record(purpose, name, usage, counted, text, ok=True, turn=turn)
