"""The final report: one scorecard across all answered questions, plus what happened.

The combined scorecard keeps each question's framework as one dimension and averages
the cross-cutting dimensions (example, clarify, trade-offs, specifics) over the
questions that assessed them. The overall is the mean of the per-question overalls;
the level verdict counts hints. Questions never answered are listed, never scored 0.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from interviewer.dimensions import CROSS_IDS
from interviewer.grading.scorecard import DimensionScore, Gap, JudgeNote, Scorecard
from interviewer.grading.verdict import level_verdict, strengths
from interviewer.interview.lesson import Lesson
from interviewer.interview.overall import explain
from interviewer.usage import Usage

if TYPE_CHECKING:
    from interviewer.guide import Guide
    from interviewer.interview.models import Session

CROSS = CROSS_IDS
_CONF = {"low": 0, "medium": 1, "high": 2}


class QuestionSummary(BaseModel):
    question_id: str
    question: str
    status: str
    overall: float | None = None
    level: str = "not assessed"
    followups: int = 0
    hints: int = 0
    clarifying_questions: int = 0


class Overrun(BaseModel):
    question_id: str
    phase: str
    budget_s: int
    elapsed_s: float


class FinalReport(BaseModel):
    """What the candidate gets at the end of a mock interview."""

    session_id: str
    mode: str
    target_level: str
    scorecard: Scorecard | None = Field(default=None, description="Across all answered questions.")
    questions: list[QuestionSummary] = Field(default_factory=list)
    scorecards: list[Scorecard] = Field(default_factory=list, description="Per answered question, in order.")
    overruns: list[Overrun] = Field(default_factory=list)
    hints_used: int = 0
    clarifying_questions: int = 0
    usage: Usage = Field(default_factory=Usage)
    notes: list[str] = Field(default_factory=list)
    lessons: list[Lesson] = Field(default_factory=list, description="Per answered question: strengths, what to practise, outline.")

    def lessons_markdown(self) -> str:
        """Every answered question's lesson (strengths, what to practise, outline, example answer), numbered as asked."""
        numbers = {q.question_id: i for i, q in enumerate(self.questions, 1)}
        return "\n".join(lesson.to_markdown(numbers.get(lesson.question_id, 0)) for lesson in self.lessons).rstrip()

    def card_shows_outline(self, lesson) -> bool:
        """Does this lesson's question scorecard already carry the same improved outline?"""
        return bool(lesson.outline) and any(c.question_id == lesson.question_id and c.outline == lesson.outline
                                            for c in self.scorecards)

    def to_markdown(self) -> str:
        """The whole report as Markdown: summary, per-question table, timing, the lessons, then each scorecard once.

        With one answered question its scorecard is the report's (the combined card would
        repeat it); with several, the combined card is a summary table over the full cards.
        """
        card = self.scorecard
        lines = ["## Mock interview report", "", f"Mode: {self.mode} · Target level: {self.target_level}"]
        if card is not None and card.overall is not None:
            lines.append(f"Overall: **{card.overall:.1f} / 5** · Level: **{card.level}**")
        lines += [""] + [f"> {n}" for n in self.notes] + ([""] if self.notes else [])
        lines += ["| # | Question | Status | Overall | Level | Follow-ups | Hints |", "|---|---|---|---|---|---|---|"]
        for i, q in enumerate(self.questions, 1):
            overall = "—" if q.overall is None else f"{q.overall:.1f}"
            lines.append(f"| {i} | {q.question} | {q.status} | {overall} | {q.level} | {q.followups} | {q.hints} |")
        lines.append("")
        if self.overruns:
            lines.append("**Time overruns**")
            lines += [f"- {o.phase} ({o.question_id}): {o.elapsed_s / 60:.1f} min of a {o.budget_s / 60:.0f} min budget"
                      for o in self.overruns]
            lines.append("")
        lines += [f"Usage: {self.usage.summary()}", ""]
        if self.lessons:  # what to practise comes before the detail it is drawn from
            lines += [self.lessons_markdown(), ""]
        if card is not None and len(self.scorecards) > 1:
            lines += [card.to_markdown(summary_only=True), ""]
        taught = {lesson.question_id for lesson in self.lessons if self.card_shows_outline(lesson)}
        for c in self.scorecards:  # an outline the lesson above already shows is not printed twice
            lines += [c.to_markdown(show_outline=c.question_id not in taught), ""]
        return "\n".join(lines).rstrip() + "\n"


def _round(x: float) -> int:
    return int(math.floor(x + 0.5))


