"""The errors a user can meet, each with a message that says what to do next.

Everything the app raises on purpose derives from :class:`InterviewerError`, so the CLI
and the UI can show ``str(error)`` and never a traceback.
"""
from __future__ import annotations


class InterviewerError(Exception):
    """Base class: the message is shown to the user as is."""


class ConfigError(InterviewerError):
    """A setting is missing or invalid."""


class GuideError(InterviewerError):
    """A guide file cannot be read or parsed."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        where = ""
        if path:
            where = f"{path}" + (f" line {line}" if line else "") + ": "
        super().__init__(where + message)
        self.path = path
        self.line = line


class StoreUnavailableError(InterviewerError):
    """The sessions database stopped answering (after retries); the message says what was kept."""


class IndexStoreError(InterviewerError):
    """The Chroma index is missing, stale or unreachable."""


class InputError(InterviewerError):
    """A candidate answer or other user input cannot be used (binary, unreadable, ...)."""


class DatasetError(InterviewerError):
    """An eval dataset is malformed; the message names the file and line."""


class LLMError(InterviewerError):
    """The configured LLM failed after retries; callers fall back to offline behaviour."""


class UnknownQuestionError(InterviewerError):
    """A question id that is not in the guide."""
