"""The interviewer-behaviour eval: every check passes for every simulated candidate."""
from __future__ import annotations

import pytest

from evals.behaviour import PERSONAS, run_behaviour_checks
from interviewer.grading import Grader

EXPECTED = {
    "handles every message gracefully", "ends with a scorecard", "states the mode exactly once", "no question repeated",
    "follow-up targets a missing or partial point", "never asks about a covered point", "at most 3 follow-ups per question",
    "no example-answer leakage", "never reads out the rubric", "hidden notes never in the transcript", "no follow-up on noise",
    "injection flagged and not obeyed", "clarifying question answered with consistent figures",
    "clarifying questions count in the candidate's favour", "abuse answered calmly, then the interview ends",
}


@pytest.fixture(scope="module")
def rows(embedder, guide):
    return run_behaviour_checks(guide, Grader(embedder, guide))


def test_every_check_ran(rows):
    assert {name for name, _, _ in rows} == EXPECTED
    assert len(PERSONAS) >= 7
    assert dict((n, t) for n, _, t in rows)["follow-up targets a missing or partial point"] >= 10


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_passes(rows, name):
    passed, total = next((p, t) for n, p, t in rows if n == name)
    assert total > 0 and passed == total, f"{name}: {passed}/{total}"
