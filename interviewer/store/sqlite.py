"""SQLite session store: one file under the data dir, WAL, one transaction per save.

Why these settings: WAL lets the history tab read while an interview writes; every save is
a single ``BEGIN IMMEDIATE … COMMIT`` with ``synchronous=FULL``, so a process killed
mid-interview loses at most the turn in flight and never leaves a half-written session.
A short-lived connection per call keeps the store safe to share between Gradio's worker
threads without locks of our own (SQLite serialises writers; ``busy_timeout`` waits).
"""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from interviewer.errors import ConfigError
from interviewer.store.base import SessionSummary, dump, question_ids_of, summarise
from interviewer.store.migrations import migrate

BUSY_TIMEOUT_MS = 10_000


def _default_session_type() -> Any:
    from interviewer.interview import Session  # the engine's model; imported late to keep the store standalone

    return Session


class SQLiteSessionStore:
    """:class:`~interviewer.store.base.SessionStore` over a SQLite file."""

    def __init__(self, path: str | Path, *, session_type: Any = None, clock: Callable[[], float] = time.time):
        self.path = Path(path)
        self._session_type = session_type
        self._clock = clock
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as conn:
                conn.execute("PRAGMA journal_mode=WAL")  # persistent: set once per file
                migrate(conn)
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"Cannot open the sessions database {self.path}: {exc}.") from exc

    @property
    def session_type(self) -> Any:
        if self._session_type is None:
            self._session_type = _default_session_type()
        return self._session_type

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous=FULL")
            yield conn
        finally:
            conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    # -- SessionStore ---------------------------------------------------------------
    def save_session(self, session: Any, *, owner: str = "") -> None:
        text, data = dump(session)
        now = self._clock()
        with self._transaction() as conn:
            row = conn.execute("SELECT created_at, owner FROM sessions WHERE id = ?", (str(data["id"]),)).fetchone()
            created_at, owner = (row[0], row[1]) if row else (now, owner)  # a resumed session keeps its owner
            summary = summarise(data, owner=owner, created_at=created_at, updated_at=now)
            conn.execute(
                """INSERT INTO sessions (id, owner, created_at, updated_at, finished, summary, data, pending)
                   VALUES (?, ?, ?, ?, ?, ?, ?, '')
                   ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, finished = excluded.finished,
                       summary = excluded.summary, data = excluded.data, pending = ''""",
                (summary.id, owner, created_at, now, int(summary.finished), summary.model_dump_json(), text),
            )

    def load_session(self, session_id: str) -> Any | None:
        with self._connect() as conn:
            row = conn.execute("SELECT data FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return None if row is None else self.session_type.model_validate_json(row[0])

    def list_sessions(self, *, owner: str | None = None, limit: int = 50) -> list[SessionSummary]:
        sql, args = "SELECT summary FROM sessions", []
        if owner is not None:
            sql, args = sql + " WHERE owner = ?", [owner]
        with self._connect() as conn:
            rows = conn.execute(sql + " ORDER BY updated_at DESC LIMIT ?", (*args, max(1, limit))).fetchall()
        return [SessionSummary.model_validate_json(r[0]) for r in rows]

    def recent_question_ids(self, *, owner: str | None = None, limit: int = 20) -> list[str]:
        return question_ids_of(self.list_sessions(owner=owner, limit=limit))

    def delete(self, session_id: str) -> bool:
        with self._transaction() as conn:
            return conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount > 0

    def owner_of(self, session_id: str) -> str | None:
        with self._connect() as conn:
            row = conn.execute("SELECT owner FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return None if row is None else str(row[0])

    def owned_summary(self, session_id: str, owner: str) -> SessionSummary | None:
        with self._connect() as conn:
            row = conn.execute("SELECT summary FROM sessions WHERE id = ? AND owner = ?", (session_id, owner)).fetchone()
        return None if row is None else SessionSummary.model_validate_json(row[0])

    def hold_message(self, session_id: str, text: str) -> None:
        with self._transaction() as conn:
            conn.execute("UPDATE sessions SET pending = ? WHERE id = ?", (text, session_id))

    def pending_message(self, session_id: str) -> str:
        with self._connect() as conn:
            row = conn.execute("SELECT pending FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return "" if row is None else str(row[0] or "")

    def schema_version(self) -> int:
        """The applied migration number (for diagnostics and tests)."""
        with self._connect() as conn:
            return int(conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] or 0)

    def ping(self) -> None:
        with self._connect() as conn:
            conn.execute("SELECT 1 FROM sessions LIMIT 1").fetchall()

    def close(self) -> None:
        """Nothing to release: every call opens and closes its own connection."""
