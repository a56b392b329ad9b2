"""The scorecard: typed result of grading, with JSON and Markdown renderings."""
from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, Field

Status = Literal["covered", "partial", "missing"]
Level = Literal["below senior", "senior", "staff", "not assessed"]


class Evidence(BaseModel):
    """The candidate's own words, quoted verbatim: ``answer[start:end] == quote``."""

    quote: str
    start: int
    end: int


class PointResult(BaseModel):
    """Whether one rubric point was covered, with the quote that shows it."""

    id: str
    text: str
    status: Status
    strength: float = Field(ge=0, le=1, description="Similarity × reasoning quality of the best evidence.")
    evidence: Evidence | None = None
    citation: str


class DimensionScore(BaseModel):
    """One rubric dimension, scored 1-5, or not assessed (never a silent zero)."""

    id: str
    title: str
    kind: str
    score: int | None = Field(default=None, ge=1, le=5)
    assessed: bool = True
    coverage: float = Field(default=0.0, ge=0, le=1)
    points: list[PointResult] = Field(default_factory=list)
    citation: str = ""
    adjusted_by_judge: int = 0
    judge_reason: str = ""


class Gap(BaseModel):
    dimension: str
    point: str
    citation: str
    named: bool = Field(default=False, description="The answer names this point's topic, but no sentence reads as stating it: "
                                                   "say what it does and why (verdict.names_topic).")

    @property
    def hint(self) -> str:
        """What to do about it, when that is not simply "add it"."""
        return "you name it: say what it does and why" if self.named else ""


class JudgeNote(BaseModel):
    """What the optional LLM judge did, shown so nobody mistakes it for the offline result."""

    used: bool
    model: str = ""
    status: Literal["applied", "fallback", "off"] = "off"
    message: str = ""


def short_citation(citation: str, question: str) -> str:
    """Drop the question's own text from a citation shown under that question (it is in the heading)."""
    prefix = f"{question} › "
    return citation[len(prefix):] if question and citation.startswith(prefix) else citation


def clip(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` characters (with "…" when cut)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Flags of the caps the labelling rules name: a capped overall is explained by its quoted cap, so
# rules that lift or carry an overall (interview coverage, overall-vs-bars) leave it alone.
CAP_FLAGS = frozenset({"keyword_stuffing", "off_topic", "no_substance", "fluent_filler", "injection_attempt"})
# A cross-cutting (signal) point's credit from which it reads covered, and partial.
SIGNAL_COVERED, SIGNAL_PARTIAL = 0.75, 0.25


class Scorecard(BaseModel):
    """A grading result a senior interviewer would sign."""

    question: str
    question_id: str = ""
    rubric_source: str = "guide"
    dimensions: list[DimensionScore]
    overall: float | None = Field(default=None, description="One decimal, 1-5.")
    overall_rounded: int | None = None
    level: Level = "not assessed"
    level_reasons: list[str] = Field(default_factory=list)
    strengths: list[str] = Field(default_factory=list)
    gaps: list[Gap] = Field(default_factory=list)
    outline: list[str] = Field(default_factory=list)
    confidence: Literal["high", "medium", "low"] = "medium"
    confidence_reasons: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list, description="injection_attempt, truncated, no_substance, fluent_filler, ...")
    clearly_missing_below: float | None = Field(
        default=None, description="Framework points with a strength below this are clearly not stated; above it, a "
                                  "'missing' point may have been said in other words (the interviewer does not ask about those).")
    stated_from: float | None = Field(
        default=None, description="Framework points with a strength at or above this read as stated (covered or partial). "
                                  "Set by the offline grader; points of parts not assessed keep their strength, so the "
                                  "interviewer can see what an answer stated in a part it has not asked about yet.")
    covered_from: float | None = Field(
        default=None, description="Framework points with a strength at or above this read as covered (set with "
                                  "``stated_from``; the interviewer reads it for parts not assessed yet).")
    notes: list[str] = Field(default_factory=list)
    claims: list[str] = Field(default_factory=list, description="The confident claims behind a confident_claims cap, "
                              "the candidate's own sentences (the interviewer challenges the first).")
    grader: str = "rubric (offline, deterministic)"
    judge: JudgeNote = Field(default_factory=lambda: JudgeNote(used=False))

    def dimension(self, dim_id: str) -> DimensionScore:
        return next(d for d in self.dimensions if d.id == dim_id)

    def to_json(self) -> str:
        """Stable JSON (sorted keys) so equal scorecards are equal byte for byte."""
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, indent=2)

    def to_markdown(self, summary_only: bool = False, show_outline: bool = True) -> str:
        """A readable report: scores, evidence with citations, gaps and an improved outline.

        ``summary_only`` stops after the dimension table and the level's reasons (for a card
        that aggregates others shown in full, such as a mock interview's combined card);
        ``show_outline`` False leaves out an outline the surrounding document already shows.
        """
        lines = [f"### Scorecard — {self.question}", ""]
        overall = "n/a" if self.overall is None else f"**{self.overall:.1f} / 5** (≈ {self.overall_rounded})"
        lines += [f"Overall: {overall} · Level: **{self.level}** · Confidence: {self.confidence}", f"_Graded by: {self.grader}_", ""]
        lines += [f"_{reason}_" for reason in self.confidence_reasons] + ([""] if self.confidence_reasons else [])
        if self.judge.used:
            lines += [f"_LLM judge ({self.judge.model}): {self.judge.status} — {self.judge.message}_", ""]
        for note in self.notes:
            lines.append(f"> {note}")
        if self.notes:
            lines.append("")
        lines += ["| Dimension | Score | Covered |", "|---|---|---|"]
        for d in self.dimensions:
            score = "not assessed" if not d.assessed else f"{d.score}/5"
            covered = sum(p.status == "covered" for p in d.points)
            partial = sum(p.status == "partial" for p in d.points)
            extra = f" (+{partial} partial)" if partial else ""
            lines.append(f"| {d.title} | {score} | {covered}/{len(d.points)}{extra} |")
        lines.append("")
        if self.level_reasons:
            lines += ["**Why this level:** " + " ".join(self.level_reasons), ""]
        if summary_only:
            return "\n".join(lines).rstrip() + "\n"
        evidence = [(d, p) for d in self.dimensions for p in d.points if p.evidence and p.status != "missing"]
        if evidence:
            lines.append("**Evidence (your words)**")
            for d, p in evidence:
                lines.append(f"- {p.status}: {p.text} — “{_short(p.evidence.quote)}” ({p.citation})")
            lines.append("")
        if self.gaps:
            lines.append("**Missing**")
            lines += [f"- {g.point} ({g.citation})" + (f" — {g.hint}" if g.hint else "") for g in self.gaps]
            lines.append("")
        if self.outline and show_outline:
            lines.append("**Improved outline**")
            lines += [f"{i}. {step}" for i, step in enumerate(self.outline, 1)]
        return "\n".join(lines).rstrip() + "\n"


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
