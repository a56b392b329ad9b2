"""The named API, driven by ``gradio_client`` against the launched app on 127.0.0.1."""
from __future__ import annotations

import threading

import pytest

from interviewer.settings import Settings

from conftest import KNOWLEDGE
from test_ui_support import GRADIO_PANDAS_WARNINGS, guide_index, launched, make_context, needs_engine  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.server, *GRADIO_PANDAS_WARNINGS]


@pytest.fixture(scope="module")
def served(tmp_path_factory, guide, embedder, guide_index):
    """(url, context) of one offline app for the module; its own data dir and store."""
    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("app-client"), knowledge_dir=KNOWLEDGE)
    ctx = make_context(settings, guide, embedder, guide_index)
    with launched(ctx) as url:
        yield url, ctx


@pytest.fixture
def client(served):
    from gradio_client import Client

    return Client(served[0], verbose=False)


def test_api_lists_the_named_endpoints(client):
    names = set(client.view_api(return_format="dict", print_info=False)["named_endpoints"])
    assert {"/draft_feedback", "/start_interview", "/interview_reply", "/end_interview", "/interview_state",
            "/export_session", "/search_guide", "/list_questions"} <= names


def test_draft_feedback_over_the_api(client):
    qid = client.predict(api_name="/list_questions")[0]["id"]
    result = client.predict(qid, "I'd clarify the scale first: 2k payments per second. Kafka for async processing.", "",
                            api_name="/draft_feedback")
    assert 1 <= result["overall"] <= 5 and result["scorecard"]["question_id"] == qid
    assert "### Scorecard" in result["markdown"]
    own = client.predict(question="How do you keep a cache consistent?", draft="Invalidate on write and use TTLs.",
                         model_answer="Invalidate or update on write. Use TTLs. Watch for stampedes.", api_name="/draft_feedback")
    assert own["scorecard"]["rubric_source"] == "reference"


def test_search_over_the_api_returns_citations(client):
    hits = client.predict("rate limiting at the API gateway", 3, api_name="/search_guide")
    assert len(hits) == 3 and all(h["citation"] for h in hits)


def test_errors_reach_the_client_as_friendly_messages(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="The draft is empty"):
        client.predict("any question", "   ", "", api_name="/draft_feedback")
    with pytest.raises(AppError, match="No session with id"):
        client.predict("nope", api_name="/interview_state")


def test_mock_interview_over_the_api(client, served):
    needs_engine()
    started = client.predict("system-design", 1, "senior", api_name="/start_interview")
    sid = started["session_id"]
    assert started["mode"] == "offline" and started["messages"][0]["role"] == "assistant"
    chunks = list(client.submit(sid, "I'd start by clarifying scale: 10k requests per second and p99 under 100 ms.",
                                api_name="/interview_reply"))
    assert chunks and chunks[-1].strip()
    state = client.predict(sid, api_name="/interview_state")
    assert [m["role"] for m in state["messages"]].count("user") == 1
    assert served[1].store.load_session(sid) is not None  # saved after the turn
    ended = client.predict(sid, api_name="/end_interview")
    assert ended["finished"] and "report" in ended["report_markdown"].lower()
    export = client.predict(sid, api_name="/export_session")
    assert "## Transcript" in export["markdown"] and "notes" not in export["session"]


def test_concurrent_api_interviews_stay_isolated(served):
    """Several clients interviewing at once: each transcript holds only its own answers."""
    needs_engine()
    from gradio_client import Client

    url, ctx = served
    results: dict[int, list[str]] = {}
    errors: list[BaseException] = []

    def user(n: int) -> None:
        try:
            c = Client(url, verbose=False)
            sid = c.predict("backend", 2, "senior", api_name="/start_interview")["session_id"]
            for t in range(2):
                c.predict(sid, f"user-{n} answer-{t}: we used Postgres with read replicas for scale.", api_name="/interview_reply")
            state = c.predict(sid, api_name="/interview_state")
            results[n] = [m["content"] for m in state["messages"] if m["role"] == "user"]
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=240)
    assert not errors, errors
    for n, answers in results.items():
        assert answers and all(a.startswith(f"user-{n} ") for a in answers)


def test_the_api_cannot_read_or_take_over_a_browsers_interview(client, served):
    needs_engine()
    ctx = served[1]
    from interviewer.interview import InterviewPlan

    theirs = ctx.service.start(InterviewPlan(tracks=None, n_questions=1, level="senior"), "browser:someone")
    from gradio_client.exceptions import AppError

    for call in ((theirs.id,), (theirs.id, "I'd shard by customer id.")):
        api = "/interview_state" if len(call) == 1 else "/interview_reply"
        with pytest.raises(AppError, match="No session with id"):
            client.predict(*call, api_name=api)
    assert ctx.store.owner_of(theirs.id) == "browser:someone"  # still theirs, still in their History
