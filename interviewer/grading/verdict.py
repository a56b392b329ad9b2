"""Turning dimension scores into a level verdict, strengths, confidence and an outline."""
from __future__ import annotations

from interviewer.grading.scorecard import DimensionScore
from interviewer.rubric import Rubric


def level_verdict(overall: float | None, dims: list[DimensionScore], flags: list[str], hints_used: int = 0) -> tuple[str, list[str]]:
    """below senior / senior / staff, with the reasons a candidate can act on."""
    if overall is None:
        return "not assessed", ["No dimension could be assessed from what was asked."]
    by_id = {d.id: d for d in dims if d.assessed}
    reasons: list[str] = []
    trade = by_id.get("tradeoffs")
    example = by_id.get("example")
    if "no_substance" in flags:
        return "below senior", ["No substantive answer was given."]
    if overall >= 4.5 and (trade is None or (trade.score or 0) >= 4) and (example is None or (example.score or 0) >= 4) and hints_used == 0:
        reasons.append(f"Overall {overall:.1f}/5 with explicit trade-offs and a concrete example with outcomes.")
        return "staff", reasons
    if overall >= 3.5:
        reasons.append(f"Overall {overall:.1f}/5: the framework is mostly covered.")
        if trade is not None and (trade.score or 0) < 4:
            reasons.append("Staff level needs explicit trade-offs (what you gave up and why).")
        if example is not None and (example.score or 0) < 4:
            reasons.append("Staff level needs a concrete example from your experience with measurable outcomes.")
        if hints_used:
            reasons.append(f"{hints_used} hint(s) were used.")
        return "senior", reasons
    weak = [d.title for d in dims if d.assessed and (d.score or 0) <= 2]
    reasons.append(f"Overall {overall:.1f}/5 is below the senior bar (3.5)." + (f" Weakest: {', '.join(weak[:3])}." if weak else ""))
    return "below senior", reasons


def strengths(dims: list[DimensionScore], limit: int = 5) -> list[str]:
    """The strongest covered points, in the candidate's favour."""
    covered = [(p.strength, d.title, p.text) for d in dims if d.assessed for p in d.points if p.status == "covered"]
    covered.sort(key=lambda x: (-x[0], x[1], x[2]))
    return [f"{title}: {text}" for _, title, text in covered[:limit]]


def confidence(rubric: Rubric, dims: list[DimensionScore], flags: list[str]) -> tuple[str, list[str]]:
    """How much to trust this scorecard, and why."""
    reasons = []
    if rubric.source == "none":
        reasons.append("No reference answer: only cross-cutting qualities and relevance could be judged.")
    if "non_english" in flags:
        reasons.append("The answer is not in English.")
    if "truncated" in flags:
        reasons.append("The answer was truncated.")
    if not all(d.assessed for d in dims):
        reasons.append("Some dimensions were not assessed.")
    if rubric.source == "none" or "non_english" in flags:
        return "low", reasons
    if reasons:
        return "medium", reasons
    return "high", ["Rubric from the guide (or your reference) with verbatim evidence for each covered point."]


def outline(rubric: Rubric, dims: list[DimensionScore]) -> list[str]:
    """An improved answer outline: keep what was covered, add what was missing, in rubric order."""
    steps = []
    for d in dims:
        if not d.assessed:
            continue
        kept = [p.text for p in d.points if p.status == "covered"]
        add = [p.text for p in d.points if p.status != "covered"]
        if not add and not kept:
            continue
        line = f"{d.title}"
        if kept:
            line += " — keep: " + "; ".join(kept)
        if add:
            line += (" — add: " if kept else " — cover: ") + "; ".join(add)
        steps.append(line)
    return steps
