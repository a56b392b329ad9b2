"""``interviewer chat`` end to end, offline, through a pipe (a real subprocess)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CACHE = "design-a-distributed-cache-system"
SCRIPT = [
    "How many users and what peak traffic should I plan for?",
    "I'd use consistent hashing with virtual nodes so keys spread evenly, and replicate each shard so a node failure loses nothing.",
    "hint",
    "",
    "repeat the question",
]


def _chat(tmp_path, *args: str, lines: list[str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWER_") and k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    # PYTHONPATH: this checkout's code, whatever copy of the package the venv has installed.
    env.update(INTERVIEWER_DATA_DIR=str(tmp_path / "data"), GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1",
               PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "interviewer.cli", "chat", *args], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=180)


def test_offline_interview_from_a_pipe_ends_with_the_scorecard_on_eof(tmp_path):
    result = _chat(tmp_path, "--question-id", CACHE, lines=SCRIPT)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("Mode: offline — no LLM configured") == 1, "the session says once which mode it is in, and why"
    assert "Design a distributed cache system" in out
    assert "Users:" in out and "Traffic:" in out, "the clarifying question was answered"
    assert out.count("Interviewer:") >= len(SCRIPT) + 2
    assert "Mock interview report" in out and out.count("Scorecard  Q1: Design a distributed cache system") == 1, \
        "EOF ends the interview with the scorecard, printed once"
    assert "**" not in out and "|---" not in out and "###" not in out, "plain text through a pipe, not Markdown"
    assert "error" not in result.stderr.lower()


def test_json_output_has_transcript_and_report_but_no_hidden_notes(tmp_path):
    result = _chat(tmp_path, "--track", "leadership", "--questions", "2", "--level", "staff", "--json",
                   lines=["I gather all perspectives and data first, so the decision rests on facts.", "end the interview"])
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["mode"] == "offline" and payload["plan"]["level"] == "staff"
    roles = [t["role"] for t in payload["transcript"]]
    assert roles[0] == "system" and "candidate" in roles and payload["transcript"][-1]["kind"] == "wrapup"
    assert payload["report"]["scorecard"]["overall"] is not None
    assert "notes" not in payload and "intent=" not in result.stdout, "hidden notes stay hidden"
    assert "Interviewer:" in result.stderr, "the live conversation goes to stderr in --json mode"


def test_bad_arguments_are_one_line_errors(tmp_path):
    result = _chat(tmp_path, "--questions", "9", lines=[])
    assert result.returncode == 2 and "between 1 and 6" in result.stderr
    result = _chat(tmp_path, "--track", "cooking", lines=[])
    assert result.returncode == 2 and "Unknown track" in result.stderr and "Traceback" not in result.stderr


def test_markdown_format_prints_the_report_as_markdown_with_each_scorecard_once(tmp_path):
    result = _chat(tmp_path, "--question-id", CACHE, "--format", "markdown", lines=SCRIPT[1:2])
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "## Mock interview report" in out and "|---|" in out
    assert out.count("### Scorecard") == 1, "one question answered: its scorecard is the report's, not repeated"
