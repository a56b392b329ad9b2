"""20 simultaneous mock interviews through ``gradio_client`` against the launched app (offline):
no errors, and each transcript (live, stored and exported) holds only its own turns.

Latency is measured by ``scripts/bench_concurrency.py``, not asserted here.
"""
from __future__ import annotations

import threading

import pytest

from test_reliability_support import client_for, offline_settings
from test_ui_support import GRADIO_PANDAS_WARNINGS, guide_index, launched, make_context  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.server, pytest.mark.slow, *GRADIO_PANDAS_WARNINGS]

USERS = 20
TURNS = 3
TRACKS = ["backend", "system-design", "devops", "architecture", "frontend"]


def answer(user: int, turn: int) -> str:
    return (f"[user-{user:02d} turn-{turn}] I'd clarify the load first, then use Postgres with read replicas and a Redis "
            f"cache in front, accepting some staleness for lower latency, and alert on p99 latency and error rate.")


def test_twenty_simultaneous_interviews_stay_isolated(tmp_path, guide, embedder, guide_index):
    ctx = make_context(offline_settings(tmp_path / "data"), guide, embedder, guide_index)
    ctx.grader, ctx.interviewer  # built once up front, as the app's warm-up does
    errors: list[str] = []
    results: dict[int, dict] = {}
    barrier = threading.Barrier(USERS, timeout=120)

    with launched(ctx) as url:
        def user(n: int) -> None:
            try:
                client = client_for(url)
                barrier.wait()  # everyone starts at once
                sid = client.predict(TRACKS[n % len(TRACKS)], 2, "senior", api_name="/start_interview")["session_id"]
                replies = [client.predict(sid, answer(n, t), api_name="/interview_reply") for t in range(TURNS)]
                state = client.predict(sid, api_name="/interview_state")
                ended = client.predict(sid, api_name="/end_interview")
                export = client.predict(sid, api_name="/export_session")
                results[n] = {"sid": sid, "replies": replies, "state": state, "ended": ended, "export": export}
            except Exception as exc:  # collected and reported below: one failing user must not hide the others
                errors.append(f"user {n}: {type(exc).__name__}: {exc}")

        threads = [threading.Thread(target=user, args=(n,), name=f"user-{n}") for n in range(USERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        assert not any(t.is_alive() for t in threads), "every user finished"

    assert errors == [] and len(results) == USERS
    assert len({r["sid"] for r in results.values()}) == USERS, "one session each"
    for n, r in results.items():
        mine = [answer(n, t) for t in range(TURNS)]
        said = [m["content"] for m in r["state"]["messages"] if m["role"] == "user"]
        assert said == mine, f"user {n} sees exactly their own answers, in order"
        assert all(reply.strip() for reply in r["replies"])
        assert r["ended"]["finished"] and r["ended"]["report_markdown"]
        others = [f"[user-{m:02d} " for m in range(USERS) if m != n]
        for text in (str(r["state"]), str(r["ended"]), r["export"]["markdown"], str(r["export"]["session"])):
            assert not any(tag in text for tag in others), f"user {n}'s transcript holds another user's words"
        stored = ctx.store.load_session(r["sid"])
        assert [t.text for t in stored.turns if t.role == "candidate"] == mine and stored.finished
    assert len(ctx.store.list_sessions(owner="api", limit=100)) == USERS
