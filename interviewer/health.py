"""``/healthz`` for a load balancer: can this replica serve an interview right now?

Two checks, each cheap: the session store answers a trivial query (no retries: a health
check must answer fast and let the balancer decide), and the guide index is reachable and
not empty. The result is typed data; the HTTP route in ``ui/app.py`` only serialises it
(200 when healthy, 503 otherwise, so a balancer takes the replica out of rotation).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Protocol


class Pingable(Protocol):
    def ping(self) -> None: ...


class Countable(Protocol):
    def count(self) -> int: ...


@dataclass(frozen=True)
class Check:
    """One dependency: whether it answered, and what to do when it did not."""

    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Health:
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def as_dict(self) -> dict[str, object]:
        return {"status": "ok" if self.ok else "unavailable", "checks": [asdict(c) for c in self.checks]}


def _run(name: str, probe: Callable[[], str]) -> Check:
    try:
        return Check(name, True, probe())
    except Exception as exc:  # any failure is "not healthy"; the detail names it, never a traceback
        first_line = (str(exc).strip().splitlines() or [""])[0][:200]
        return Check(name, False, f"{type(exc).__name__}: {first_line}".rstrip(": "))


def check_health(store: Pingable, index: Callable[[], Countable], store_where: str) -> Health:
    """Probe the store and the index (``index`` is a getter: opening it is part of the check)."""
    def probe_store() -> str:
        store.ping()
        return f"sessions database {store_where} answers"

    def probe_index() -> str:
        n = index().count()
        if n <= 0:
            raise RuntimeError("the guide index is empty: run `interviewer ingest`")
        return f"{n} guide chunks"

    return Health((_run("store", probe_store), _run("index", probe_index)))
