"""Per-question LLM context: on the scripted 20-message, 6-question interview against the logging
stub, interviewer prompts stay flat and the whole interview stays under half the peer's tokens."""
from __future__ import annotations

import pytest

from conftest import KNOWLEDGE
from evals.interview_tokens import GROWTH_MAX, PEER_TOTAL, run
from interviewer.grading import Grader


@pytest.fixture(scope="module")
def grader(embedder, guide):
    return Grader(embedder, guide)


def test_scripted_interview_prompts_stay_flat_and_within_half_the_peer(fake_openai, tmp_path, grader, no_network):
    report = run(fake_openai, tmp_path / "data", KNOWLEDGE, grader=grader)
    assert report.answers == 20 and len(report.interviewer) == 20, "every message got a phrased turn"
    assert report.judge, "the judge refined the final scores"
    assert report.growth <= GROWTH_MAX, report.lines()
    assert report.total <= PEER_TOTAL // 2, report.lines()
    assert not report.failures()


def test_the_prompt_holds_only_the_current_questions_turns(fake_openai, tmp_path, grader, no_network):
    run(fake_openai, tmp_path / "data", KNOWLEDGE, grader=grader)
    prompts = [p for p in fake_openai.prompts if p.stream]
    late = prompts[-1].messages[-1]["content"]
    # the first answer of the interview (Q1) is long gone from a prompt on a later question
    assert "2 million daily users" not in late
    assert "Question " in late and " of 6" in late, "a one-line summary says where the interview is"
