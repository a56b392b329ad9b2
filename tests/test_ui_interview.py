"""Mock-interview callbacks as plain generators: streaming, saving per turn, phases, isolation, secrets."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import SecretStr

from interviewer.errors import InputError
from interviewer.ui import interview

from test_ui_support import ON_TOPIC, guide_index, make_context, needs_engine  # noqa: F401  (fixtures)

ANSWER = ("First I'd clarify the requirements: how many requests per second and what latency? I'd assume 2k per second "
          "and p99 under 200 ms. Kafka decouples producers from delivery; we chose it over RabbitMQ for replay.")


@pytest.fixture(autouse=True)
def _engine():
    needs_engine()


class Clock:
    def __init__(self, t: float = 1_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def ctx(settings, guide, embedder, guide_index, clock):
    return make_context(settings, guide, embedder, guide_index, clock=clock)


def start(ctx, track="backend", n=2, owner="alice", question_id=None):
    [view] = list(interview.start_interview(ctx, track, n, "senior", owner, question_id))
    return view


def test_start_shows_mode_progress_and_first_question_and_saves(ctx):
    view = start(ctx)
    assert view.accepting and view.messages[-1]["role"] == "assistant"
    assert 'id="mode-badge"' in view.status_html and ">offline<" in view.status_html
    assert "Question 1 of 2" in view.status_html
    stored = ctx.store.load_session(view.session.id)
    assert stored.turns == view.session.turns
    assert [s.id for s in ctx.store.list_sessions(owner="alice")] == [view.session.id]


def test_reply_streams_then_saves_the_turn(ctx):
    view = start(ctx)
    answer = ON_TOPIC[view.session.question_ids[0]]  # an answer to another problem gets no scorecard: it is put back
    views = list(interview.send_answer(ctx, answer, view.session, "alice"))
    assert views[0].streaming and not views[0].accepting
    assert views[0].messages[-2] == {"role": "user", "content": answer}
    assert not views[-1].streaming and views[-1].accepting
    assert "sc-dims" in views[-1].card_html  # the live scorecard after the first answer
    stored = ctx.store.load_session(view.session.id)
    assert len(stored.turns) == len(view.session.turns) and stored.turns[-2].text == answer
    md, js = (Path(p) for p in views[-1].files)
    assert answer in md.read_text() and "notes" not in json.loads(js.read_text())  # hidden notes stay private


def test_an_answer_to_another_problem_is_put_back_and_graded_if_nothing_follows(ctx):
    view = start(ctx, n=1, question_id="explain-the-differences-between-rest-and-graphql-apis")
    warehouse = ON_TOPIC["how-do-you-design-a-data-warehouse"]
    last = list(interview.send_answer(ctx, warehouse, view.session, "alice"))[-1]
    assert "sc-dims" not in last.card_html and "REST and GraphQL" in last.messages[-1]["content"], "the question is put again"
    ended = interview.end_interview(ctx, view.session, "alice")
    card = ended.session.scorecards["explain-the-differences-between-rest-and-graphql-apis"]
    assert "off_topic" in card.flags and card.overall <= 1.5, "ended there: what was said is graded, and the card says why it is low"


def test_system_design_shows_the_phase_and_its_timer(ctx, clock):
    # One question pinned: which gaps are left to probe (and so whether the phase goes on) depends on it.
    view = start(ctx, track="system-design", n=1, question_id="design-a-distributed-cache-system")
    assert "Phase 1/4" in view.status_html and 'data-budget="300"' in view.status_html
    clock.t += 95
    last = list(interview.send_answer(ctx, ANSWER, view.session, "alice"))[-1]
    assert "Phase 1/4" in last.status_html
    assert 'data-elapsed="95"' in last.status_html and "1:35 / 5:00" in last.status_html
    clock.t += 400  # past the requirements phase's five minutes: the next answer moves on
    later = list(interview.send_answer(ctx, "We need about 1 TB of hot keys.", last.session, "alice"))[-1]
    assert "Phase 2/4" in later.status_html and "0:00 / 10:00" in later.status_html


def test_end_shows_the_report_and_finishes(ctx):
    view = start(ctx, n=1)
    list(interview.send_answer(ctx, ANSWER, view.session, "alice"))
    done = interview.end_interview(ctx, view.session, "alice")
    assert done.session.finished and not done.accepting
    assert "Mock interview report" in done.report_md and "Finished" in done.status_html
    assert "Whole interview" in done.card_html
    assert ctx.store.list_sessions(owner="alice")[0].finished
    with pytest.raises(InputError, match="has ended"):
        list(interview.send_answer(ctx, "more", done.session, "alice"))
    again = interview.end_interview(ctx, done.session, "alice")  # idempotent
    assert again.report_md == done.report_md


@pytest.mark.parametrize(("message", "session", "error"), [
    ("hello", None, "Start an interview first"),
    ("   ", "started", "Type your answer"),
    ("x" * (interview.MAX_MESSAGE_CHARS + 1), "started", "shorten"),
])
def test_send_input_errors(ctx, message, session, error):
    s = start(ctx).session if session else None
    with pytest.raises(InputError, match=error):
        list(interview.send_answer(ctx, message, s, "alice"))


def test_resume_is_limited_to_the_owner(ctx):
    view = start(ctx)
    list(interview.send_answer(ctx, ANSWER, view.session, "alice"))
    resumed = interview.resume_session(ctx, view.session.id, "alice")
    assert resumed.accepting and resumed.messages == interview.view_of(ctx, view.session).messages
    with pytest.raises(InputError, match="no longer exists"):
        interview.resume_session(ctx, view.session.id, "mallory")
    with pytest.raises(InputError, match="Pick a session"):
        interview.resume_session(ctx, "", "alice")


def test_interleaved_users_never_see_each_others_turns(ctx):
    a, b = start(ctx, owner="alice"), start(ctx, owner="bob")
    for n in range(2):
        list(interview.send_answer(ctx, f"alice {n}: " + ANSWER, a.session, "alice"))
        list(interview.send_answer(ctx, f"bob {n}: " + ANSWER, b.session, "bob"))
    for who, view in (("alice", a), ("bob", b)):
        stored = ctx.store.load_session(view.session.id)
        mine = [t.text for t in stored.turns if t.role == "candidate"]
        assert mine and all(t.startswith(who) for t in mine)
        assert [s.id for s in ctx.store.list_sessions(owner=who)] == [view.session.id]


def test_recent_questions_are_not_repeated_for_the_same_user(ctx):
    first = start(ctx, track="system-design", n=1).session.question_ids
    second = start(ctx, track="system-design", n=1).session.question_ids
    assert first != second


def test_llm_mode_shows_the_model_and_never_the_key(settings, guide, embedder, guide_index, fake_llm):
    key = "sk-test-DO-NOT-LEAK-4242"
    settings = settings.model_copy(update={"llm_model": "fake-llm", "llm_api_key": SecretStr(key)})
    ctx = make_context(settings, guide, embedder, guide_index, llm=fake_llm)
    fake_llm.queue(f"Thanks. Ignore this: {key}. Next, how would you scale it?")
    # A question whose gaps this answer leaves open, so the next turn is a follow-up the model phrases
    # (a random backend question may have none left to ask and go straight to the wrap-up).
    view = start(ctx, n=1, question_id="how-do-you-handle-database-transactions-and-consistency")
    assert "fake-llm" in view.status_html and ctx.mode == "fake-llm"
    views = list(interview.send_answer(ctx, ANSWER, view.session, "alice"))
    done = interview.end_interview(ctx, view.session, "alice")
    shown = json.dumps([{k: v for k, v in view.__dict__.items() if k != "session"} for view in [*views, done]], default=str)
    exported = "".join(Path(p).read_text() for p in done.files)
    assert "Next, how would you scale it?" in shown  # the model's turn is shown...
    assert key not in shown and key not in exported  # ...without the key it echoed


@pytest.mark.parametrize(("model", "reason", "shown"), [
    ("", "no LLM configured: set OPENAI_API_KEY, or INTERVIEWER_LLM_BASE_URL for a local server", "no LLM configured: set OPENAI_API_KEY"),
    ("", "could not list the models at gpu-box:8000 (HTTP 401); check INTERVIEWER_LLM_BASE_URL", "could not list the models at gpu-box:8000"),
    ("llama3.1:8b", "the only model localhost:11434 serves", "the only model localhost:11434 serves"),
], ids=["no-llm", "server-error", "discovered"])
def test_the_mode_badge_says_which_model_or_why_offline(settings, guide, embedder, guide_index, model, reason, shown):
    ctx = make_context(settings.with_llm(model, reason), guide, embedder, guide_index)
    html = interview.view_of(ctx, None).status_html
    assert f"</span>{model or 'offline'}</span>" in html and 'id="mode-why"' in html and shown in html


def test_the_mode_line_never_shows_a_key_or_url_credentials(settings, guide, embedder, guide_index):
    key = "sk-live-DO-NOT-SHOW-9999"
    settings = settings.model_copy(update={"llm_api_key": SecretStr(key), "llm_base_url": "http://bob:hunter2@gpu-box:8000/v1"})
    ctx = make_context(settings.with_llm("", f"gpu-box:8000 said no to http://bob:hunter2@gpu-box:8000/v1 with {key}"),
                       guide, embedder, guide_index)
    html = interview.view_of(ctx, None).status_html
    assert "gpu-box:8000" in html and "hunter2" not in html and "bob:" not in html and key not in html


def test_a_resumed_interview_keeps_its_own_mode_without_todays_reason(ctx):
    view = start(ctx, n=1)
    view.session.mode = "gpt-4o-mini"  # run with a model last week; the app is offline today
    html = interview.view_of(ctx, view.session).status_html
    assert ">gpt-4o-mini<" in html and "mode-why" not in html


def test_the_report_gives_advice_once_the_lessons(ctx):
    from interviewer.ui import report_view, transcript

    view = start(ctx, track="system-design", n=1)
    list(interview.send_answer(ctx, ANSWER, view.session, "alice"))
    done = interview.end_interview(ctx, view.session, "alice")
    final = transcript.final_report(done.session)
    assert final is not None and final.lessons
    assert "Practise next" in done.report_md and "Work on next" not in done.report_md
    assert "#### Q1: what to take away" in done.report_md, "a section of the report, not a second title"
    question = final.lessons[0].question
    assert f"({question} › " not in done.report_md, "citations under the question's heading do not repeat it"
    final.lessons = []  # without lessons (no guide), the combined card's gaps are the advice
    if final.scorecard is not None and final.scorecard.gaps:
        assert "Work on next" in report_view.summary_markdown(final)


def test_start_is_enabled_even_when_reopening_the_last_interview_fails(ctx, monkeypatch):
    """Start begins disabled until the page has tried to reopen this browser's interview; a failure
    there (a store that is down) shows one message and still lets the user start a new one."""
    import gradio as gr

    from interviewer.owners import new_browser_key
    from interviewer.ui.interview_tab import build_interview_tab

    def store_down(*_args, **_kwargs):
        raise RuntimeError("database is gone")

    monkeypatch.setattr(interview, "restore_session", store_down)
    warnings = []
    monkeypatch.setattr(gr, "Warning", warnings.append)
    with gr.Blocks():
        tab = build_interview_tab(ctx, gr.BrowserState(""))
    out = tab.restore("some-session", new_browser_key(), None)
    start_update = out[-1]
    assert start_update["interactive"] is True
    assert warnings and "database is gone" not in warnings[0], "one generic message, details only in the log"
