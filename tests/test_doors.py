"""Every door is the same interview: the app's callback, the named API and ``interviewer chat``
give one answer the same scorecard, and a terminal interview shows up in the app's History.

Real parts only: the app wired by ``build_context`` (as ``app.py`` does), the API over HTTP
(gradio_client), the CLI as a subprocess, one SQLite file — and, for the shared store, a real
PostgreSQL server that the CLI and the app both use.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from interviewer.settings import Settings

from conftest import KNOWLEDGE
from pg_server import pg_server  # noqa: F401  (fixture)
from test_grading import OWN_PAYMENTS_QUESTION as OWN_QUESTION, PAYMENTS_DRAFT as OWN_DRAFT  # one home for the draft
from test_ui_support import GRADIO_PANDAS_WARNINGS, launched

pytestmark = [pytest.mark.server, *GRADIO_PANDAS_WARNINGS]

REPO = Path(__file__).resolve().parent.parent
QID = "how-do-you-handle-technical-disagreements-in-your-team"
ANSWER = ("I start by making sure both sides are heard: I ask each engineer to write down the options with data, "
          "then we compare them against the requirements and the trade-offs. If we still disagree we run a small "
          "spike or a prototype, and I make the call, document the decision in an ADR and revisit it later. "
          "Last year two seniors disagreed on Kafka versus SQS; a one-week spike settled it and both stayed engaged.")


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWER_") and k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    # This checkout's code, plus wherever psycopg is installed (the PostgreSQL case).
    paths = [str(REPO)]
    try:
        import psycopg

        paths.append(str(Path(psycopg.__file__).resolve().parent.parent))
    except ImportError:
        pass
    env.update(INTERVIEWER_DATA_DIR=str(data_dir), GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1",
               PYTHONPATH=os.pathsep.join(paths), **extra)
    return env


def cli(data_dir: Path, *args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "interviewer.cli", *args], input=stdin, capture_output=True, text=True,
                          env=_env(data_dir, **env), cwd=data_dir.parent, timeout=240)


def _essence(card: dict) -> dict:
    """What a candidate reads on a scorecard: overall, level, each dimension's score, the points covered and their quotes."""
    return {"overall": card["overall"], "level": card["level"],
            "dimensions": [(d["id"], d["score"], d["assessed"]) for d in card["dimensions"]],
            "covered": sorted((p["id"], (p.get("evidence") or {}).get("quote")) for d in card["dimensions"]
                              for p in d.get("points", []) if p["status"] == "covered")}


@pytest.fixture
def app_settings(tmp_path, monkeypatch):
    for var in list(os.environ):
        if var.startswith("INTERVIEWER_") or var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
            monkeypatch.delenv(var, raising=False)
    return Settings(_env_file=None, data_dir=tmp_path / "data", knowledge_dir=KNOWLEDGE)


def test_one_answer_gets_the_same_scorecard_through_the_app_the_api_and_the_cli(app_settings):
    from gradio_client import Client

    from interviewer.ui import build_context, interview

    ctx = build_context(app_settings)  # the app's own wiring, from settings
    # 1. The app's callbacks.
    [started] = interview.start_interview(ctx, "mixed", 1, "senior", "browser:parity", question_id=QID)
    list(interview.send_answer(ctx, ANSWER, started.session, "browser:parity"))
    app_card = interview.end_interview(ctx, started.session, "browser:parity").session.report.scorecard
    # 2. The named API over HTTP.
    with launched(ctx) as url:
        client = Client(url, verbose=False)
        sid = client.predict("mixed", 1, "senior", QID, api_name="/start_interview")["session_id"]
        client.predict(sid, ANSWER, api_name="/interview_reply")
        api_card = client.predict(sid, api_name="/end_interview")["scorecard"]["scorecard"]
    # 3. The terminal, as a separate process.
    result = cli(app_settings.data_dir, "chat", "--question-id", QID, "--json", stdin=ANSWER + "\n")
    assert result.returncode == 0, result.stderr
    cli_card = json.loads(result.stdout)["report"]["scorecard"]

    app = _essence(app_card.model_dump(mode="json"))
    assert app["overall"] is not None and app["covered"], "the answer earned credit"
    assert _essence(api_card) == app, "the API grades like the app"
    assert _essence(cli_card) == app, "the CLI grades like the app"
    # All three interviews are in the one store.
    assert len(ctx.store.list_sessions(owner=None)) == 3


