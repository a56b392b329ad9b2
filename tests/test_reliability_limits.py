"""Limits (issue 7): the answer length cap, the turns-per-session cap, the request timeout and
the reply length cap are settings, read from the environment like any other, and enforced
end to end.

One app subprocess is started with ``INTERVIEWER_MAX_ANSWER_CHARS=1000``,
``INTERVIEWER_MAX_TURNS=10``, ``INTERVIEWER_LLM_TIMEOUT_S=1`` and
``INTERVIEWER_LLM_MAX_TOKENS=120`` against the fake OpenAI-compatible server, and driven
through its public API. Timeouts are proven without
a clock: the fake server holds each faulty request for 30 s, so a "timed out" notice can
only come from the app's own timeout (had it not fired, the server would have hung up
and the notice would say "connection failed" — after 30 s).
"""
from __future__ import annotations

import pytest
from fake_openai import FakeOpenAI, Reply

from test_reliability_support import ANSWER, AppProcess, client_for

pytestmark = [pytest.mark.server, pytest.mark.slow]
CACHE = "design-a-distributed-cache-system"


@pytest.fixture(scope="module")
def fake():
    server = FakeOpenAI(default="Thanks. What would you change first if traffic doubled?").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def client(tmp_path_factory, fake):
    env = {"INTERVIEWER_MAX_ANSWER_CHARS": "1000", "INTERVIEWER_MAX_TURNS": "10", "INTERVIEWER_LLM_TIMEOUT_S": "1",
           "INTERVIEWER_LLM_MAX_RETRIES": "0", "INTERVIEWER_LLM_MODEL": "gpt-4o-mini", "INTERVIEWER_LLM_BASE_URL": fake.url,
           "INTERVIEWER_LLM_API_KEY": "sk-limits-test-000000", "INTERVIEWER_LLM_JUDGE": "false",
           "INTERVIEWER_LLM_MAX_TOKENS": "120"}
    app = AppProcess(tmp_path_factory.mktemp("limits") / "data", env=env).start()
    yield client_for(app.url)
    app.stop()


def test_answer_length_cap_truncates_with_a_visible_note(client, fake):
    fake.script.clear()
    long = (ANSWER + " ") * 15  # ~3,000 characters
    sid = client.predict("backend", 1, "senior", api_name="/start_interview")["session_id"]
    client.predict(sid, long, api_name="/interview_reply")
    messages = client.predict(sid, api_name="/interview_state")["messages"]
    said = [m["content"] for m in messages if m["role"] == "user"]
    assert said == [long.strip()[:1000]], "only the first 1,000 characters are kept"
    assert any("longer than 1,000 characters" in m["content"] for m in messages), "and the candidate is told"
    card = client.predict(CACHE, long, "", api_name="/draft_feedback")
    assert "truncated" in card["scorecard"]["flags"] and "only the first 1,000 were graded" in card["markdown"]


def test_turn_cap_wraps_the_session_up(client, fake):
    fake.script.clear()
    sid = client.predict("backend", 3, "senior", api_name="/start_interview")["session_id"]
    turns_before_each_send = []
    for n in range(20):  # bounded: the cap is 10 turns
        state = client.predict(sid, api_name="/interview_state")
        if state["finished"]:
            break
        turns_before_each_send.append(len(state["messages"]))
        client.predict(sid, f"Point {n}: {ANSWER}", api_name="/interview_reply")
    assert state["finished"], "the session was wrapped up"
    assert "length limit" in state["messages"][-1]["content"] and state["report_markdown"]
    *earlier, last = turns_before_each_send
    assert last >= 10 and all(n < 10 for n in earlier), "wrapped up by the first message sent at or past 10 turns"


@pytest.mark.parametrize("fault", ["timeout", "stall", "trickle"])
def test_request_timeout_bounds_every_llm_turn(client, fake, fault):
    sid = client.predict("backend", 1, "senior", api_name="/start_interview")["session_id"]
    fake.script.clear()
    fake.queue(Reply(kind=fault, content="Let me think about this one for a while", hold_s=30, interval_s=0.2))
    reply = client.predict(sid, ANSWER, api_name="/interview_reply")
    fake.script.clear()
    assert "The language model timed out: this turn was phrased offline" in reply
    sent = len(fake.requests)
    after = client.predict(sid, "We'd add read replicas first, because reads dominate.", api_name="/interview_reply")
    assert after.strip() and "timed out" not in after and len(fake.requests) > sent, "the next turn goes to the model again"


def test_reply_length_cap_is_sent_with_every_request(client, fake):
    """Both spellings: OpenAI reads `max_completion_tokens`; llama.cpp, Ollama and LM Studio read `max_tokens`."""
    fake.script.clear()
    sid = client.predict("backend", 1, "senior", api_name="/start_interview")["session_id"]
    sent = len(fake.requests)
    client.predict(sid, ANSWER, api_name="/interview_reply")
    bodies = fake.requests[sent:]
    assert bodies and all(b["max_tokens"] == 120 and b["max_completion_tokens"] == 120 for b in bodies)
