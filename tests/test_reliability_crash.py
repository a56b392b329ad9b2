"""Crash safety (issue 7): ``kill -9`` the app in the middle of an interview turn; after a
restart the session store is consistent, every completed turn is there, and the session
resumes where it stopped.

The app runs as a real subprocess (``interviewer serve``) with its own data dir and port,
in LLM mode against the fake OpenAI-compatible server in this process. The turn in flight
is held open by a stream that stalls after its first word, so the kill lands mid-turn
every time (no timing guesswork).
"""
from __future__ import annotations

import sqlite3

import pytest
from fake_openai import SENTINEL_KEY, FakeOpenAI, Reply

from test_reliability_support import ANSWER, CLARIFY, AppProcess, client_for, wait_until

pytestmark = [pytest.mark.server, pytest.mark.slow]


@pytest.fixture
def fake():
    server = FakeOpenAI(default="Thanks. How would you keep the cache consistent with the database?").start()
    yield server
    server.stop()


def llm_env(fake: FakeOpenAI) -> dict[str, str]:
    return {"INTERVIEWER_LLM_MODEL": "gpt-4o-mini", "INTERVIEWER_LLM_BASE_URL": fake.url,
            "INTERVIEWER_LLM_API_KEY": SENTINEL_KEY, "INTERVIEWER_LLM_TIMEOUT_S": "20", "INTERVIEWER_LLM_MAX_RETRIES": "0"}


def test_kill_9_mid_turn_loses_no_completed_turn_and_the_session_resumes(tmp_path, fake):
    data = tmp_path / "data"
    first = AppProcess(data, env=llm_env(fake)).start()
    try:
        client = client_for(first.url)
        sid = client.predict("backend", 2, "senior", api_name="/start_interview")["session_id"]
        client.predict(sid, ANSWER, api_name="/interview_reply")
        client.predict(sid, CLARIFY, api_name="/interview_reply")
        before = client.predict(sid, api_name="/interview_state")["messages"]

        # The third turn: the model starts answering, then goes quiet; the app is killed right then.
        fake.queue(Reply(kind="stall", content="Let me think about that for a moment", hold_s=60))
        sent = len(fake.requests)
        in_flight = "[in flight] I would shard by customer id and keep a replica per zone."
        job = client.submit(sid, in_flight, api_name="/interview_reply")
        assert wait_until(lambda: len(fake.requests) > sent, timeout_s=60), "the app is mid-turn, waiting on the model"
        first.kill9()
        assert first.proc.returncode == -9
        assert wait_until(job.done, timeout_s=30), "the client's call ends with the server gone (it is not retried)"
    finally:
        first.stop()

    # The store as the crash left it: intact, with every completed turn and no half turn.
    db = data / "sessions.sqlite3"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT id, finished FROM sessions").fetchall()
    assert rows == [(sid, 0)]
    from interviewer.store import SQLiteSessionStore

    stored = SQLiteSessionStore(db).load_session(sid)
    said = [t.text for t in stored.turns if t.role == "candidate"]
    assert said == [ANSWER, CLARIFY], "both completed turns are there; the turn in flight is not, not even half"
    assert stored.turns[-1].role == "interviewer" and not stored.finished
    assert SQLiteSessionStore(db).list_sessions()[0].n_turns == len(stored.turns)

    # Restart on the same data dir: the session reads back as it was and carries on.
    fake.script.clear()
    second = AppProcess(data, env=llm_env(fake)).start()
    try:
        client = client_for(second.url)
        state = client.predict(sid, api_name="/interview_state")
        assert state["messages"] == before and not state["finished"]
        sent = len(fake.requests)
        reply = client.predict(sid, in_flight, api_name="/interview_reply")
        assert reply.strip() and len(fake.requests) > sent, "the resumed session talks to the model again"
        ended = client.predict(sid, api_name="/end_interview")
        assert ended["finished"] and "report" in ended["report_markdown"].lower()
        said = [m["content"] for m in ended["messages"] if m["role"] == "user"]
        assert said == [ANSWER, CLARIFY, in_flight]
    finally:
        second.stop()
    output = first.output() + second.output()
    assert "Traceback" not in output and SENTINEL_KEY not in output
