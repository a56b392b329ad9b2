"""Session store: round trips, summaries, migrations, WAL, concurrency and crash consistency."""
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


@pytest.fixture
def store(tmp_path) -> SQLiteSessionStore:
    clock = iter(range(1000, 100000))
    return SQLiteSessionStore(tmp_path / "s.sqlite3", session_type=FakeSession, clock=lambda: float(next(clock)))


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
    with pytest.raises(ConfigError, match="PostgreSQL"):
        open_store("postgresql://u:p@db/sessions")
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
