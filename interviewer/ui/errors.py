"""Friendly errors: what a user sees when something fails, never a traceback or raw JSON.

Every Gradio callback is wrapped with :func:`friendly`. An :class:`InterviewerError` is
shown with its own message (it was written for the user); anything else is logged with
its traceback and replaced by a short generic message. Messages pass through
:func:`redact` so a configured API key can never reach the browser.
"""
from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import gradio as gr

from interviewer.errors import InterviewerError
from interviewer.interview.guard import redact

log = logging.getLogger("interviewer.ui")

GENERIC_MESSAGE = "Something went wrong on our side and has been logged. Your work so far is saved; please try again."
F = TypeVar("F", bound=Callable[..., Any])


def user_message(exc: BaseException, secrets: Iterable[str] = ()) -> str:
    """The one line to show for an exception (logs the unexpected ones)."""
    if isinstance(exc, gr.Error):
        return redact(str(exc.message), secrets)
    if isinstance(exc, InterviewerError):
        return redact(str(exc), secrets) or GENERIC_MESSAGE
    log.error("unexpected error in a UI callback", exc_info=exc)
    return GENERIC_MESSAGE


def friendly(fn: F, secrets: Iterable[str] = ()) -> F:
    """Wrap a callback (function or generator) so any failure becomes a ``gr.Error`` toast."""
    secrets = tuple(secrets)

    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def gen_wrapper(*args: Any, **kwargs: Any):
            try:
                yield from fn(*args, **kwargs)
            except Exception as exc:
                raise gr.Error(user_message(exc, secrets), print_exception=False) from None

        return gen_wrapper  # type: ignore[return-value]

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            raise gr.Error(user_message(exc, secrets), print_exception=False) from None

    return wrapper  # type: ignore[return-value]
