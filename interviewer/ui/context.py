"""The app's shared, read-only services, built once from settings and handed to every tab.

Nothing here holds per-user state: a user's interview lives in their ``gr.State`` and in the
session store, so 20 people using the app at once never share a mutable object. The heavy
services (embedder, grader, Chroma index, interviewer) are built on first use — cold start
stays at Gradio's own import time — and :meth:`AppContext.warm_up` builds them in the
background right after launch.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from interviewer.guide import Guide
from interviewer.interview_service import InterviewService
from interviewer.lazy import LazyCache
from interviewer.settings import Settings
from interviewer.store import SessionStore
from interviewer.ui.deletions import PendingDeletions

log = logging.getLogger("interviewer.ui")


@dataclass
class AppContext:
    """Settings, guide and store, plus lazily built grader, interviewer and index, and pending deletes."""

    settings: Settings
    guide: Guide
    store: SessionStore
    make_grader: Callable[[], Any]
    make_interviewer: Callable[[], Any] | None
    make_index: Callable[[], Any]
    deletions: PendingDeletions = field(default_factory=PendingDeletions)  # the one shared mutable piece: see deletions.py
    _lazy: LazyCache = field(default_factory=LazyCache, repr=False)

    def _get(self, name: str, factory: Callable[[], Any]) -> Any:
        return self._lazy.get(name, factory)

    @property
    def grader(self) -> Any:
        return self._get("grader", self.make_grader)

    @property
    def interviewer(self) -> Any:
        if self.make_interviewer is None:
            from interviewer.errors import ConfigError

            raise ConfigError("The mock interview is not available in this build (no interview engine).")
        return self._get("interviewer", self.make_interviewer)

    @property
    def service(self) -> InterviewService:
        """The interview service every door uses (built over the interviewer and the store)."""
        from interviewer.services import build_interview_service

        return self._get("service", lambda: build_interview_service(self.settings, self.interviewer, self.store))

    @property
    def index(self) -> Any:
        return self._get("index", self.make_index)

    @property
    def mode(self) -> str:
        """What the mode badge shows: the model name, or "offline"."""
        return self.settings.llm_model or "offline"

    @property
    def mode_reason(self) -> str:
        """Why that mode, in words a user can act on ("the only model localhost:8080 serves", "no LLM configured: …").

        The reason is decided once at start-up (:mod:`interviewer.llm_choice`) and never contains a
        key; secret values are dropped again because this text reaches the browser before any view
        is scrubbed.
        """
        from interviewer.interview.guard import redact

        return redact(self.settings.llm_reason, self.secrets)

    @property
    def secrets(self) -> tuple[str, ...]:
        """Values that must never reach the browser or an export."""
        return (self.settings.llm_api_key.get_secret_value(),)

    def warm_up(self) -> None:
        """Build the heavy services now (called in a background thread after launch)."""
        for name in ("grader", "interviewer") if self.make_interviewer is not None else ("grader",):
            try:
                getattr(self, name)
            except Exception as exc:  # the tab that needs it will show a friendly error
                log.warning("warm-up of %s failed: %s", name, type(exc).__name__)


def build_context(settings: Settings) -> AppContext:
    """The UI's view of :class:`interviewer.services.Services` (the one place that picks implementations).

    Opening the store here migrates it, so a wrong or unreachable database URL stops the app
    at start-up with a message that says which and how to fix it.
    """
    from interviewer.services import Services

    services = Services(settings)
    return AppContext(
        settings=settings,
        guide=services.guide,
        store=services.store,
        make_grader=lambda: services.judged_grader,
        make_interviewer=lambda: services.interviewer,
        make_index=lambda: services.index,
    )
