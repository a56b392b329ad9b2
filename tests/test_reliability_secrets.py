"""Secrets (issue 7): with a sentinel API key, the key never appears in logs, the UI, error
messages, exports or the session store — even when the provider echoes it back in an error
(as some do on a 401) or the model repeats it in a reply.

The app runs as a real subprocess with ``--debug`` logging (the most verbose it gets), its
own data dir and its own temp dir (where exports are written), so every byte it wrote can
be searched afterwards. The terminal interview (``interviewer chat``) is checked the same way.
"""
from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from fake_openai import SENTINEL_KEY, FakeOpenAI

from conftest import REPO
from test_reliability_support import ANSWER, CLARIFY, AppProcess, clean_env, client_for

pytestmark = [pytest.mark.server, pytest.mark.slow]
KEY = SENTINEL_KEY.encode()
ECHO = f"Thanks. For the record, your key is {SENTINEL_KEY}. How would you handle hot keys?"


@pytest.fixture
def fake():
    server = FakeOpenAI(default="Thanks. What would you monitor first, and why?").start()
    yield server
    server.stop()


def env_for(fake: FakeOpenAI, tmp: Path) -> dict[str, str]:
    tmp.mkdir(parents=True, exist_ok=True)
    return {"INTERVIEWER_LLM_MODEL": "gpt-4o-mini", "INTERVIEWER_LLM_BASE_URL": fake.url, "INTERVIEWER_LLM_API_KEY": SENTINEL_KEY,
            "INTERVIEWER_LLM_TIMEOUT_S": "5", "INTERVIEWER_LLM_MAX_RETRIES": "0", "TMPDIR": str(tmp)}


def files_containing_key(*folders: Path) -> list[str]:
    return [str(p) for folder in folders for p in folder.rglob("*") if p.is_file() and KEY in p.read_bytes()]


def test_the_key_never_leaves_through_the_app(tmp_path, fake):
    from gradio_client.exceptions import AppError

    data, tmp = tmp_path / "data", tmp_path / "tmp"
    app = AppProcess(data, env=env_for(fake, tmp), command=[sys.executable, "-m", "interviewer.cli", "--debug", "serve"])
    seen: list[str] = []  # everything the client received
    app.start()
    try:
        for path in ("", "config", "gradio_api/info"):
            with urllib.request.urlopen(app.url + path, timeout=10) as r:
                seen.append(r.read().decode(errors="replace"))
        client = client_for(app.url)
        sid = client.predict("backend", 1, "senior", api_name="/start_interview")["session_id"]
        seen.append(client.predict(sid, ANSWER, api_name="/interview_reply"))
        fake.queue("401")  # the provider refuses the key and echoes it back
        refused = client.predict(sid, CLARIFY, api_name="/interview_reply")
        assert "request refused (HTTP 401)" in refused
        fake.queue(ECHO)  # the model repeats the key
        echoed = client.predict(sid, "Could you repeat the question?", api_name="/interview_reply")
        assert "[redacted]" in echoed and "hot keys" in echoed
        fake.queue("401", "401")  # the judge is refused too, when the question is closed
        seen += [refused, echoed, str(client.predict(sid, api_name="/end_interview")),
                 str(client.predict(sid, api_name="/export_session")), str(client.predict(sid, api_name="/interview_state"))]
        qid = client.predict(api_name="/list_questions")[0]["id"]
        fake.queue("401", "401")
        draft = client.predict(qid, ANSWER, "", api_name="/draft_feedback")
        assert draft["scorecard"]["judge"]["status"] == "fallback" and "HTTP 401" in draft["markdown"]
        seen.append(str(draft))
        for call in ((qid, "   ", ""), ("", ANSWER, "")):  # errors reach the client as messages
            with pytest.raises(AppError) as info:
                client.predict(*call, api_name="/draft_feedback")
            seen.append(str(info.value))
    finally:
        app.stop()
    assert any(h.get("authorization") == f"Bearer {SENTINEL_KEY}" for h in fake.headers), "the key was used"
    for text in seen:
        assert SENTINEL_KEY not in text
    log = app.output()
    assert "DEBUG" in log and "HTTP 401" in log, "the debug log ran and recorded the failures"
    assert SENTINEL_KEY not in log, "logs"
    assert files_containing_key(data, tmp) == [], "session store (with its WAL) and exports"
    exports = list((tmp / "interviewer-exports").rglob("*.json"))
    assert exports, "exports were written where we looked"


def test_the_key_never_leaves_through_the_terminal_interview(tmp_path, fake):
    fake.queue("401", ECHO)
    env = clean_env(INTERVIEWER_DATA_DIR=str(tmp_path / "data"), **env_for(fake, tmp_path / "tmp"))
    result = subprocess.run([sys.executable, "-m", "interviewer.cli", "--debug", "chat", "--questions", "1"],
                            input=f"{CLARIFY}\n{ANSWER}\n", capture_output=True, text=True, env=env, cwd=REPO, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "request refused (HTTP 401)" in result.stdout and "hot keys" in result.stdout
    assert SENTINEL_KEY not in result.stdout + result.stderr
    assert files_containing_key(tmp_path) == []


def test_a_key_streamed_in_small_pieces_is_never_shown_even_in_part(settings, guide, embedder):
    """The model's reply arrives three characters at a time, and the key is longer than the guard's six-word
    look-ahead: no frame the candidate sees holds any 8+ characters of it."""
    from langchain_core.messages import AIMessageChunk
    from langchain_core.outputs import ChatGenerationChunk
    from pydantic import SecretStr

    from conftest import FakeLLM
    from interviewer.interview import InterviewPlan
    from interviewer.ui import interview

    from test_ui_support import make_context

    key = "sk-proj-a1b2-c3d4-e5f6-g7h8-i9j0-k1l2-SENTINEL-long"

    class Trickle(FakeLLM):
        def _stream(self, messages, stop=None, run_manager=None, **kwargs):
            text = self._next(messages)
            for i in range(0, len(text), 3):
                yield ChatGenerationChunk(message=AIMessageChunk(content=text[i : i + 3]))

    llm = Trickle().queue(ECHO.replace(SENTINEL_KEY, key))
    settings = settings.model_copy(update={"llm_model": "fake-llm", "llm_judge": False, "llm_api_key": SecretStr(key)})
    ctx = make_context(settings, guide, embedder, None, llm=llm)
    session = ctx.interviewer.start(InterviewPlan(question_id="design-a-distributed-cache-system"))
    frames = [v.messages[-1]["content"] for v in interview.send_answer(ctx, ANSWER, session, "erin")]
    prefixes = {key[:n] for n in range(8, len(key) + 1)}
    assert not any(p in frame for frame in frames for p in prefixes)
    assert len(set(frames)) > 5 and "[redacted]" in frames[-1] and "hot keys" in frames[-1]
    assert key not in ctx.store.load_session(session.id).model_dump_json()
