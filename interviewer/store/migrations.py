"""Numbered schema migrations for the SQLite session store.

Append new migrations at the end; never edit one that has shipped — a user's database
may already be at that version. Each migration runs in its own transaction together with
the row that records it, so a crash mid-migration leaves the previous version intact.
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from interviewer.errors import ConfigError


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "create sessions", (
        """CREATE TABLE sessions (
               id         TEXT PRIMARY KEY,
               owner      TEXT NOT NULL DEFAULT '',
               created_at REAL NOT NULL,
               updated_at REAL NOT NULL,
               finished   INTEGER NOT NULL DEFAULT 0,
               summary    TEXT NOT NULL,  -- SessionSummary as JSON (what the history list needs)
               data       TEXT NOT NULL   -- the whole Session, model_dump_json()
           )""",
    )),
    Migration(2, "index sessions by owner and recency", (
        "CREATE INDEX sessions_owner_updated ON sessions (owner, updated_at DESC)",
    )),
)

LATEST = MIGRATIONS[-1].version


def current_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the database (0 for a new file)."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)"
    )
    row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema up to :data:`LATEST`; safe when several processes start at once.

    ``conn`` must be in autocommit mode (``isolation_level=None``): transactions are explicit.
    """
    for m in MIGRATIONS:
        if current_version(conn) >= m.version:
            continue
        conn.execute("BEGIN IMMEDIATE")  # take the write lock, then re-check: another process may have won
        try:
            if current_version(conn) < m.version:
                for statement in m.statements:
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (m.version, m.name, time.time()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    version = current_version(conn)
    if version > LATEST:
        raise ConfigError(
            f"The sessions database is at schema version {version}, newer than this app ({LATEST}); upgrade the app."
        )
    return version
