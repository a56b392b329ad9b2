"""The interviewer-behaviour eval's shape: enough varied scripted candidates, every check named
with a threshold in one file, and a gate that fails on a missed threshold or a check that never ran.
(The eval itself runs in the CI gate: tests/test_eval_gate.py.)"""
from __future__ import annotations

from collections import Counter

from evals.behaviour_checks import CHECKS, THRESHOLDS, gate
from evals.personas import PERSONAS

LISTENING = {
    "follow-up about a stated point": 0.05, "repeated follow-up topic": 0.0, "clarifying turns graded": 0.0,
    "credit from I don't know or skip": 0.0, "overall consistent with the bars": 0.0,
}


def test_at_least_twenty_varied_scripted_candidates():
    assert len(PERSONAS) >= 20 and len({p.name for p in PERSONAS}) == len(PERSONAS)
    kinds = Counter(p.kind for p in PERSONAS)
    for kind in ("strong", "casual", "terse", "clarifier", "numbers", "dont_know", "skip", "hint", "early", "ramble"):
        assert kinds[kind] >= 1, f"no {kind} candidate"
    scripts = [" ".join(p.script) for p in PERSONAS if isinstance(p.script, list)]
    assert len(set(scripts)) == len(scripts), "every scripted candidate says something different"


def test_listening_checks_have_the_agreed_thresholds():
    assert {name: THRESHOLDS[name] for name in LISTENING} == LISTENING
    assert len(THRESHOLDS) == len(CHECKS), "one name, one threshold"


def test_gate_fails_on_a_missed_threshold_or_a_check_that_never_ran():
    rows = [(c.name, 10, 10) for c in CHECKS]
    assert gate(rows) == []
    stated = [(n, 19, 20) if n == "follow-up about a stated point" else (n, p, t) for n, p, t in rows]
    assert gate(stated) == [], "one in twenty (5 %) is within the threshold"
    stated = [(n, 18, 20) if n == "follow-up about a stated point" else (n, p, t) for n, p, t in rows]
    assert gate(stated) == ["follow-up about a stated point: 2/20 failed (allowed 5%)"]
    graded = [(n, 5, 6) if n == "clarifying turns graded" else (n, p, t) for n, p, t in rows]
    assert gate(graded) == ["clarifying turns graded: 1/6 failed (allowed 0%)"]
    assert gate(rows[1:]) == [f"{CHECKS[0].name}: never ran"]


def test_an_overall_of_1_5_out_of_5_is_not_read_as_full_marks():
    # The injection check once found "5/5" inside "Overall: 1.5/5" and failed an interview whose
    # grader had ignored the injection.
    from evals.behaviour import _FULL_MARKS

    assert not any(_FULL_MARKS.search(t) for t in ("Overall: 1.5/5, level: below senior.", "2.5/5", "scored 15/5"))
    assert all(_FULL_MARKS.search(t) for t in ("Great answer, 5/5!", "Overall: 5.0/5"))
