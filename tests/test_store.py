"""Session store contract, run against SQLite and a real PostgreSQL: round trips, summaries, migrations,
ownership, held messages, concurrency, dropped connections; plus SQLite's WAL and crash consistency."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from interviewer.errors import ConfigError
from interviewer.store import FRAMEWORK_SERIES, SessionStore, SQLiteSessionStore, open_store, store_url
from interviewer.store.migrations import LATEST

from pg_server import pg_server  # noqa: F401  (fixture)


class FakeTurn(BaseModel):
    role: str
    text: str
    kind: str = "answer"
    question_id: str | None = None
    at: float = 0.0


class FakeSession(BaseModel):
    """The shape of the engine's Session that the store relies on (id, plan, mode, turns, scorecards, finished)."""

    id: str
    plan: dict = Field(default_factory=lambda: {"tracks": ["backend"], "n_questions": 2, "level": "senior"})
    mode: str = "offline"
    turns: list[FakeTurn] = Field(default_factory=list)
    scorecards: dict[str, dict] = Field(default_factory=dict)
    finished: bool = False


def card(qid: str, framework: list[int], tradeoffs: int | None, overall: float) -> dict:
    dims = [{"id": f"part-{i}", "title": f"Part {i}", "kind": "framework", "score": s, "assessed": True}
            for i, s in enumerate(framework, 1)]
    dims.append({"id": "tradeoffs", "title": "Weighs trade-offs", "kind": "cross", "score": tradeoffs,
                 "assessed": tradeoffs is not None})
    return {"question_id": qid, "overall": overall, "dimensions": dims}


