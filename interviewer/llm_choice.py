"""Which chat model to use, and why — decided once at start-up, explained in one line.

Users set a key, a base URL, a model name, or some of the three. :func:`choose_llm` is the
pure decision (settings + the models a server says it serves → model and reason);
:func:`list_served_models` is the one network call, made only when the user pointed the
app at their own endpoint without naming a model; :func:`resolve_llm` wires the two and
returns settings with the chosen model, so everything downstream just reads
``settings.llm_model``. Neither the key nor the URL's user/password ever reach a message.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from interviewer.errors import LLMError
from interviewer.settings import OPENAI_DEFAULT_MODEL, Settings

OPENAI_HOST = "api.openai.com"
DISCOVERY_TIMEOUT_S = 5.0  # start-up waits at most this long for a server that does not answer
MAX_NAMED = 5  # models listed by name when a server serves several


@dataclass(frozen=True)
class LLMChoice:
    """The model to use ("" = offline) and the reason, in words a user can act on."""

    model: str
    reason: str


def endpoint_host(base_url: str) -> str:
    """``host[:port]`` of the endpoint, without scheme, path or credentials."""
    if not base_url:
        return OPENAI_HOST
    parts = urlsplit(base_url if "://" in base_url else f"http://{base_url}")
    host = parts.hostname or base_url
    return f"{host}:{parts.port}" if parts.port else host


def is_openai(settings: Settings) -> bool:
    return not settings.llm_base_url or OPENAI_HOST in endpoint_host(settings.llm_base_url)


def needs_discovery(settings: Settings) -> bool:
    """True when the user named their own endpoint but no model: only then is the server asked."""
    return not settings.llm_model and bool(settings.llm_base_url) and not is_openai(settings)


def choose_llm(settings: Settings, served: Sequence[str] | None = None, error: str = "") -> LLMChoice:
    """The model for ``settings``; ``served``/``error`` are the result of asking the server (if it was asked)."""
    has_key = bool(settings.llm_api_key.get_secret_value())
    host = endpoint_host(settings.llm_base_url)
    if settings.llm_model:
        if not has_key and is_openai(settings):
            return LLMChoice("", f"INTERVIEWER_LLM_MODEL={settings.llm_model} is set but OPENAI_API_KEY is not "
                                 "(or set INTERVIEWER_LLM_BASE_URL for a local server)")
        return LLMChoice(settings.llm_model, f"set by INTERVIEWER_LLM_MODEL, via {host}")
    if is_openai(settings):
        if has_key:
            return LLMChoice(OPENAI_DEFAULT_MODEL, "the default for OpenAI's endpoint; set INTERVIEWER_LLM_MODEL to choose another")
        return LLMChoice("", "no LLM configured: set OPENAI_API_KEY, or INTERVIEWER_LLM_BASE_URL for a local server")
    if error:
        return LLMChoice("", f"could not list the models at {host} ({error}); "
                             "check INTERVIEWER_LLM_BASE_URL or set INTERVIEWER_LLM_MODEL")
    models = sorted(set(served or ()))
    if len(models) == 1:
        return LLMChoice(models[0], f"the only model {host} serves")
    if not models:
        return LLMChoice("", f"{host} serves no models; load one there or set INTERVIEWER_LLM_MODEL")
    named = ", ".join(models[:MAX_NAMED]) + (f" and {len(models) - MAX_NAMED} more" if len(models) > MAX_NAMED else "")
    return LLMChoice("", f"{host} serves {len(models)} models ({named}); set INTERVIEWER_LLM_MODEL to one of them")


def list_served_models(settings: Settings) -> list[str]:
    """Ask ``GET {base_url}/models`` which models the server serves; ``LLMError`` with a short, secret-free reason."""
    # user:password@ in a URL is not for urllib (it would look the whole thing up as a host name).
    parts = urlsplit(settings.llm_base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LLMError("INTERVIEWER_LLM_BASE_URL must start with http:// or https:// (e.g. http://127.0.0.1:8000/v1)")
    netloc = parts.netloc.rpartition("@")[2]
    url = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/") + "/models", "", ""))
    key = settings.llm_api_key.get_secret_value()
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"} if key else {})
    timeout = min(settings.llm_timeout_s, DISCOVERY_TIMEOUT_S)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = json.loads(response.read(1_000_000) or b"{}")
    except urllib.error.HTTPError as exc:
        # The body is not quoted: some servers echo the key back in their error text.
        raise LLMError(f"HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise LLMError(f"no answer within {timeout:g} s") from None
        raise LLMError(reason if isinstance(reason, str) else (getattr(reason, "strerror", None) or type(reason).__name__)) from None
    except TimeoutError:
        raise LLMError(f"no answer within {timeout:g} s") from None
    except (ValueError, OSError) as exc:
        raise LLMError(f"unreadable reply ({type(exc).__name__})") from None
    rows = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(rows, list):
        raise LLMError("the reply is not an OpenAI-style model list")
    return [str(row["id"]) for row in rows if isinstance(row, dict) and row.get("id")]


def resolve_llm(settings: Settings) -> Settings:
    """Settings with the model chosen (and the reason kept for :meth:`Settings.describe_llm`).

    Call once at start-up of a command that may use the LLM — never in a constructor — so
    the server is asked at most once, and only when the user configured an endpoint.
    """
    served, error = None, ""
    if needs_discovery(settings):
        try:
            served = list_served_models(settings)
        except LLMError as exc:
            error = str(exc)
    choice = choose_llm(settings, served, error)
    return settings.with_llm(choice.model, choice.reason)