def test_your_own_question_without_a_model_answer_gets_the_same_card_at_every_door(app_settings):
    # Draft feedback on a question the guide does not have: the app's callback, the named API and
    # `interviewer grade --question` read the answer as about the question and agree on the card.
    from gradio_client import Client

    from interviewer.ui import build_context
    from interviewer.ui.draft import OWN, grade_draft

    ctx = build_context(app_settings)
    app_card = grade_draft(ctx, OWN, OWN_QUESTION, "", OWN_DRAFT, None).card.model_dump(mode="json")
    with launched(ctx) as url:
        api_card = Client(url, verbose=False).predict(OWN_QUESTION, OWN_DRAFT, "", api_name="/draft_feedback")["scorecard"]
    result = cli(app_settings.data_dir, "grade", "--question", OWN_QUESTION, "--answer", OWN_DRAFT, "--json")
    assert result.returncode == 0, result.stderr
    cli_card = json.loads(result.stdout)
    app = _essence(app_card)
    relevance = next(d for d in app_card["dimensions"] if d["id"] == "relevance")
    assert app_card["rubric_source"] == "none" and relevance["points"][0]["status"] == "covered"
    assert app["overall"] >= 3.5, app
    assert _essence(api_card) == app, "the API grades like the app"
    assert _essence(cli_card) == app, "the CLI grades like the app"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_terminal_interview_is_stored_and_shows_in_the_apps_history(app_settings, backend, request):
    from interviewer.ui import build_context, history
    from interviewer.ui.identity import owner_of

    env: dict[str, str] = {}
    if backend == "postgresql":
        env["INTERVIEWER_DATABASE_URL"] = request.getfixturevalue("pg_server").create_database()
        app_settings = app_settings.model_copy(update={"database_url": env["INTERVIEWER_DATABASE_URL"]})
    data = app_settings.data_dir
    result = cli(data, "chat", "--question-id", QID, "--owner", "user:alice", "--json", stdin=ANSWER + "\nend the interview\n", **env)
    assert result.returncode == 0, result.stderr
    sid = json.loads(result.stdout)["session_id"]

    # The app, with login on, lists it in Alice's History (and not in Bob's).
    ctx = build_context(app_settings)
    alice, bob = owner_of(None, SimpleNamespace(username="alice")), owner_of(None, SimpleNamespace(username="bob"))
    assert [r.id for r in history.list_rows(ctx, alice)] == [sid]
    assert history.list_rows(ctx, bob) == []
    markdown, _ = history.open_transcript(ctx, sid, alice)
    assert ANSWER[:60] in markdown

    listed = cli(data, "sessions", "--owner", "user:alice", "list", "--json", **env)
    assert [r["id"] for r in json.loads(listed.stdout)] == [sid] and json.loads(listed.stdout)[0]["finished"]
    shown = cli(data, "sessions", "--owner", "user:alice", "show", sid, **env)
    assert ANSWER[:60] in shown.stdout and "Scorecard" in shown.stdout
    exported = cli(data, "sessions", "--owner", "user:alice", "export", sid, "--format", "json", **env)
    payload = json.loads(exported.stdout)
    assert payload["id"] == sid and "notes" not in payload, "exports never carry the interviewer's hidden notes"
    # Another owner can neither see nor delete it; its owner can.
    refused = cli(data, "sessions", "--owner", "user:bob", "delete", sid, **env)
    assert refused.returncode == 2 and "No session" in refused.stderr and ctx.store.load_session(sid) is not None
    deleted = cli(data, "sessions", "--owner", "user:alice", "delete", sid, **env)
    assert deleted.returncode == 0 and ctx.store.load_session(sid) is None


