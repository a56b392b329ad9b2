"""All configuration, read in one place.

Build a :class:`Settings` once (in ``app.py`` or the CLI) and pass it down; nothing else
reads the environment. Every field can be set as ``INTERVIEWER_<NAME>`` or in ``.env``.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, PrivateAttr, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
# Used when OPENAI_API_KEY is set without a model (documented in the README): cheap, fast, good enough to phrase turns.
OPENAI_DEFAULT_MODEL = "gpt-4o-mini"


_URL_CREDENTIALS = re.compile(r"(\w+://)[^/@\s]*@")  # scheme://user:password@host


class Settings(BaseSettings):
    """Application settings (prefix ``INTERVIEWER_``, ``.env`` supported)."""

    model_config = SettingsConfigDict(
        env_prefix="INTERVIEWER_", env_file=".env", env_file_encoding="utf-8", extra="ignore",
        populate_by_name=True,  # Settings(llm_base_url=...) works as well as the env aliases
    )

    data_dir: Path = Field(default=Path("data"), description="Index, sessions and caches live here.")
    knowledge_dir: Path = Field(default=REPO_ROOT / "knowledge", description="Guide Markdown files to ingest.")
    chroma_url: str = Field(default="", description="Empty = embedded Chroma under data_dir; else http://host:port.")
    database_url: str = Field(default="", description="Session store; empty = SQLite under data_dir; "
                                                      "postgresql://user:password@host:5432/db for several replicas.")
    database_pool_size: int = Field(default=10, ge=1, le=200, description="PostgreSQL connections per app process.")
    database_connect_timeout_s: float = Field(default=5.0, gt=0, description="How long to wait for the database at start-up.")
    database_retry_s: float = Field(default=15.0, ge=0, description="How long a turn retries a dropped database connection.")
    owner: str = Field(default="", description="Whose history terminal interviews go to; empty = user:<login name>, "
                                               "the key the app gives a logged-in user of that name.")
    collection: str = Field(default="interview-guide", description="Chroma collection name (3-512 chars).")
    embedding_backend: Literal["minilm", "openai"] = Field(
        default="minilm", description="minilm = offline int8 ONNX all-MiniLM-L6-v2; openai = the embeddings API."
    )
    embedding_model: str = Field(default="text-embedding-3-small", description="Model for the openai backend.")

    llm_model: str = Field(
        default="",
        description=f"Chat model name. Empty: {OPENAI_DEFAULT_MODEL} with an OpenAI key; with a base URL, the only model "
                    "the server serves; else offline (see interviewer.llm_choice).",
    )
    llm_base_url: str = Field(
        default="",
        validation_alias=AliasChoices("INTERVIEWER_LLM_BASE_URL", "OPENAI_BASE_URL"),
        description="OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, LM Studio, llama.cpp).",
    )
    llm_api_key: SecretStr = Field(
        default=SecretStr(""),
        validation_alias=AliasChoices("INTERVIEWER_LLM_API_KEY", "OPENAI_API_KEY"),
        description="API key; never logged or shown.",
    )
    llm_timeout_s: float = Field(default=30.0, gt=0, description="Per-request timeout in seconds.")
    llm_max_retries: int = Field(default=2, ge=0, le=6, description="Retries on timeout, 429 and 5xx.")
    llm_temperature: float = Field(default=0.4, ge=0, le=2, description="For interviewer phrasing (the judge uses 0).")
    llm_judge: bool = Field(default=True, description="Let the LLM refine scores by at most ±1 when configured.")
    llm_max_tokens: int = Field(default=400, ge=50, le=8000,
                                description="Most tokens one model reply may have (a weak model rambles on until its context is full).")
    prompt_token_budget: int = Field(default=3000, ge=500, description="Max prompt tokens per interviewer turn.")

    max_answer_chars: int = Field(default=20_000, ge=1000, description="Longer answers are truncated, with a note.")
    max_turns: int = Field(default=200, ge=10, description="Turns per session before it is wrapped up.")

    host: str = Field(default="127.0.0.1", description="Where the Gradio app listens.")
    port: int = Field(default=7860, ge=1, le=65535)

    # Why the model in use was chosen (or why there is none), set by llm_choice.resolve_llm at start-up.
    _llm_reason: str = PrivateAttr(default="")

    def with_llm(self, model: str, reason: str) -> "Settings":
        """A copy that uses ``model`` ("" = offline), remembering why for :meth:`describe_llm`."""
        copy = self.model_copy(update={"llm_model": model})
        copy._llm_reason = reason
        return copy

    @property
    def llm_enabled(self) -> bool:
        """An LLM is used only when a model name is configured."""
        return bool(self.llm_model)

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def sessions_db(self) -> Path:
        return self.data_dir / "sessions.sqlite3"

    @property
    def llm_reason(self) -> str:
        """Why this model, or why offline. A server's own words may quote a URL: its credentials are dropped."""
        from interviewer.llm_choice import endpoint_host

        if not self.llm_enabled:
            return _URL_CREDENTIALS.sub(r"\1", self._llm_reason or "no LLM configured")
        return _URL_CREDENTIALS.sub(r"\1", self._llm_reason or f"via {endpoint_host(self.llm_base_url)}")

    def describe_llm(self) -> str:
        """The mode line: which model is in use and why, or why it is offline."""
        return f"{self.llm_model} ({self.llm_reason})" if self.llm_enabled else f"offline — {self.llm_reason}"


def quiet_network_defaults() -> None:
    """Turn off phone-home behaviour of libraries before they are imported.

    Gradio looks up analytics hosts at start and huggingface_hub resolves models online;
    neither is wanted for an offline tool. Uses setdefault so a user can still opt in.
    """
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
