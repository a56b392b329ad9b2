"""Whole interviews over HTTP against the fake OpenAI-compatible server (SSE, usage, faults)."""
from __future__ import annotations

import logging

import pytest
from fake_openai import SENTINEL_KEY, Reply

from interviewer.grading import Grader
from interviewer.interview import InterviewPlan
from interviewer.services import build_interviewer

REST = "explain-the-differences-between-rest-and-graphql-apis"
ANSWER = ("REST has resource-based endpoints and is cacheable, so monitoring stays simple; GraphQL gives one endpoint "
          "with flexible queries, which avoids over-fetching but makes caching harder.")


@pytest.fixture(scope="module")
def grader(embedder, guide):
    return Grader(embedder, guide)


@pytest.fixture
def http_interviewer(llm_settings, grader, no_network):
    settings = llm_settings.model_copy(update={"llm_judge": False})
    return build_interviewer(settings, grader=grader, retriever=lambda q: [f"{q.text}: guide notes"])


def _no_key_anywhere(s, caplog, *extra):
    for text in (s.model_dump_json(), caplog.text, s.report.to_markdown() if s.report else "", *extra):
        assert SENTINEL_KEY not in text


def test_whole_interview_over_http_streams_and_records_usage(http_interviewer, fake_openai, caplog):
    caplog.set_level(logging.DEBUG)
    fake_openai.responder = lambda body: "Thanks for that. Could you say more about how you would cache GraphQL responses?"
    iv = http_interviewer
    s = iv.start(InterviewPlan(question_id=REST), session_id="http1")
    assert s.mode == "gpt-4o-mini"
    for message in [ANSWER, "How many requests per second?", "hint", "end the interview"]:
        chunks = list(iv.reply(s, message))
        assert len(chunks) > 3 and "".join(chunks).startswith("Thanks for that")
    assert s.finished and s.report.scorecard is not None
    assert all(body["stream"] for body in fake_openai.requests)
    calls = s.usage.calls
    assert len(calls) == 4 and all(c.ok and c.source == "reported" for c in calls)
    assert s.report.usage.prompt_tokens == sum(c.prompt_tokens for c in calls) > 0
    assert s.report.usage.cost_usd > 0 and "LLM call(s)" in s.report.to_markdown()
    _no_key_anywhere(s, caplog)


@pytest.mark.parametrize("faults,reason", [
    (["429", "429"], "rate limited"),
    (["500", "500"], "server error"),
    (["reset", "reset"], "connection failed"),
    (["timeout", "timeout"], "timed out"),
    (["stall"], "timed out"),
    (["empty", "empty"], "empty reply"),
    (["invalid_json", "invalid_json"], "invalid response"),
])
def test_each_fault_falls_back_for_one_turn_and_the_interview_continues(http_interviewer, fake_openai, caplog, faults, reason):
    caplog.set_level(logging.DEBUG)
    iv = http_interviewer
    s = iv.start(InterviewPlan(question_id=REST), session_id="fault")
    fake_openai.queue(*[Reply(kind=f, content="Partial phrasing that stalls", hold_s=2.0) for f in faults])
    out = "".join(iv.reply(s, "How many requests per second do we expect?"))
    notices = [t for t in s.turns if t.kind == "notice"]
    assert len(notices) == 1 and reason in notices[0].text and "\n" not in notices[0].text
    assert s.turns[-1].role == "interviewer" and s.turns[-1].kind == "clarify" and "Traffic:" in s.turns[-1].text
    assert s.turns[-1].text in out, "the offline phrasing was shown"
    fake_openai.queue("All good again. Please go on.")
    assert "".join(iv.reply(s, ANSWER)) == "All good again. Please go on."
    assert not s.finished and s.usage.failures >= 1
    iv.end(s)
    _no_key_anywhere(s, caplog, notices[0].text)


def test_prompt_tokens_reported_by_the_server_stay_flat(llm_settings, grader, fake_openai):
    budget = 1000
    # Forty turns, each graded: on a loaded machine one reply can take longer than the fixture's
    # 0.5 s timeout (it did once beside a cross-validation run), and a timed-out call is not a
    # server count. Timeouts are tested elsewhere; this test is about the counts.
    settings = llm_settings.model_copy(update={"llm_judge": False, "prompt_token_budget": budget, "llm_timeout_s": 5.0})
    iv = build_interviewer(settings, grader=grader, retriever=lambda q: [f"{q.text}: notes"])
    fake_openai.responder = lambda body: ("Understood. Let's take that a step further: what happens to this design when traffic "
                                          "doubles overnight, and what would you change first?")
    s = iv.start(InterviewPlan(tracks=["mixed"], n_questions=5), session_id="flat")
    long_answer = ("I'd start from the requirements, then pick components for availability and explain each trade-off, "
                   "for example replicas across zones because a zone can fail, and a cache because reads dominate. ") * 2
    for i in range(40):
        if s.finished:
            break
        list(iv.reply(s, long_answer if i % 4 else "How many users?"))
    reported = [c.prompt_tokens for c in s.usage.calls if c.purpose == "interviewer"]
    assert len(reported) >= 20 and all(c.source == "reported" for c in s.usage.calls)
    assert max(reported) <= budget + 40, "the server's count matches ours up to framing"
    # Per-question context: the size depends on the turn's place in its question (435-676 here), not on the interview's length.
    early, late = sorted(reported[1:6]), sorted(reported[-5:])
    assert late[2] <= 1.2 * early[2], f"flat: {reported}"


def test_default_retriever_without_an_index_uses_the_guide(llm_settings, grader, fake_openai, no_network):
    settings = llm_settings.model_copy(update={"llm_judge": False})
    iv = build_interviewer(settings, grader=grader)
    s = iv.start(InterviewPlan(question_id=REST), session_id="noindex")
    list(iv.reply(s, ANSWER))
    prompt = fake_openai.requests[-1]["messages"][1]["content"]
    assert "Resource-based endpoints" in prompt, "framework notes for the question, from the index or the guide"
    assert "Migrated from REST to GraphQL" not in prompt, "never the example answer"


def test_a_phase_the_answers_already_covered_is_skipped_through_the_llm_too(http_interviewer, fake_openai):
    """The LLM phrases the engine's draft: it is told the deep dive is already covered and asked
    the wrap-up, never "let's go deeper"."""
    fake_openai.responder = lambda body: "Understood. Let's wrap up: what would break first at 10x load?"
    iv = http_interviewer
    s = iv.start(InterviewPlan(question_id="design-a-distributed-cache-system"), session_id="http-ahead")
    for message in ("I'd start by asking about the read/write ratio, the data size and how stale a read may be. "
                    "Keys sit on a consistent hash ring with virtual nodes, so adding a node only moves a small slice of them. "
                    "Every shard has a replica on another node, so losing a node doesn't lose the hot set. "
                    "Entries expire with TTLs, LRU evicts under memory pressure, and writes invalidate the key through change events. "
                    "We'd watch hit rate, p99 latency and memory per node. "
                    "At my last company this setup on 8 Redis nodes raised the hit rate from 70% to 93% and halved database load.",
                    "Clients use a library that hashes each key to a node; behind the cache nodes sits Postgres, "
                    "and a CDC stream from it feeds invalidations to the cache."):
        "".join(iv.reply(s, message))
    prompt = fake_openai.requests[-1]["messages"][1]["content"]
    draft = prompt.split("Engine draft", 1)[1]
    assert "deep dive" in draft and "wrap up" in draft.lower() and "go deeper" not in draft.lower(), draft
    assert [p.name for p in s.records[0].phases][-1] == "wrap-up"
