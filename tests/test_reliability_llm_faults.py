"""LLM faults through the app's public API (issue 7): whatever the model endpoint does, the
interview goes on, the candidate sees a one-line notice, the transcript is complete and
saved, and no exception reaches the client.

One app is served for the module, in LLM mode against the fake OpenAI-compatible server
(tests/fake_openai.py) on 127.0.0.1, with short timeouts and one transport retry. Each
fault is queued generously (more copies than any path retries) and the script is cleared
after the call, so every retry of the turn meets the fault.
"""
from __future__ import annotations

import pytest
from fake_openai import SENTINEL_KEY, FakeOpenAI, Reply
from pydantic import SecretStr

from test_reliability_support import ANSWER, CLARIFY, client_for, llm_context, offline_settings
from test_ui_support import GRADIO_PANDAS_WARNINGS, guide_index, launched  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.server, *GRADIO_PANDAS_WARNINGS]

TIMEOUT_S = 0.5
# fault → what the one-line notice says (the interviewer's turn) and what the judge's fallback says.
FAULTS = {
    "429": ("rate limited", "rate limited"),
    "500": ("server error (HTTP 500)", "server error (HTTP 500)"),
    "reset": ("connection failed", "connection failed"),
    "stall": ("timed out", "timed out"),
    "timeout": ("timed out", "timed out"),
    "empty": ("empty reply", "the reply was empty"),
    "invalid_json": ("invalid response", "invalid response"),
    "out_of_range": ("did not keep the draft's figures", "outside 1-5"),
    "trickle": ("timed out", None),  # a streaming fault: the judge does not stream
}


@pytest.fixture(scope="module")
def fake():
    server = FakeOpenAI(default="Thanks. What would you monitor first in production, and why?").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def served(tmp_path_factory, guide, embedder, guide_index, fake):
    settings = offline_settings(tmp_path_factory.mktemp("faults"), llm_model="gpt-4o-mini", llm_base_url=fake.url,
                                llm_api_key=SecretStr(SENTINEL_KEY), llm_timeout_s=TIMEOUT_S, llm_max_retries=1)
    ctx = llm_context(settings, guide, embedder, guide_index)
    with launched(ctx) as url:
        yield url, ctx


@pytest.fixture(scope="module")
def client(served):
    return client_for(served[0])


def faulty(fake: FakeOpenAI, fault: str, n: int = 6) -> None:
    fake.script.clear()
    fake.queue(*[Reply(kind=fault, content="Partial phrasing that then stalls", hold_s=2.0, interval_s=0.1)] * n)


def one_line_notice(text: str, reason: str) -> str:
    lines = [line for line in text.splitlines() if "phrased offline" in line]
    assert len(lines) == 1, text
    assert reason in lines[0] and len(lines[0]) <= 160, lines[0]
    return lines[0]


@pytest.mark.parametrize("fault", list(FAULTS))
def test_interview_survives_each_fault_over_the_api(client, served, fake, fault):
    turn_reason, judge_reason = FAULTS[fault]
    started = client.predict("backend", 1, "senior", api_name="/start_interview")
    sid = started["session_id"]
    assert started["mode"] == "gpt-4o-mini"

    # 1. The interviewer's turn meets the fault: a notice, the offline phrasing, no error.
    faulty(fake, fault)
    reply = client.predict(sid, CLARIFY, api_name="/interview_reply")
    fake.script.clear()
    notice = one_line_notice(reply, turn_reason)
    state = client.predict(sid, api_name="/interview_state")
    contents = [m["content"] for m in state["messages"]]
    assert CLARIFY in contents, "the candidate's message is in the transcript"
    assert any(notice.strip("()") in c for c in contents), "the notice is part of the transcript"
    assert "Traffic:" in contents[-1] and contents[-1] in reply, "the interviewer answered, phrased offline"
    assert not state["finished"]

    # 2. The interview continues with the model once it recovers.
    reply = client.predict(sid, ANSWER, api_name="/interview_reply")
    kind = served[1].store.load_session(sid).turns[-1].kind
    assert reply == fake.default or kind in ("question", "wrapup"), "the model phrases the next turn again"

    # 3. The judge meets the fault when the question is closed: the report says so, scores stay the evidence's.
    if judge_reason:
        faulty(fake, fault)
    ended = client.predict(sid, api_name="/end_interview")
    fake.script.clear()
    assert ended["finished"] and ended["scorecard"] is not None
    report = ended["report_markdown"]
    if judge_reason:
        assert "LLM judge unavailable" in report and judge_reason in report and "evidence-based scores" in report
        card = ended["scorecard"]["scorecard"]
        assert all(1 <= d["score"] <= 5 for d in card["dimensions"] if d["assessed"]) and 1 <= card["overall"] <= 5

    # 4. Nothing lost: the store holds every turn the client saw, in order.
    stored = served[1].store.load_session(sid)
    roles = [(t.role, t.kind) for t in stored.turns]
    assert roles.count(("candidate", "clarify")) == 1 and roles.count(("candidate", "answer")) == 1
    assert ("system", "notice") in roles and roles[-1] == ("interviewer", "wrapup")
    assert [m["content"] for m in ended["messages"]][: len(contents)] == contents


@pytest.mark.parametrize("fault", [f for f, (_, judge) in FAULTS.items() if judge])
def test_draft_feedback_survives_each_fault_with_a_visible_fallback(client, served, fake, fault):
    qid = client.predict(api_name="/list_questions")[0]["id"]
    faulty(fake, fault)
    result = client.predict(qid, ANSWER, "", api_name="/draft_feedback")
    fake.script.clear()
    judge = result["scorecard"]["judge"]
    assert judge["used"] and judge["status"] == "fallback" and FAULTS[fault][1] in judge["message"]
    assert "LLM judge unavailable" in result["markdown"], "the fallback is visible in what the user reads"
    evidence = served[1].grader.grader.grade(served[1].guide.question(qid), ANSWER)
    assert result["overall"] == evidence.overall, "the evidence-based score, untouched by the failed judge"
    assert [d["score"] for d in result["scorecard"]["dimensions"]] == [d.score for d in evidence.dimensions]


def test_no_fault_leaks_the_key_to_the_client(client, fake):
    """Every response of the fault runs above, and the server's record, as the client saw them."""
    sid = client.predict("backend", 1, "senior", api_name="/start_interview")["session_id"]
    for fault in ("500", "reset", "invalid_json"):
        faulty(fake, fault)
        client.predict(sid, CLARIFY, api_name="/interview_reply")
        fake.script.clear()
    export = client.predict(sid, api_name="/export_session")
    assert SENTINEL_KEY not in str(export) and SENTINEL_KEY not in str(client.predict(sid, api_name="/interview_state"))
    assert fake.headers and all(h.get("authorization") == f"Bearer {SENTINEL_KEY}" for h in fake.headers), \
        "the key goes to the configured endpoint, and only there"
