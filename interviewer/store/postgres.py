"""PostgreSQL session store: what several app replicas share (psycopg 3 + a connection pool).

Same schema, same numbered migrations and same contract as the SQLite store
(tests/test_store.py runs one suite against both). Why these choices:

- A pool per process (psycopg_pool), checked on checkout, so a connection the server or a
  proxy dropped while idle is replaced rather than failing a candidate's turn.
- Every call is one short transaction and idempotent (a save replaces the whole session),
  so a call that fails on a dropped connection is retried (tenacity) on a fresh one until
  the server is back or ``retry_s`` has passed — nothing is half-written and nothing lost.
- Migrations take a transaction-scoped advisory lock: replicas starting together migrate once.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from interviewer.errors import ConfigError, StoreUnavailableError
from interviewer.store.base import SessionSummary, dump, question_ids_of, summarise
from interviewer.store.migrations import LATEST, MIGRATIONS, VERSION_TABLE, check_not_newer
from interviewer.store.urls import describe_url, libpq_url

T = TypeVar("T")
_MIGRATION_LOCK = 7_406_114  # any fixed number: the advisory lock all replicas agree on


def _driver() -> tuple[Any, Any]:
    try:
        import psycopg
        import psycopg_pool
    except ImportError as exc:
        raise ConfigError(
            "A postgresql:// sessions database needs psycopg 3: pip install 'psycopg[binary,pool]' "
            "(it is in this project's dependencies; re-run `make run` or `pip install -e .`)."
        ) from exc
    return psycopg, psycopg_pool


class PostgresSessionStore:
    """:class:`~interviewer.store.base.SessionStore` over a PostgreSQL database."""

    def __init__(self, url: str, *, session_type: Any = None, pool_size: int = 10, connect_timeout_s: float = 5.0,
                 retry_s: float = 15.0, clock: Callable[[], float] = time.time):
        self._psycopg, pool_mod = _driver()
        self.url, self._where = libpq_url(url), describe_url(url)
        self._session_type, self._clock, self._retry_s = session_type, clock, retry_s
        self._connect_timeout_s = connect_timeout_s
        self._check_reachable()
        self._pool = pool_mod.ConnectionPool(
            self.url, min_size=1, max_size=max(1, pool_size), open=False, timeout=max(connect_timeout_s, 1.0),
            check=pool_mod.ConnectionPool.check_connection, kwargs={"connect_timeout": max(1, round(connect_timeout_s))},
            name="interviewer-sessions",
        )
        self._pool.open(wait=True, timeout=max(connect_timeout_s, 1.0))
        self.migrate()

    def _check_reachable(self) -> None:
        """Connect once without the pool, so a bad URL fails now with the server's own reason."""
        try:
            self._psycopg.connect(self.url, connect_timeout=max(1, round(self._connect_timeout_s))).close()
        except self._psycopg.ProgrammingError:
            # A URL libpq cannot parse: its message quotes the offending part, which may be the password.
            raise ConfigError(
                f"The sessions database URL {self._where} is malformed. Use postgresql://USER:PASSWORD@HOST:5432/DBNAME "
                "and percent-encode special characters (%, @, :, /, spaces) in USER and PASSWORD."
            ) from None
        except self._psycopg.Error as exc:
            # libpq: 'connection failed: connection to server at "h", port p failed: <the reason>\n\t<a hint>'
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            reason = " ".join(first.rpartition("failed: ")[2].replace("FATAL:", "").split()).rstrip(".") or first
            raise ConfigError(
                f"Cannot connect to the sessions database {self._where}: {reason}. Check INTERVIEWER_DATABASE_URL "
                "(postgresql://USER:PASSWORD@HOST:5432/DBNAME), that the server is running and reachable from here, "
                "and that the database exists (createdb DBNAME)."
            ) from exc

    @property
    def session_type(self) -> Any:
        if self._session_type is None:
            from interviewer.interview import Session  # the engine's model; imported late to keep the store standalone

            self._session_type = Session
        return self._session_type

    # -- plumbing -----------------------------------------------------------------------
    def _retrying(self, work: Callable[[Any], T]) -> T:
        """Run ``work(conn)`` in one transaction; on a dropped connection, retry on a fresh one."""
        from tenacity import Retrying, retry_if_exception_type, stop_after_delay, wait_exponential

        retry = Retrying(retry=retry_if_exception_type(self._psycopg.OperationalError), reraise=True,
                         stop=stop_after_delay(self._retry_s), wait=wait_exponential(multiplier=0.1, max=1.0))
        try:
            for attempt in retry:
                with attempt, self._pool.connection() as conn, conn.transaction():
                    return work(conn)
        except self._psycopg.OperationalError as exc:
            raise StoreUnavailableError(
                f"The sessions database {self._where} did not answer for {self._retry_s:.0f} s; your message is kept "
                "if it reached the database — try again in a moment."
            ) from exc
        raise AssertionError("unreachable")  # pragma: no cover - Retrying either returns or raises

    def _one(self, sql: str, args: tuple[Any, ...]) -> tuple[Any, ...] | None:
        return self._retrying(lambda conn: conn.execute(sql, args).fetchone())

    # -- migrations ---------------------------------------------------------------------
    def migrate(self) -> int:
        """Apply missing migrations (idempotent; replicas starting at once migrate once)."""
        def work(conn: Any) -> int:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            conn.execute(VERSION_TABLE)
            version = int(conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0])
            for m in MIGRATIONS:
                if m.version > version:
                    for statement in m.postgres:
                        conn.execute(statement)
                    conn.execute("INSERT INTO schema_migrations VALUES (%s, %s, %s)", (m.version, m.name, time.time()))
            return max(version, LATEST)

        # One transaction for all steps: PostgreSQL's DDL is transactional, so a crash applies none of them.
        return check_not_newer(self._retrying(work))

    def schema_version(self) -> int:
        row = self._one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", ())
        return int(row[0]) if row else 0

    # -- SessionStore -------------------------------------------------------------------
    def save_session(self, session: Any, *, owner: str = "") -> None:
        text, data = dump(session)

        def work(conn: Any) -> None:
            now = self._clock()
            row = conn.execute("SELECT created_at, owner FROM sessions WHERE id = %s FOR UPDATE", (str(data["id"]),)).fetchone()
            created_at, kept_owner = (row[0], row[1]) if row else (now, owner)  # a resumed session keeps its owner
            summary = summarise(data, owner=kept_owner, created_at=created_at, updated_at=now)
            conn.execute(
                """INSERT INTO sessions (id, owner, created_at, updated_at, finished, summary, data, pending)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, '')
                   ON CONFLICT (id) DO UPDATE SET updated_at = EXCLUDED.updated_at, finished = EXCLUDED.finished,
                       summary = EXCLUDED.summary, data = EXCLUDED.data, pending = ''""",
                (summary.id, kept_owner, created_at, now, int(summary.finished), summary.model_dump_json(), text),
            )

        self._retrying(work)

    def load_session(self, session_id: str) -> Any | None:
        row = self._one("SELECT data FROM sessions WHERE id = %s", (session_id,))
        return None if row is None else self.session_type.model_validate_json(row[0])

    def list_sessions(self, *, owner: str | None = None, limit: int = 50) -> list[SessionSummary]:
        sql, args = "SELECT summary FROM sessions", ()
        if owner is not None:
            sql, args = sql + " WHERE owner = %s", (owner,)
        rows = self._retrying(lambda conn: conn.execute(sql + " ORDER BY updated_at DESC LIMIT %s",
                                                        (*args, max(1, limit))).fetchall())
        return [SessionSummary.model_validate_json(r[0]) for r in rows]

    def recent_question_ids(self, *, owner: str | None = None, limit: int = 20) -> list[str]:
        return question_ids_of(self.list_sessions(owner=owner, limit=limit))

    def delete(self, session_id: str) -> bool:
        return self._retrying(lambda conn: conn.execute("DELETE FROM sessions WHERE id = %s", (session_id,)).rowcount > 0)

    def owner_of(self, session_id: str) -> str | None:
        row = self._one("SELECT owner FROM sessions WHERE id = %s", (session_id,))
        return None if row is None else str(row[0])

    def owned_summary(self, session_id: str, owner: str) -> SessionSummary | None:
        row = self._one("SELECT summary FROM sessions WHERE id = %s AND owner = %s", (session_id, owner))
        return None if row is None else SessionSummary.model_validate_json(row[0])

    def hold_message(self, session_id: str, text: str) -> None:
        self._retrying(lambda conn: conn.execute("UPDATE sessions SET pending = %s WHERE id = %s", (text, session_id)))

    def pending_message(self, session_id: str) -> str:
        row = self._one("SELECT pending FROM sessions WHERE id = %s", (session_id,))
        return "" if row is None else str(row[0] or "")

    def ping(self) -> None:
        """One query, no retries, two seconds at most: a health check must answer fast."""
        with self._pool.connection(timeout=2.0) as conn:
            conn.execute("SELECT 1 FROM sessions LIMIT 1").fetchall()

    def close(self) -> None:
        self._pool.close()

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """A pooled connection (for diagnostics and tests that inspect the schema)."""
        with self._pool.connection() as conn:
            yield conn
