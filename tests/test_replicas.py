"""Two app replicas behind one PostgreSQL and one Chroma server (the README's "Scaling out").

Real processes only: ``chroma run``, a throw-away PostgreSQL cluster, ``interviewer ingest``,
``interviewer migrate`` and two ``interviewer serve`` processes on their own ports and data
dirs (nothing local is shared). A session started through replica A continues through
replica B; both show the same state and export; concurrent interviews spread over both keep
exactly their own turns; ``/healthz`` tells a load balancer when the database is gone.
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pg_server import pg_server  # noqa: F401  (fixture)
from test_index import chroma_server  # noqa: F401  (fixture)
from fake_openai import SENTINEL_KEY, FakeOpenAI, Reply
from test_reliability_support import ANSWER, CLARIFY, REPO, AppProcess, clean_env, client_for, wait_until

pytestmark = [pytest.mark.server, pytest.mark.slow]

QID = "how-do-you-handle-database-transactions-and-consistency"


def _pythonpath() -> str:
    """This checkout, plus wherever psycopg is installed (a venv has it; a dev box may keep it elsewhere)."""
    import psycopg

    return f"{REPO}:{Path(psycopg.__file__).resolve().parent.parent}"


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "interviewer.cli", *args], env=clean_env(**env), cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def healthz(app: AppProcess) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(app.url + "healthz", timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@contextmanager
def running_replicas(tmp_path: Path, database_url: str, chroma_url: str, **extra: str) -> Iterator[list[AppProcess]]:
    """Migrate and ingest once (as an operator would), then two `interviewer serve` processes."""
    env = {"INTERVIEWER_DATABASE_URL": database_url, "INTERVIEWER_CHROMA_URL": chroma_url,
           "PYTHONPATH": _pythonpath(), "INTERVIEWER_DATA_DIR": str(tmp_path / "ops"), **extra}
    for step in (["migrate"], ["migrate"], ["ingest"]):  # migrate twice: idempotent
        done = _cli(env, *step)
        assert done.returncode == 0, done.stderr
        assert step != ["migrate"] or "up to date" in done.stdout
    apps = [AppProcess(tmp_path / name, env={k: v for k, v in env.items() if k != "INTERVIEWER_DATA_DIR"})
            for name in ("replica-a", "replica-b")]
    try:
        for app in apps:
            app.start()
        yield apps
    finally:
        for app in apps:
            app.stop()


def _traceback_tail(app: AppProcess, chars: int = 3000) -> str:
    """The end of the last traceback in a replica's log ("" when it logged none)."""
    text = app.log.read_text(encoding="utf-8", errors="replace") if app.log.exists() else ""
    at = text.rfind("Traceback")
    return text[at:at + chars] if at >= 0 else ""


@pytest.fixture
def replicas(tmp_path, pg_server, chroma_server):  # noqa: F811
    with running_replicas(tmp_path, pg_server.create_database(), chroma_server) as apps:
        yield apps


def test_a_session_started_on_replica_a_continues_on_replica_b(replicas, pg_server):  # noqa: F811
    a, b = (client_for(app.url) for app in replicas)
    for app in replicas:
        status, body = healthz(app)
        assert status == 200 and body["status"] == "ok" and [c["name"] for c in body["checks"]] == ["store", "index"]

    sid = a.predict("mixed", 2, "senior", QID, api_name="/start_interview")["session_id"]
    a.predict(sid, ANSWER, api_name="/interview_reply")
    b.predict(sid, CLARIFY, api_name="/interview_reply")  # the next turn lands on the other replica
    on_a, on_b = (c.predict(sid, api_name="/interview_state") for c in (a, b))
    assert on_a == on_b
    said = [m["content"] for m in on_b["messages"] if m["role"] == "user"]
    assert said == [ANSWER, CLARIFY], "both turns, once each, in order"
    ended = b.predict(sid, api_name="/end_interview")
    assert ended["finished"] and a.predict(sid, api_name="/interview_state")["report_markdown"] == ended["report_markdown"]
    assert a.predict(sid, api_name="/export_session") == b.predict(sid, api_name="/export_session")


