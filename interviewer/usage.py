"""Token usage and estimated cost of LLM calls, per session.

Token counts come from the provider when it reports them (``source="reported"``) and
are counted with tiktoken otherwise (``source="counted"``). Cost is computed from the
price table in ``prompts/interviewer/prices.toml``; an unlisted model has no cost
(``None``), never a guessed one.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from interviewer.prompting import load_toml

PRICES_FILE = "interviewer/prices.toml"


class Price(BaseModel):
    """US dollars per million tokens."""

    input: float = Field(ge=0)
    output: float = Field(ge=0)


def load_prices(path: Path | None = None) -> dict[str, Price]:
    """The price table: model name (or prefix) → :class:`Price`."""
    if path is not None:
        import tomllib

        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    else:
        raw = load_toml(PRICES_FILE)
    return {name: Price(**spec) for name, spec in raw.get("models", {}).items()}


def price_for(model: str, prices: dict[str, Price] | None = None) -> Price | None:
    """The price of ``model``: exact name, else the longest listed prefix, else ``None``."""
    table = load_prices() if prices is None else prices
    if model in table:
        return table[model]
    # Dated snapshots ("gpt-4o-mini-2024-07-18") cost what their family costs.
    matches = [name for name in table if model.startswith(name + "-")]
    return table[max(matches, key=len)] if matches else None


class LLMCall(BaseModel):
    """One call to a language model (one interviewer turn or one judge attempt)."""

    purpose: Literal["interviewer", "judge"]
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    source: Literal["reported", "counted"] = "counted"
    cost_usd: float | None = None
    ok: bool = True
    error: str = Field(default="", description="A short, secret-free reason when the call failed.")
    turn: int | None = None

    @classmethod
    def priced(cls, **fields) -> "LLMCall":
        """Build a call record and compute its cost from the price table."""
        call = cls(**fields)
        price = price_for(call.model)
        if price is not None:
            call.cost_usd = round((call.prompt_tokens * price.input + call.completion_tokens * price.output) / 1e6, 6)
        return call


class Usage(BaseModel):
    """All LLM calls of a session, with totals."""

    calls: list[LLMCall] = Field(default_factory=list)

    def add(self, call: LLMCall) -> None:
        self.calls.append(call)

    @property
    def prompt_tokens(self) -> int:
        return sum(c.prompt_tokens for c in self.calls)

    @property
    def completion_tokens(self) -> int:
        return sum(c.completion_tokens for c in self.calls)

    @property
    def failures(self) -> int:
        return sum(not c.ok for c in self.calls)

    @property
    def cost_usd(self) -> float | None:
        """Total estimated cost; ``None`` when any successful call's model has no price."""
        billed = [c for c in self.calls if c.prompt_tokens or c.completion_tokens]
        if any(c.cost_usd is None for c in billed):
            return None
        return round(sum(c.cost_usd or 0.0 for c in billed), 6)

    def summary(self) -> str:
        """One line for reports: calls, tokens and cost (or why there is none)."""
        if not self.calls:
            return "No LLM calls (offline)."
        cost = self.cost_usd
        cost_text = f"≈ ${cost:.4f}" if cost is not None else f"cost unknown (no price for this model in prompts/{PRICES_FILE})"
        failed = f", {self.failures} failed (offline fallback)" if self.failures else ""
        return (f"{len(self.calls)} LLM call(s){failed}: {self.prompt_tokens:,} prompt + "
                f"{self.completion_tokens:,} completion tokens, {cost_text}.")
