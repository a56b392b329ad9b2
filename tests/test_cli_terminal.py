"""The CLI as a user meets it: a real terminal (pty), a pipe, machine formats, and bad input."""
from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from interviewer.cli import main

REPO = Path(__file__).resolve().parent.parent
CACHE = "design-a-distributed-cache-system"
ANSWER = ("I'd shard keys with consistent hashing so adding a node only moves 1/N of them, keep 3 replicas for "
          "availability, and evict with LRU plus TTLs. At Acme this served 40k rps at p99 3 ms on Redis Cluster.")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
MARKDOWN = ("**", "|---", "### ", "## ", "> ", "_Graded by")


def _clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("INTERVIEWER_") and k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "NO_COLOR", "COLUMNS", "LINES")}
    # PYTHONPATH: this checkout's code, whatever copy of the package the venv has installed.
    env.update(INTERVIEWER_DATA_DIR=str(tmp_path / "data"), HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False",
               PYTHONPATH=str(REPO), TERM="xterm-256color", **extra)
    return env


def _run_in_pty(argv: list[str], env: dict[str, str], cols: int = 120, rows: int = 40, timeout: float = 120) -> tuple[int, str]:
    """Run ``argv`` with stdin/stdout/stderr on a pseudo-terminal of ``cols`` × ``rows``; (exit code, output)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=REPO, close_fds=True)
    os.close(slave)
    chunks, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    return code, b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture
def cli(settings, monkeypatch, tmp_path):
    """In-process CLI with a private data dir and no LLM, whatever the developer's environment says."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INTERVIEWER_DATA_DIR", str(settings.data_dir))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return main


@pytest.mark.slow
def test_grade_in_a_real_terminal_renders_tables_not_markdown_and_one_scorecard(tmp_path):
    code, raw = _run_in_pty([sys.executable, "-m", "interviewer", "grade", "--question-id", CACHE, "--answer", ANSWER],
                            _clean_env(tmp_path))
    text = ANSI.sub("", raw)
    assert code == 0, text[-2000:]
    assert ANSI.search(raw), "colours on a terminal"
    assert text.count("Scorecard  Design a distributed cache system") == 1, "the scorecard is printed once"
    assert not [m for m in MARKDOWN if m in text], f"raw Markdown on the terminal:\n{text}"
    assert "Mode: offline — no LLM configured" in text, "the mode line says why it is offline"
    assert "Requirements" in text and re.search(r"[1-5]/5 ■", text), "a dimension table with scores"
    assert "✓" in text and "“" in text, "covered points with the candidate's quoted words"
    widest = max(len(line.rstrip("\r")) for line in text.splitlines())
    assert widest <= 120, "nothing runs past the terminal's width"


def test_grade_through_a_pipe_is_plain_text(cli, capsys):
    assert cli(["grade", "--question-id", CACHE, "--answer", ANSWER]) == 0
    out = capsys.readouterr().out
    assert "\x1b[" not in out, "no colour codes in a pipe"
    assert not [m for m in MARKDOWN if m in out]
    assert out.count("Scorecard  Design a distributed cache system") == 1
    assert "Checklist" in out and "Improved outline" in out


def test_grade_format_json_is_the_scorecard_model(cli, capsys):
    from interviewer.grading.scorecard import Scorecard

    assert cli(["grade", "--question-id", CACHE, "--answer", ANSWER, "--format", "json"]) == 0
    card = Scorecard.model_validate(json.loads(capsys.readouterr().out))
    assert card.question_id == CACHE and 1 <= card.overall <= 5
    assert cli(["grade", "--question-id", CACHE, "--answer", ANSWER, "--json"]) == 0, "the shorthand still works"
    assert json.loads(capsys.readouterr().out)["overall"] == card.overall


