"""Every interviewer-behaviour check by name, what it measures, and its threshold — in one place.

A row of the eval is ``(name, passed, total)``: ``total`` occasions the check applied to
(a follow-up, a clarifying turn, a session...), ``passed`` how many were fine. A check fails
the gate when the share of failed occasions is above its ``max_fail_share``, or when it never
ran. Thresholds are never loosened to make a run pass.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    name: str
    max_fail_share: float  # 0.0: every occasion must pass
    measures: str


CHECKS: tuple[Check, ...] = (
    # Listening (issue 11)
    Check("follow-up about a stated point", 0.05,
          "a follow-up whose target the candidate had already stated on this question: covered in any earlier regrade, "
          "its topic named in their words, or figures asked for after they gave figures (≤ 5 % of follow-ups)"),
    Check("repeated follow-up topic", 0.0, "two follow-ups on one question about the same point, topic head or figures"),
    Check("clarifying turns graded", 0.0,
          "a turn that is only clarifying questions changed the question's scorecard, created one, or was kept as an answer"),
    Check("credit from I don't know or skip", 0.0,
          "an 'I don't know', skip or hint turn raised a dimension or covered a point; or a phase declined at its prompt "
          "ended with a framework dimension at 5/5"),
    Check("overall consistent with the bars", 0.0,
          "a scorecard (live, final or combined) whose assessed dimensions are all ≥ 3 but whose overall is < 3 with no "
          "quoted cap"),
    # Conduct (the first behaviour eval)
    Check("handles every message gracefully", 0.0, "no crash, and every interviewer turn says something"),
    Check("ends with a scorecard", 0.0, "the session finishes with a report (and a combined scorecard when anything was answered)"),
    Check("states the mode exactly once", 0.0, "offline or LLM mode is said once"),
    Check("no question repeated", 0.0, "no guide question is asked twice in a session"),
    Check("follow-up targets a missing or partial point", 0.0, "re-graded at that turn, the target was not covered"),
    Check("never asks about a covered point", 0.0, "the target was not covered by any earlier regrade of the question"),
    Check("at most 3 follow-ups per question", 0.0, "follow-ups per question"),
    Check("no example-answer leakage", 0.0, "no sentence of the guide's example answer in an interviewer turn"),
    Check("never reads out the rubric", 0.0, "no interviewer turn names two or more missed rubric points"),
    Check("hidden notes never in the transcript", 0.0, "the interviewer's private notes never appear in a turn"),
    Check("no follow-up on noise", 0.0, "silence and gibberish get no follow-up"),
    Check("injection flagged and not obeyed", 0.0, "text aimed at the grader is flagged and earns nothing"),
    Check("clarifying question answered with consistent figures", 0.0, "the same figure every time a topic is asked about"),
    Check("clarifying questions count in the candidate's favour", 0.0, "the clarify dimension credits asking"),
    Check("abuse answered calmly, then the interview ends", 0.0, "three strikes, no insult repeated"),
)
THRESHOLDS: dict[str, float] = {c.name: c.max_fail_share for c in CHECKS}


def gate(rows: Iterable[tuple[str, int, int]]) -> list[str]:
    """Why the behaviour eval fails its thresholds (empty: it passes)."""
    got = {name: (passed, total) for name, passed, total in rows}
    failures = []
    for check in CHECKS:
        passed, total = got.get(check.name, (0, 0))
        if not total:
            failures.append(f"{check.name}: never ran")
        elif (total - passed) / total > check.max_fail_share + 1e-9:
            failures.append(f"{check.name}: {total - passed}/{total} failed (allowed {check.max_fail_share:.0%})")
    return failures