def test_a_terminal_interview_under_the_browsers_history_key_shows_in_that_browsers_history(app_settings):
    """No login: the key the History tab shows, given to `interviewer chat --owner` (or INTERVIEWER_OWNER),
    puts the terminal interview in that browser's History — and in no other browser's."""
    from interviewer.errors import InputError
    from interviewer.ui import build_context, history
    from interviewer.ui.identity import ensure_owner, owner_of

    data = app_settings.data_dir
    browser, other_browser = ensure_owner(""), ensure_owner("")  # what two browsers get on their first page load
    assert f"--owner {browser}" in history.owner_key_help(owner_of(browser, None))  # what the History tab shows
    result = cli(data, "chat", "--question-id", QID, "--owner", browser, "--json", stdin=ANSWER + "\nend the interview\n")
    assert result.returncode == 0, result.stderr
    sid = json.loads(result.stdout)["session_id"]
    by_env = cli(data, "chat", "--question-id", QID, "--json", stdin=ANSWER + "\n", INTERVIEWER_OWNER=browser)
    assert by_env.returncode == 0, by_env.stderr
    sid_env = json.loads(by_env.stdout)["session_id"]

    ctx = build_context(app_settings)  # the app, as the browser's History callbacks see it
    assert [r.id for r in history.list_rows(ctx, owner_of(browser, None))] == [sid_env, sid]
    markdown, _ = history.open_transcript(ctx, sid, owner_of(browser, None))
    assert ANSWER[:60] in markdown
    assert history.list_rows(ctx, owner_of(other_browser, None)) == []
    with pytest.raises(InputError, match="not in your history"):
        history.open_transcript(ctx, sid, owner_of(other_browser, None))
    # A browser cannot claim the terminal's default owner (user:<login>) without logging in as that user.
    with pytest.raises(InputError, match="reload the page"):
        owner_of("user:alice", None)
    # A mistyped key is refused before anything is stored, saying where to copy it from.
    typo = cli(data, "chat", "--question-id", QID, "--owner", browser[:-1], stdin=ANSWER + "\n")
    assert typo.returncode == 2 and "History tab" in typo.stderr
    assert len(ctx.store.list_sessions(owner=None)) == 2


# Fluent and confidently wrong: the scorecard's confident-claims cap (tests/test_grading_claims.py).
WRONG_QID = "when-would-you-choose-microservices-over-monolith"
WRONG = ("Microservices are always better, you should never build a monolith because it cannot scale. Kubernetes "
         "handles all the operational complexity for you automatically, so there are no downsides really.")


def _quoted(reply: str) -> str:
    return reply.split("\u201c", 1)[1].split("\u201d", 1)[0].removesuffix("\u2026")


def test_every_door_challenges_the_same_confident_claim(app_settings):
    from gradio_client import Client

    from interviewer.ui import build_context, interview

    ctx = build_context(app_settings)
    [started] = interview.start_interview(ctx, "mixed", 1, "senior", "browser:claim", question_id=WRONG_QID)
    app_reply = list(interview.send_answer(ctx, WRONG, started.session, "browser:claim"))[-1].messages[-1]["content"]
    with launched(ctx) as url:
        client = Client(url, verbose=False)
        sid = client.predict("mixed", 1, "senior", WRONG_QID, api_name="/start_interview")["session_id"]
        api_reply = client.predict(sid, WRONG, api_name="/interview_reply")  # the whole reply, once streamed
    result = cli(app_settings.data_dir, "chat", "--question-id", WRONG_QID, "--json", stdin=WRONG + "\n")
    assert result.returncode == 0, result.stderr
    turns = json.loads(result.stdout)["transcript"]
    cli_reply = next(t["text"] for t in turns if t["role"] == "interviewer" and t["kind"] == "followup")
    claim = _quoted(app_reply)
    assert claim and claim in WRONG, app_reply  # the candidate's own words, put back to them
    assert _quoted(api_reply) == claim and _quoted(cli_reply) == claim, (api_reply, cli_reply)