def test_concurrent_interviews_over_both_replicas_keep_their_own_turns(replicas):
    errors: list[BaseException] = []
    sessions: dict[int, str] = {}

    def candidate(n: int) -> None:
        try:
            first, second = (client_for(replicas[(n + k) % 2].url) for k in (0, 1))
            sid = first.predict("backend", 2, "senior", api_name="/start_interview")["session_id"]
            sessions[n] = sid
            second.predict(sid, f"[candidate {n}] {ANSWER}", api_name="/interview_reply")
            first.predict(sid, f"[candidate {n}] {CLARIFY}", api_name="/interview_reply")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=candidate, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    # The replicas' own logs say what went wrong behind a generic AppError.
    assert not errors, (errors[:3], [_traceback_tail(app) for app in replicas])
    check = client_for(replicas[0].url)
    for n, sid in sessions.items():
        said = [m["content"] for m in check.predict(sid, api_name="/interview_state")["messages"] if m["role"] == "user"]
        assert said == [f"[candidate {n}] {ANSWER}", f"[candidate {n}] {CLARIFY}"]
    assert len(sessions) == 8


def test_healthz_takes_a_replica_out_when_the_database_is_gone(replicas, pg_server):  # noqa: F811
    app = replicas[1]
    pg_server.stop("fast")
    try:
        status, body = healthz(app)
        assert status == 503 and body["status"] == "unavailable"
        assert next(c for c in body["checks"] if c["name"] == "store")["ok"] is False
        assert next(c for c in body["checks"] if c["name"] == "index")["ok"] is True
    finally:
        pg_server.start()
    status, _ = healthz(app)
    assert status == 200, "back in rotation once the database answers again"


def test_kill_9_of_a_replica_mid_turn_loses_nothing_and_the_other_carries_on(tmp_path, pg_server, chroma_server):  # noqa: F811
    """Replica A dies while the model is still answering; B has every completed turn and the message in flight."""
    fake = FakeOpenAI(default="Thanks. How would you keep the data consistent across services?").start()
    llm = {"INTERVIEWER_LLM_MODEL": "gpt-4o-mini", "INTERVIEWER_LLM_BASE_URL": fake.url,
           "INTERVIEWER_LLM_API_KEY": SENTINEL_KEY, "INTERVIEWER_LLM_TIMEOUT_S": "20", "INTERVIEWER_LLM_MAX_RETRIES": "0"}
    try:
        with running_replicas(tmp_path, pg_server.create_database(), chroma_server, **llm) as (app_a, app_b):
            a, b = client_for(app_a.url), client_for(app_b.url)
            sid = a.predict("mixed", 1, "senior", QID, api_name="/start_interview")["session_id"]
            a.predict(sid, ANSWER, api_name="/interview_reply")
            fake.queue(Reply(kind="stall", content="Let me think about that", hold_s=60))
            sent = len(fake.requests)
            in_flight = "[in flight] I'd use the outbox pattern so the event and the row commit together."
            job = a.submit(sid, in_flight, api_name="/interview_reply")
            assert wait_until(lambda: len(fake.requests) > sent, timeout_s=60), "replica A is mid-turn"
            app_a.kill9()
            wait_until(job.done, timeout_s=30)

            state = b.predict(sid, api_name="/interview_state")
            said = [m["content"] for m in state["messages"] if m["role"] == "user"]
            assert said == [ANSWER], "the completed turn is intact and no half turn was saved"
            assert state["pending"] == in_flight, "the message in flight was stored before grading"
            fake.script.clear()
            assert b.predict(sid, in_flight, api_name="/interview_reply").strip()
            ended = b.predict(sid, api_name="/end_interview")
            assert [m["content"] for m in ended["messages"] if m["role"] == "user"] == [ANSWER, in_flight]
            assert ended["finished"] and ended["pending"] == ""
            assert SENTINEL_KEY not in app_a.output() + app_b.output()
    finally:
        fake.stop()
