"""Deletes that can be undone for a short while.

A deleted session is hidden at once and removed from the store only after
:data:`UNDO_SECONDS`, by a server-side timer, so the delete happens even if the browser is
closed, and Undo simply cancels the timer. If the process stops inside that window the
session survives (nothing is ever lost by accident). With several app replicas the session
is hidden only on the replica that took the click until the timer fires — acceptable for a
few seconds.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

UNDO_SECONDS = 12.0


class PendingDeletions:
    """Sessions scheduled for deletion, per owner; thread-safe."""

    def __init__(self, delay: float = UNDO_SECONDS):
        self.delay = delay
        self._timers: dict[str, tuple[str, threading.Timer]] = {}
        self._lock = threading.Lock()

    def schedule(self, owner: str, session_id: str, delete: Callable[[str], object]) -> None:
        """Hide ``session_id`` from ``owner`` now; call ``delete(session_id)`` after the delay unless undone."""
        def fire() -> None:
            with self._lock:
                if self._timers.pop(session_id, None) is None:
                    return  # undone just before the timer fired
            delete(session_id)

        timer = threading.Timer(self.delay, fire)
        timer.daemon = True
        with self._lock:
            old = self._timers.pop(session_id, None)
            if old is not None:
                old[1].cancel()
            self._timers[session_id] = (owner, timer)
        timer.start()

    def undo(self, owner: str, session_id: str | None) -> bool:
        """Cancel a pending delete of one of ``owner``'s sessions; True when there was one."""
        with self._lock:
            entry = self._timers.get(session_id or "")
            if entry is None or entry[0] != owner:
                return False
            del self._timers[session_id]
        entry[1].cancel()
        return True

    def hidden(self, owner: str) -> set[str]:
        """Ids of ``owner``'s sessions waiting to be deleted (not listed meanwhile)."""
        with self._lock:
            return {sid for sid, (who, _) in self._timers.items() if who == owner}
