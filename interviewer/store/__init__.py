"""Session store: interview transcripts, scorecards and reports, selected by a database URL.

``sqlite:///path/to/sessions.sqlite3`` (the default, under the data dir) keeps one machine's
sessions; ``postgresql://user:password@host:5432/db`` is what several app replicas share.
Both run the same numbered migrations when opened (:mod:`interviewer.store.migrations`).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from interviewer.errors import ConfigError
from interviewer.store.base import FRAMEWORK_SERIES, SessionStore, SessionSummary
from interviewer.store.sqlite import SQLiteSessionStore
from interviewer.store.urls import POSTGRES_SCHEMES, describe_url, scheme_of

if TYPE_CHECKING:
    from interviewer.settings import Settings

__all__ = ["FRAMEWORK_SERIES", "SQLiteSessionStore", "SessionStore", "SessionSummary", "describe_url", "open_store",
           "open_configured_store", "store_url"]


def store_url(settings: Any) -> str:
    """The configured database URL (``database_url`` when the settings have one), else SQLite in the data dir."""
    url = str(getattr(settings, "database_url", "") or "").strip()
    return url or f"sqlite:///{Path(settings.sessions_db).resolve()}"


def open_store(url: str, *, session_type: Any = None, pool_size: int = 10, connect_timeout_s: float = 5.0,
               retry_s: float = 15.0) -> SessionStore:
    """Open (and migrate) the store a URL names: ``sqlite:///relative.db``, ``sqlite:////abs/path.db``,
    a bare path, or ``postgresql://…``. A URL that cannot work raises :class:`ConfigError` saying how to fix it."""
    scheme = scheme_of(url)
    if not scheme:
        return SQLiteSessionStore(Path(url), session_type=session_type)
    if scheme == "sqlite":
        rest = url.partition("://")[2]
        path = rest[1:] if rest.startswith("/") else rest  # sqlite:///x → "x"; sqlite:////abs → "/abs"
        if not path or path == ":memory:":
            raise ConfigError("The sessions database needs a file path, e.g. sqlite:///data/sessions.sqlite3.")
        return SQLiteSessionStore(Path(path), session_type=session_type)
    if scheme in POSTGRES_SCHEMES:
        from interviewer.store.postgres import PostgresSessionStore

        return PostgresSessionStore(url, session_type=session_type, pool_size=pool_size,
                                    connect_timeout_s=connect_timeout_s, retry_s=retry_s)
    raise ConfigError(f"Unsupported sessions database URL scheme '{scheme}://' in INTERVIEWER_DATABASE_URL; "
                      "use sqlite:///path/to/sessions.sqlite3 or postgresql://USER:PASSWORD@HOST:5432/DBNAME.")


def open_configured_store(settings: "Settings") -> SessionStore:
    """The store the settings name, opened and migrated (what the app, the API and the CLI share)."""
    return open_store(store_url(settings), pool_size=settings.database_pool_size,
                      connect_timeout_s=settings.database_connect_timeout_s, retry_s=settings.database_retry_s)
