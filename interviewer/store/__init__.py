"""Session store: interview transcripts, scorecards and reports, selected by a database URL.

``sqlite:///path/to/sessions.sqlite3`` (the default, under the data dir) is built in.
For several app replicas, implement :class:`SessionStore` for PostgreSQL (five methods,
one transaction per ``save_session``) and register its URL scheme in :func:`open_store`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from interviewer.errors import ConfigError
from interviewer.store.base import FRAMEWORK_SERIES, SessionStore, SessionSummary
from interviewer.store.sqlite import SQLiteSessionStore

__all__ = ["FRAMEWORK_SERIES", "SQLiteSessionStore", "SessionStore", "SessionSummary", "open_store", "store_url"]


def store_url(settings: Any) -> str:
    """The configured database URL (``database_url`` when the settings have one), else SQLite in the data dir."""
    url = str(getattr(settings, "database_url", "") or "").strip()
    return url or f"sqlite:///{Path(settings.sessions_db).resolve()}"


def open_store(url: str, *, session_type: Any = None) -> SessionStore:
    """Open the store a URL names: ``sqlite:///relative.db``, ``sqlite:////abs/path.db`` or a bare path."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return SQLiteSessionStore(Path(url), session_type=session_type)
    if scheme == "sqlite":
        path = rest[1:] if rest.startswith("/") else rest  # sqlite:///x → "x"; sqlite:////abs → "/abs"
        if not path or path == ":memory:":
            raise ConfigError("The sessions database needs a file path, e.g. sqlite:///data/sessions.sqlite3.")
        return SQLiteSessionStore(Path(path), session_type=session_type)
    if scheme in ("postgres", "postgresql", "postgresql+psycopg"):
        raise ConfigError(
            "PostgreSQL session storage is not built in yet: implement interviewer.store.SessionStore "
            "for it (see interviewer/store/__init__.py) or use a sqlite:/// URL."
        )
    raise ConfigError(f"Unsupported sessions database URL scheme '{scheme}://'; use sqlite:///path.")