def test_grade_format_markdown_is_the_export_document(cli, capsys):
    assert cli(["grade", "--question-id", CACHE, "--answer", ANSWER, "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("### Scorecard — Design a distributed cache system") and "|---|" in out


@pytest.mark.parametrize("args", [["--answer", ""], ["--answer", "   \n\t "]], ids=["empty", "whitespace"])
def test_an_empty_answer_exits_non_zero_with_one_line(cli, capsys, args):
    assert cli(["grade", "--question-id", CACHE, *args]) == 2
    out = capsys.readouterr()
    assert out.out == "", "no scorecard for nothing"
    lines = out.err.strip().splitlines()
    assert len(lines) == 1 and "empty" in lines[0] and "--answer" in lines[0], out.err


def test_bare_command_prints_help(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: interviewer") and "grade" in out and "chat" in out and "examples:" in out
    assert "arguments are required" not in out


def test_python_dash_m_interviewer_runs_the_cli(tmp_path):
    result = subprocess.run([sys.executable, "-m", "interviewer", "--help"], capture_output=True, text=True,
                            env=_clean_env(tmp_path), cwd=REPO, timeout=60)
    assert result.returncode == 0 and "usage: interviewer" in result.stdout


def test_a_streamed_reply_wraps_between_words_not_inside_them():
    import io

    from rich.console import Console

    from interviewer.terminal.stream import StreamWrapper

    buf = io.StringIO()
    stream = StreamWrapper(Console(file=buf, width=30), start=len("Interviewer: "))
    for chunk in ["Sure. Read/write mix: mos", "tly reads, about 50 to 1, with bursts\nof writes at ", "month end."]:
        stream.write(chunk)
    stream.close()
    lines = buf.getvalue().splitlines()
    assert " ".join(lines).split() == "Sure. Read/write mix: mostly reads, about 50 to 1, with bursts of writes at month end.".split()
    assert len("Interviewer: " + lines[0]) <= 30 and all(len(line) <= 30 for line in lines)


# --------------------------------------------------------------------------- the report's lessons
PAYMENTS = "design-a-payment-processing-system-for-a-fintech-company"
LESSON_MARKDOWN = ("**", "<details>", "</summary>", "### ", "|---")


@pytest.fixture(scope="module")
def final_report(embedder, guide):
    """A finished offline interview on one question, with its lesson."""
    from interviewer.grading import Grader
    from interviewer.interview import Interviewer, InterviewPlan

    iv = Interviewer(guide, Grader(embedder, guide), clock=lambda: 30_000.0)
    session = iv.start(InterviewPlan(question_id=PAYMENTS), session_id="lessons")
    "".join(iv.reply(session, "About 5M transactions a day, p99 under 500 ms, 99.95% availability, PCI DSS compliant. "
                              "Clients reach an API gateway that rate-limits; payments go on a Kafka queue."))
    report = iv.end(session)
    assert report.lessons and report.lessons[0].practise, "the engine gave this answer a lesson"
    return report


def _render(report, *, terminal: bool) -> str:
    import io

    from rich.console import Console

    from interviewer.terminal.output import make_console, print_report

    buf = io.StringIO()
    # A StringIO is not a terminal: make_console gives what a pipe gets; force_terminal what a colour terminal gets.
    console = (Console(file=buf, force_terminal=True, width=100, color_system="truecolor", markup=False, emoji=False,
                       highlight=False) if terminal else make_console(buf))
    print_report(report, "text", console)
    return buf.getvalue()


def test_the_report_shows_the_lessons_in_a_terminal_without_markdown(final_report):
    raw = _render(final_report, terminal=True)
    text = ANSI.sub("", raw)
    assert ANSI.search(raw), "styled on a terminal"
    lesson = final_report.lessons[0]
    assert text.count("Q1: what to take away") == 1
    assert "What went well (your words)" in text and "Practise next" in text and "The guide's example answer" in text
    for p in lesson.practise:
        assert p.what in text
    assert lesson.example_answer[0] in text
    assert not [m for m in LESSON_MARKDOWN if m in text], f"raw Markdown on the terminal:\n{text}"
    assert text.index("Practise next") < text.index("Scorecard  "), "what to practise comes before the detail"
    # The scorecard below shows the same improved outline: it is printed once, not twice.
    assert "Your answer, improved" not in text and text.count("Improved outline") == 1
    assert max(len(line) for line in text.splitlines()) <= 100


def test_the_reports_lessons_through_a_pipe_are_plain_text(final_report):
    out = _render(final_report, terminal=False)
    assert "\x1b[" not in out and not [m for m in LESSON_MARKDOWN if m in out]
    assert "Practise next" in out and "Guide: " in out
    payments = "Design a payment processing system for a fintech company"
    assert f"Guide: {payments} ›" not in out, "citations under the question's heading do not repeat the question"
