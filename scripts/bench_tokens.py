"""Prompt tokens of a scripted 20-message, 6-question mock interview against the logging
OpenAI-compatible stub (tests/fake_openai.py): per interview, per turn, and their growth.

Run: make bench   (or .venv/bin/python scripts/bench_tokens.py). Exit 1 when a floor is missed.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]  # the repo's code, and the stub that lives with the tests

from evals.interview_tokens import run  # noqa: E402
from fake_openai import FakeOpenAI  # noqa: E402

if __name__ == "__main__":
    server = FakeOpenAI().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            report = run(server, Path(tmp) / "data", REPO / "knowledge")
    finally:
        server.stop()
    for line in report.lines():
        print(line)
    print("interviewer prompt tokens by call:", " ".join(map(str, report.interviewer)))
    print("judge prompt tokens by call:", " ".join(map(str, report.judge)))
    for failure in report.failures():
        print("FLOOR MISSED:", failure)
    sys.exit(1 if report.failures() else 0)
