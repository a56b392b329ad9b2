"""Numbered schema migrations for the session store, one list for both backends.

Append new migrations at the end; never edit one that has shipped — a user's database
may already be at that version. Each migration carries its SQL for SQLite and for
PostgreSQL (the schemas differ only in column types), so both backends are always at the
same numbered version. Each migration runs in its own transaction together with the row
that records it, so a crash mid-migration leaves the previous version intact.
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from interviewer.errors import ConfigError


@dataclass(frozen=True)
class Migration:
    """One schema step: its number, a name, and the statements per backend."""

    version: int
    name: str
    sqlite: tuple[str, ...]
    postgres: tuple[str, ...]


def _sessions_table(real: str) -> str:
    return f"""CREATE TABLE sessions (
               id         TEXT PRIMARY KEY,
               owner      TEXT NOT NULL DEFAULT '',
               created_at {real} NOT NULL,
               updated_at {real} NOT NULL,
               finished   INTEGER NOT NULL DEFAULT 0,
               summary    TEXT NOT NULL,  -- SessionSummary as JSON (what the history list needs)
               data       TEXT NOT NULL   -- the whole Session, model_dump_json()
           )"""


_OWNER_INDEX = "CREATE INDEX sessions_owner_updated ON sessions (owner, updated_at DESC)"
# The candidate's latest message, stored before it is graded and cleared by the save that commits its
# turn: a crash or a lost connection between the two leaves it here instead of losing it.
_PENDING = "ALTER TABLE sessions ADD COLUMN pending TEXT NOT NULL DEFAULT ''"

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "create sessions", (_sessions_table("REAL"),), (_sessions_table("DOUBLE PRECISION"),)),
    Migration(2, "index sessions by owner and recency", (_OWNER_INDEX,), (_OWNER_INDEX,)),
    Migration(3, "hold the candidate's message until its turn is saved", (_PENDING,), (_PENDING,)),
)

LATEST = MIGRATIONS[-1].version
VERSION_TABLE = ("CREATE TABLE IF NOT EXISTS schema_migrations "
                 "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at DOUBLE PRECISION NOT NULL)")


def check_not_newer(version: int) -> int:
    """Refuse a database migrated by a newer release (its rows may not fit this code)."""
    if version > LATEST:
        raise ConfigError(
            f"The sessions database is at schema version {version}, newer than this app ({LATEST}); upgrade the app."
        )
    return version


def current_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in a SQLite database (0 for a new file)."""
    conn.execute(VERSION_TABLE)
    row = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring a SQLite schema up to :data:`LATEST`; safe when several processes start at once.

    ``conn`` must be in autocommit mode (``isolation_level=None``): transactions are explicit.
    """
    for m in MIGRATIONS:
        if current_version(conn) >= m.version:
            continue
        conn.execute("BEGIN IMMEDIATE")  # take the write lock, then re-check: another process may have won
        try:
            if current_version(conn) < m.version:
                for statement in m.sqlite:
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", (m.version, m.name, time.time()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return check_not_newer(current_version(conn))