def ticking_clock():
    clock = iter(range(1000, 100000))
    return lambda: float(next(clock))


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url_for_test(request, tmp_path) -> str:
    """A fresh database of each backend: the contract tests below run against both."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 's.sqlite3'}"
    return request.getfixturevalue("pg_server").create_database()


def open_test_store(url: str, **kwargs) -> SessionStore:
    if url.startswith("sqlite"):
        return SQLiteSessionStore(url.removeprefix("sqlite:///"), session_type=FakeSession, clock=ticking_clock(), **kwargs)
    from interviewer.store.postgres import PostgresSessionStore

    return PostgresSessionStore(url, session_type=FakeSession, clock=ticking_clock(), **kwargs)


@pytest.fixture
def store(store_url_for_test):
    opened = open_test_store(store_url_for_test)
    yield opened
    opened.close()


def test_round_trip_and_summary(store):
    s = FakeSession(id="a", turns=[FakeTurn(role="interviewer", text="Q1?", question_id="q1"),
                                   FakeTurn(role="candidate", text="My answer", question_id="q1")],
                    scorecards={"q1": card("q1", [4, 2], 3, 3.5), "q2": card("q2", [5], None, 4.5)})
    store.save_session(s, owner="me")
    assert store.load_session("a") == s
    [summary] = store.list_sessions(owner="me")
    assert summary.question_ids == ["q1", "q2"] and summary.n_turns == 2 and summary.tracks == ["backend"]
    assert summary.overall == 4.0 and summary.level == "senior" and not summary.finished
    # Framework parts are averaged per card, then over cards; a not-assessed dimension is no zero.
    assert summary.dimension_scores == {FRAMEWORK_SERIES: 4.0, "Weighs trade-offs": 3.0}
    assert store.load_session("missing") is None
    assert isinstance(store, SessionStore)


def test_resave_keeps_created_at_and_owner_and_orders_by_update(store):
    store.save_session(FakeSession(id="a"), owner="me")
    store.save_session(FakeSession(id="b"), owner="me")
    store.save_session(FakeSession(id="a", finished=True), owner="someone-else")
    rows = store.list_sessions()
    assert [r.id for r in rows] == ["a", "b"]
    assert rows[0].owner == "me" and rows[0].finished and rows[0].created_at < rows[0].updated_at


def test_owner_filter_recent_questions_and_delete(store):
    store.save_session(FakeSession(id="x", turns=[FakeTurn(role="interviewer", text="?", question_id="q1")]), owner="u1")
    store.save_session(FakeSession(id="y", turns=[FakeTurn(role="interviewer", text="?", question_id="q2"),
                                                  FakeTurn(role="interviewer", text="?", question_id="q1")]), owner="u1")
    store.save_session(FakeSession(id="z", turns=[FakeTurn(role="interviewer", text="?", question_id="q9")]), owner="u2")
    assert [s.id for s in store.list_sessions(owner="u2")] == ["z"]
    assert store.recent_question_ids(owner="u1") == ["q2", "q1"]
    assert store.delete("x") is True and store.delete("x") is False
    assert [s.id for s in store.list_sessions(owner="u1")] == ["y"]


def test_schema_is_migrated_once_and_uses_wal(tmp_path):
    path = tmp_path / "s.sqlite3"
    SQLiteSessionStore(path, session_type=FakeSession)
    again = SQLiteSessionStore(path, session_type=FakeSession)  # reopening is a no-op
    assert again.schema_version() == LATEST
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")] == list(range(1, LATEST + 1))


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "s.sqlite3"
    SQLiteSessionStore(path, session_type=FakeSession)
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 0)")
    with pytest.raises(ConfigError, match="newer"):
        SQLiteSessionStore(path, session_type=FakeSession)


def test_not_a_database_is_a_config_error(tmp_path):
    path = tmp_path / "s.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ConfigError, match="Cannot open"):
        SQLiteSessionStore(path, session_type=FakeSession)


def test_urls(tmp_path, settings):
    assert isinstance(open_store(f"sqlite:///{tmp_path}/a.db", session_type=FakeSession), SQLiteSessionStore)
    assert (tmp_path / "a.db").exists()
    assert isinstance(open_store(str(tmp_path / "b.db"), session_type=FakeSession), SQLiteSessionStore)
    assert store_url(settings).startswith("sqlite:////") and store_url(settings).endswith("sessions.sqlite3")
    with pytest.raises(ConfigError, match="Unsupported"):
        open_store("mysql://db/x")


def test_concurrent_writers_do_not_mix_sessions(store):
    """20 users saving turn after turn at once: every session holds exactly its own turns."""
    errors: list[BaseException] = []

    def user(n: int) -> None:
        try:
            s = FakeSession(id=f"user-{n}")
            for t in range(15):
                s.turns.append(FakeTurn(role="candidate", text=f"user {n} turn {t}"))
                store.save_session(s, owner=f"owner-{n}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for n in range(20):
        s = store.load_session(f"user-{n}")
        assert [t.text for t in s.turns] == [f"user {n} turn {t}" for t in range(15)]
        assert [x.id for x in store.list_sessions(owner=f"owner-{n}")] == [f"user-{n}"]


def test_killed_mid_interview_loses_at_most_the_turn_in_flight(tmp_path):
    """A writer SIGKILLed while saving turns leaves a readable session with a whole number of turns."""
    db = tmp_path / "crash.sqlite3"
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_store import FakeSession, FakeTurn
        from interviewer.store import SQLiteSessionStore
        store = SQLiteSessionStore({str(db)!r}, session_type=FakeSession)
        s = FakeSession(id="crash")
        for t in range(100000):
            s.turns.append(FakeTurn(role="candidate", text="x" * 2000 + str(t)))
            store.save_session(s)
            if t == 5:
                print("ready", flush=True)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    proc.kill()
    proc.wait()
    store = SQLiteSessionStore(db, session_type=FakeSession)
    s = store.load_session("crash")
    assert len(s.turns) >= 6
    assert [t.text[2000:] for t in s.turns] == [str(i) for i in range(len(s.turns))]
    assert store.list_sessions()[0].n_turns == len(s.turns)


# --------------------------------------------------------------------------- contract additions (both backends)


def test_ownership_is_a_lookup_and_a_held_message_survives_until_its_turn_is_saved(store):
    store.save_session(FakeSession(id="s1"), owner="user:alice")
    assert store.owner_of("s1") == "user:alice" and store.owner_of("nope") is None
    assert store.owned_summary("s1", "user:alice").id == "s1"
    assert store.owned_summary("s1", "user:bob") is None and store.owned_summary("nope", "user:alice") is None
    store.hold_message("s1", "My answer, before grading")
    assert store.pending_message("s1") == "My answer, before grading"
    # Reopened by another process (a replica) the message is still there: it was committed.
    assert store.load_session("s1") is not None and store.pending_message("s1") == "My answer, before grading"
    s = FakeSession(id="s1", turns=[FakeTurn(role="candidate", text="My answer, before grading")])
    store.save_session(s, owner="someone-else")
    assert store.pending_message("s1") == "" and store.owner_of("s1") == "user:alice"


def test_migrations_are_numbered_idempotent_and_shared(store_url_for_test):
    first = open_test_store(store_url_for_test)
    first.save_session(FakeSession(id="kept"), owner="me")
    again = open_test_store(store_url_for_test)  # a second replica starting: migrates nothing, loses nothing
    assert first.schema_version() == again.schema_version() == LATEST
    assert again.load_session("kept") == FakeSession(id="kept")
    first.close(), again.close()


def test_history_listing_and_ownership_use_the_index(store_url_for_test):
    store = open_test_store(store_url_for_test)
    for n in range(30):
        store.save_session(FakeSession(id=f"s{n}"), owner=f"owner-{n % 3}")
    listing = "SELECT summary FROM sessions WHERE owner = {p} ORDER BY updated_at DESC LIMIT 50"
    if isinstance(store, SQLiteSessionStore):
        with sqlite3.connect(store.path) as conn:
            plan = " ".join(str(r) for r in conn.execute("EXPLAIN QUERY PLAN " + listing.format(p="?"), ("owner-1",)))
            owner_plan = " ".join(str(r) for r in conn.execute("EXPLAIN QUERY PLAN SELECT owner FROM sessions WHERE id = ?", ("s1",)))
            owned_plan = " ".join(str(r) for r in conn.execute(
                "EXPLAIN QUERY PLAN SELECT summary FROM sessions WHERE id = ? AND owner = ?", ("s1", "owner-1")))
    else:
        with store.connection() as conn:
            conn.execute("SET enable_seqscan = off")  # tiny tables: ask whether an index *can* answer it
            conn.execute("SET enable_bitmapscan = off")
            plan = " ".join(r[0] for r in conn.execute("EXPLAIN " + listing.format(p="%s"), ("owner-1",)))
            owner_plan = " ".join(r[0] for r in conn.execute("EXPLAIN SELECT owner FROM sessions WHERE id = %s", ("s1",)))
            owned_plan = " ".join(r[0] for r in conn.execute(
                "EXPLAIN SELECT summary FROM sessions WHERE id = %s AND owner = %s", ("s1", "owner-1")))
    assert "sessions_owner_updated" in plan and "TEMP B-TREE" not in plan.upper() and "Sort" not in plan
    assert "INDEX" in owner_plan.upper() or "pkey" in owner_plan
    assert "SCAN" not in owned_plan.upper().replace("INDEX SCAN", "") and "Seq Scan" not in owned_plan  # History's open/delete check
    assert store.owned_summary("s1", "owner-1").id == "s1" and store.owned_summary("s1", "owner-2") is None
    assert [s.id for s in store.list_sessions(owner="owner-1", limit=3)] == ["s28", "s25", "s22"]
    store.close()


def test_bad_database_urls_say_which_and_how_to_fix(tmp_path, pg_server):
    port = pg_server.port
    with pytest.raises(ConfigError) as wrong_db:
        open_store(f"postgresql://postgres:s3cret-pw@127.0.0.1:{port}/no_such_db")
    message = str(wrong_db.value)
    assert "no_such_db" in message and "INTERVIEWER_DATABASE_URL" in message and "createdb" in message
    assert "s3cret-pw" not in message, "the password is never printed"
    from pg_server import _free_port

    with pytest.raises(ConfigError, match=r"127\.0\.0\.1:\d+/sessions.*(refused|connect)"):
        open_store(f"postgresql://postgres@127.0.0.1:{_free_port()}/sessions", connect_timeout_s=2)


@pytest.mark.parametrize("password", ["s3cr%zzet", "se cret-pw"])
def test_a_malformed_database_url_never_prints_its_password(password):
    # libpq quotes the part it cannot parse; that part can be the password.
    with pytest.raises(ConfigError, match="malformed.*percent-encode") as bad:
        open_store(f"postgresql://bob:{password}@127.0.0.1:1/db", connect_timeout_s=1)
    assert password not in str(bad.value) and "bob@127.0.0.1:1/db" in str(bad.value)


def test_a_dropped_connection_mid_interview_is_retried_and_loses_nothing(pg_server):
    """The server kills every session's connection, then goes down for a moment: the next saves wait and land."""
    import psycopg
    from interviewer.store.postgres import PostgresSessionStore

    url = pg_server.create_database()
    store = PostgresSessionStore(url, session_type=FakeSession, retry_s=30)
    s = FakeSession(id="iv")
    s.turns.append(FakeTurn(role="candidate", text="turn 0"))
    store.save_session(s, owner="me")
    with psycopg.connect(pg_server.url(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                      (url.rsplit("/", 1)[1],))
    s.turns.append(FakeTurn(role="candidate", text="turn 1"))
    store.save_session(s, owner="me")  # its pooled connection was killed: replaced, not an error

    pg_server.stop("immediate")  # the database restarts mid-interview
    restarter = threading.Timer(1.5, pg_server.start)
    restarter.start()
    try:
        store.hold_message("iv", "turn 2")  # waits for the server, then commits
        s.turns.append(FakeTurn(role="candidate", text="turn 2"))
        store.save_session(s, owner="me")
    finally:
        restarter.join()
    assert [t.text for t in store.load_session("iv").turns] == ["turn 0", "turn 1", "turn 2"]
    assert store.pending_message("iv") == ""
    store.close()
