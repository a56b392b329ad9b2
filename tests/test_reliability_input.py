"""Bad input (issue 7): empty, whitespace, 1 MB and 10 MB answers, NUL bytes and binary,
control characters, RTL / emoji / CJK text, and guide files that are empty, binary or
have an unclosed fence. Each gets a clear message and nothing is lost — through the
public API of the launched app, the UI's callbacks, the app's start-up and the CLI.
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from interviewer.cli import main
from interviewer.errors import InputError
from interviewer.ui import draft, interview

from conftest import KNOWLEDGE, REPO
from test_reliability_support import ANSWER, clean_env, client_for, offline_settings
from test_ui_support import GRADIO_PANDAS_WARNINGS, guide_index, launched, make_context, ui_ctx  # noqa: F401  (fixtures)

pytestmark = [*GRADIO_PANDAS_WARNINGS]

CACHE = "design-a-distributed-cache-system"
ONE_MB = "I'd shard keys with consistent hashing and replicate each shard. " * 16_000  # ~1 MB
TEN_MB = ("Caching with TTLs, because reads dominate. " * 250_000)[:10_000_000]
BINARY = "\x00\x01\x02PK\x03\x04\x00\x00" * 64
CONTROL = "I'd use\x07 consistent hashing\x1b[0m so keys spread evenly,\x08 and replicate\x0b each shard for failover."
SCRIPTS = {
    "rtl": "سأستخدم التجزئة المتسقة لتوزيع المفاتيح بالتساوي، ونسخة متماثلة لكل جزء حتى لا يفقد تعطل عقدة أي بيانات.",
    "hebrew": "הייתי משתמש בגיבוב עקבי כדי לפזר מפתחות באופן שווה, ובעותק של כל רסיס למקרה של כשל.",
    "cjk": "我会使用一致性哈希来分配键，并为每个分片保留副本以实现容错，同时用TTL和LRU控制内存。",
    "emoji": "I'd use consistent hashing 🚀 so keys spread evenly, and replicate each shard ✅ so a node failure loses nothing 💾.",
}


# ----------------------------------------------------------------------------- the public API

@pytest.fixture(scope="module")
def served(tmp_path_factory, guide, embedder, guide_index):
    ctx = make_context(offline_settings(tmp_path_factory.mktemp("input")), guide, embedder, guide_index)
    with launched(ctx) as url:
        yield client_for(url), ctx


def _started(client) -> tuple[str, list]:
    sid = client.predict("backend", 2, "senior", api_name="/start_interview")["session_id"]
    client.predict(sid, ANSWER, api_name="/interview_reply")
    return sid, client.predict(sid, api_name="/interview_state")["messages"]


@pytest.mark.parametrize("message,error", [
    ("", "Type your answer"), ("   \n\t  ", "Type your answer"), (ONE_MB, "please shorten it"),
    (TEN_MB, "please shorten it"), (BINARY, "binary"),
], ids=["empty", "whitespace", "1MB", "10MB", "binary"])
def test_refused_messages_get_a_clear_error_and_lose_nothing(served, message, error):
    from gradio_client.exceptions import AppError

    client, ctx = served
    sid, before = _started(client)
    with pytest.raises(AppError, match=error) as info:
        client.predict(sid, message, api_name="/interview_reply")
    assert len(str(info.value)) < 200 and "Traceback" not in str(info.value)
    assert client.predict(sid, api_name="/interview_state")["messages"] == before, "the session is untouched"
    assert ctx.store.load_session(sid).turns[-1].role == "interviewer"
    reply = client.predict(sid, "How many users do we expect?", api_name="/interview_reply")
    assert reply.strip(), "and the interview carries on"


@pytest.mark.parametrize("name", [*SCRIPTS, "control"])
def test_unusual_text_is_kept_as_written_and_the_interview_goes_on(served, name):
    client, ctx = served
    sid, before = _started(client)
    text = SCRIPTS.get(name, CONTROL)
    reply = client.predict(sid, text, api_name="/interview_reply")
    state = client.predict(sid, api_name="/interview_state")
    said = [m["content"] for m in state["messages"] if m["role"] == "user"][-1]
    if name == "control":
        assert said == "I'd use consistent hashing[0m so keys spread evenly, and replicate each shard for failover."
    else:
        assert said == text, "RTL, CJK and emoji round-trip exactly"
    assert reply.strip() and not state["finished"] and state["messages"][: len(before)] == before
    assert [t.text for t in ctx.store.load_session(sid).turns if t.role == "candidate"][-1] == said


@pytest.mark.parametrize("draft_text,check", [
    (ONE_MB, lambda r: "truncated" in r["scorecard"]["flags"] and "only the first 20,000" in r["markdown"]),
    (TEN_MB, lambda r: "truncated" in r["scorecard"]["flags"] and 1 <= r["overall"] <= 5),
    (SCRIPTS["cjk"], lambda r: "non_english" in r["scorecard"]["flags"] and r["scorecard"]["confidence"] == "low"),
    (SCRIPTS["rtl"], lambda r: "non_english" in r["scorecard"]["flags"] and "English-only" in r["markdown"]),
    (CONTROL, lambda r: 1 <= r["overall"] <= 5),
], ids=["1MB", "10MB", "cjk", "rtl", "control"])
def test_draft_feedback_grades_huge_and_foreign_drafts_with_a_visible_note(served, draft_text, check):
    client, _ = served
    result = client.predict(CACHE, draft_text, "", api_name="/draft_feedback")
    assert check(result), result["scorecard"]["flags"]


def test_draft_feedback_refuses_empty_and_binary_drafts_with_a_message(served):
    from gradio_client.exceptions import AppError

    client, _ = served
    for text, error in (("", "The draft is empty"), (" \n\t ", "The draft is empty"), (BINARY, "binary")):
        with pytest.raises(AppError, match=error):
            client.predict(CACHE, text, "", api_name="/draft_feedback")


def test_emoji_neither_help_nor_hurt_the_score(ui_ctx):
    plain = SCRIPTS["emoji"].replace(" 🚀", "").replace(" ✅", "").replace(" 💾", "")
    with_emoji = draft.grade_draft(ui_ctx, CACHE, "", "", SCRIPTS["emoji"], None).card
    assert with_emoji.overall == draft.grade_draft(ui_ctx, CACHE, "", "", plain, None).card.overall


# ----------------------------------------------------------------------------- UI callbacks

def test_ui_callbacks_refuse_bad_input_before_touching_the_session(ui_ctx):
    [view] = list(interview.start_interview(ui_ctx, "backend", 1, "senior", "dana"))
    stored = ui_ctx.store.load_session(view.session.id).model_dump_json()
    for message, error in (("", "Type your answer"), (BINARY, "binary"), (ONE_MB, "shorten")):
        with pytest.raises(InputError, match=error):
            list(interview.send_answer(ui_ctx, message, view.session, "dana"))
        assert ui_ctx.store.load_session(view.session.id).model_dump_json() == stored
    with pytest.raises(InputError, match="binary"):
        draft.grade_draft(ui_ctx, CACHE, "", "", BINARY, None)
    md, js = draft.grade_draft(ui_ctx, CACHE, "", "", SCRIPTS["hebrew"], None).files
    assert SCRIPTS["hebrew"] in Path(md).read_text(encoding="utf-8")
    assert json.loads(Path(js).read_text(encoding="utf-8"))["draft"] == SCRIPTS["hebrew"], "exports keep the text exactly"


# ----------------------------------------------------------------------------- the CLI

@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "INTERVIEWER_LLM_MODEL", "INTERVIEWER_LLM_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("INTERVIEWER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("INTERVIEWER_KNOWLEDGE_DIR", str(KNOWLEDGE))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("content,code,expect", [
    (b" \n\t\n", 2, "holds no answer"),  # nothing to grade: one line, no 1/5 scorecard
    (b"\x00\x01\x02\x03PK\x03\x04" * 100, 2, "looks like a binary file"),
    (b"\xff\xfe\xfa caf\xe9", 2, "not UTF-8 text"),
    ("Caching with TTLs, because reads dominate. ".encode() * 250_000, 0, "only the first 20,000"),
    (SCRIPTS["cjk"].encode(), 0, "not appear to be in English"),
    (CONTROL.encode(), 0, "Scorecard"),
], ids=["empty", "binary", "latin1", "10MB", "cjk", "control"])
def test_cli_grade_answer_files(cli_env, capsys, content, code, expect):
    path = cli_env / "answer.txt"
    path.write_bytes(content)
    assert main(["grade", "--question-id", CACHE, "--answer-file", str(path)]) == code
    out = capsys.readouterr()
    assert expect in (out.out + out.err) and "Traceback" not in out.err
    if code:
        assert len(out.err.strip().splitlines()) == 1, "one line"


BAD_GUIDES = {
    "empty.md": (b"", "empty"),
    "binary.md": (b"\x00\x01\x02PNG\x00" * 50, "binary"),
    "unclosed.md": (b"# G\n\n## Backend\n\n**Q: Design X?**\n```\nApproach:\n1. **A:**\n   - a\n", "never closed"),
}


@pytest.mark.parametrize("name", list(BAD_GUIDES))
def test_a_broken_guide_file_gets_one_clear_line_and_nothing_is_lost(tmp_path, name):
    """The CLI and the app's start-up refuse it (exit 2, one line naming the file, no traceback); the sessions stay."""
    content, expect = BAD_GUIDES[name]
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "guide.md").write_bytes((KNOWLEDGE / "senior-engineering-guide.md").read_bytes())
    (knowledge / name).write_bytes(content)
    data = tmp_path / "data"
    data.mkdir()
    db = data / "sessions.sqlite3"
    with sqlite3.connect(db) as conn:  # a user's history that must survive the failed start
        conn.execute("CREATE TABLE keep (x TEXT)")
        conn.execute("INSERT INTO keep VALUES ('my earlier sessions')")
    before = db.read_bytes()
    env = clean_env(INTERVIEWER_DATA_DIR=str(data), INTERVIEWER_KNOWLEDGE_DIR=str(knowledge), INTERVIEWER_PORT="1")
    commands = [[sys.executable, "-m", "interviewer.cli", "questions"]]
    if name == "unclosed.md":  # the app's start-up loads the guide the same way (one is enough: ~5 s each)
        commands.append([sys.executable, "app.py"])
    for command in commands:
        result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 2, result.stderr[-1000:]
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:") and name in lines[0] and expect in lines[0], lines
        assert "Traceback" not in result.stderr
    assert db.read_bytes() == before, "the sessions database is untouched"