def combine(cards: list[Scorecard], hints_used: int = 0) -> Scorecard | None:
    """One scorecard across questions (see the module docstring); None when nothing was answered."""
    if not cards:
        return None
    dims: list[DimensionScore] = []
    for i, c in enumerate(cards, 1):
        fw = [d for d in c.dimensions if d.kind not in CROSS and d.id not in CROSS and d.assessed]
        if fw:
            cov = sum(d.coverage for d in fw) / len(fw)
            dims.append(DimensionScore(
                id=f"q{i}", title=f"Q{i}: {c.question}", kind="framework", assessed=True, citation=c.question,
                score=_round(sum(d.score or 1 for d in fw) / len(fw)), coverage=round(cov, 3),
                points=[p.model_copy(update={"id": f"q{i}:{p.id}"}) for d in fw for p in d.points]))
    for key in CROSS:
        found = [(i, c.dimension(key)) for i, c in enumerate(cards, 1) if any(d.id == key and d.assessed for d in c.dimensions)]
        if found:
            first = found[0][1]
            dims.append(DimensionScore(
                id=key, title=first.title, kind=first.kind, assessed=True, citation=first.citation,
                score=_round(sum(d.score or 1 for _, d in found) / len(found)),
                coverage=round(sum(d.coverage for _, d in found) / len(found), 3),
                points=[p.model_copy(update={"id": f"q{i}:{p.id}"}) for i, d in found for p in d.points]))
    overalls = [c.overall for c in cards if c.overall is not None]
    overall = round(sum(overalls) / len(overalls), 1) if overalls else None
    flags = sorted({f for c in cards for f in c.flags})
    # no_substance on one question must not sink the whole interview's verdict
    verdict_flags = [f for f in flags if f not in ("no_substance", "fluent_filler")] if len(cards) > 1 else flags
    level, reasons = level_verdict(overall, dims, verdict_flags, hints_used)
    judged = [c.judge for c in cards if c.judge.used]
    return explain(Scorecard(
        question=f"Mock interview ({len(cards)} question{'s' if len(cards) != 1 else ''})", rubric_source="guide",
        dimensions=dims, overall=overall, overall_rounded=None if overall is None else _round(overall), level=level,
        level_reasons=reasons, strengths=strengths(dims),
        gaps=[Gap(dimension=c.question, point=g.point, citation=g.citation, named=g.named) for c in cards for g in c.gaps if g.dimension not in
              {d.title for d in c.dimensions if d.id in CROSS}],
        outline=[f"Q{i}: {step}" for i, c in enumerate(cards, 1) for step in c.outline],
        confidence=min((c.confidence for c in cards), key=_CONF.__getitem__),
        confidence_reasons=sorted({r for c in cards for r in c.confidence_reasons}),
        flags=flags, notes=sorted({n for c in cards for n in c.notes}), grader=cards[0].grader,
        judge=JudgeNote(used=True, model=judged[0].model, status=judged[0].status,
                        message=f"{sum(j.status == 'applied' for j in judged)} of {len(cards)} answers refined by the judge.")
        if judged else JudgeNote(used=False),
    ), hints_used)


def build_report(session: "Session", questions: dict[str, str], guide: "Guide | None" = None) -> FinalReport:
    """The final report of a (finished) session; ``questions`` maps ids to question texts; with the
    ``guide``, each answered question also gets a lesson (:mod:`~interviewer.interview.teaching`)."""
    from interviewer.interview.phases import load_phases
    from interviewer.interview.teaching import lesson

    answered = [r for r in session.records if r.status == "answered" and r.question_id in session.scorecards]
    cards = [session.scorecards[r.question_id] for r in answered]
    summaries, overruns = [], []
    for r in session.records:
        card = session.scorecards.get(r.question_id) if r.status == "answered" else None
        summaries.append(QuestionSummary(
            question_id=r.question_id, question=questions.get(r.question_id, r.question_id), status=r.status,
            overall=card.overall if card else None, level=card.level if card else "not assessed",
            followups=r.followups, hints=session.hints_for(r.question_id), clarifying_questions=r.clarifications))
        overruns += [Overrun(question_id=r.question_id, phase=p.name, budget_s=p.budget_s, elapsed_s=round(p.elapsed(p.ended_at), 1))
                     for p in r.phases if p.overran]
    notes = []
    unanswered = [s for s in summaries if s.status != "answered"]
    if unanswered:
        notes.append(f"{len(unanswered)} question(s) skipped or not answered: listed, not scored.")
    clarifying = sum(r.clarifications for r in session.records)
    if clarifying:
        cite = load_toml_citation()
        notes.append(f"You asked {clarifying} clarifying question(s); that counts in your favour ({cite}).")
    if session.hints:
        notes.append(f"{len(session.hints)} hint(s) used: they weigh on the level verdict.")
    total = len(load_phases().phases)
    for r in session.records:
        if r.status == "answered" and 0 < len(r.phases) < total:
            notes.append(f"Q{r.number} reached {len(r.phases)} of {total} system-design phases; the parts never reached are not assessed.")
    if overruns:
        notes.append(f"{len(overruns)} system-design phase(s) (of {total} per question) ran over their time budget.")
    combined = combine(cards, hints_used=len(session.hints))
    if combined is not None and combined.level != "not assessed":
        met = combined.level == "staff" or (session.plan.level == "senior" and combined.level == "senior")
        notes.append(f"Target level {session.plan.level}: {'met' if met else 'not met yet'} (verdict: {combined.level}).")
    lessons = [lesson(session.scorecards[r.question_id], r, guide.question(r.question_id)) for r in answered] if guide else []
    return FinalReport(
        lessons=lessons, session_id=session.id, mode=session.mode, target_level=session.plan.level,
        scorecard=combined, questions=summaries, scorecards=cards,
        overruns=overruns, hints_used=len(session.hints), clarifying_questions=clarifying, usage=session.usage, notes=notes)


def load_toml_citation() -> str:
    from interviewer.prompting import load_toml

    return load_toml("interviewer/clarify.toml").get("citation", "the guide")
