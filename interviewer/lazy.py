"""Objects built once, on first use, safely across threads: the embedder, grader, index and
interviewer take seconds and hundreds of MB, so two first users must never both build them."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class LazyCache:
    """``get(name, factory)`` builds ``name`` once and returns the same object ever after."""

    def __init__(self) -> None:
        self.built: dict[str, Any] = {}
        # Re-entrant: building one object may build another first (the service builds the interviewer).
        self._lock = threading.RLock()

    def get(self, name: str, factory: Callable[[], Any]) -> Any:
        if name not in self.built:
            with self._lock:
                if name not in self.built:
                    self.built[name] = factory()
        return self.built[name]
