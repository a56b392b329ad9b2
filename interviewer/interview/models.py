"""The interview's typed state: plan, turns, hidden notes, per-question records, session.

Everything here is plain pydantic data, so a :class:`Session` round-trips through
``model_dump_json()`` / ``model_validate_json()`` and can be stored anywhere. The
interviewer's hidden notes live in ``Session.notes``, never in ``Session.turns``.
"""
from __future__ import annotations

import time
from typing import Literal

from pydantic import BaseModel, Field

from interviewer.grading.scorecard import PointResult, Scorecard
from interviewer.usage import Usage

Role = Literal["interviewer", "candidate", "system"]


class InterviewPlan(BaseModel):
    """What to ask: track(s), how many questions, the target level, or one chosen question."""

    tracks: list[str] | None = Field(default=None, description="Track ids; None or ['mixed'] = all tracks.")
    n_questions: int = Field(default=3, ge=1, le=6)
    level: Literal["senior", "staff"] = "senior"
    question_id: str | None = Field(default=None, description="Ask exactly this guide question.")


class Turn(BaseModel):
    """One visible message of the transcript."""

    role: Role
    text: str
    kind: str = Field(description="question, followup, clarification, hint, phase, wrapup, answer, notice, ...")
    question_id: str | None = None
    at: float = Field(description="Clock time (seconds) when the turn was recorded.")


class HiddenNote(BaseModel):
    """The interviewer's private reasoning for a move: never shown in the transcript."""

    turn: int
    question_id: str | None = None
    move: str
    text: str


class Hint(BaseModel):
    """A hint the candidate asked for; it weighs on the level verdict."""

    question_id: str
    dimension_id: str | None = None
    point_id: str | None = None
    at: float


class PhaseLog(BaseModel):
    """One finished (or current) system-design phase and its timing."""

    name: str
    budget_s: int
    started_at: float
    ended_at: float | None = None
    followups: int = 0

    def elapsed(self, now: float) -> float:
        return max(0.0, (self.ended_at if self.ended_at is not None else now) - self.started_at)

    @property
    def overran(self) -> bool:
        return self.ended_at is not None and self.elapsed(self.ended_at) > self.budget_s


class PhaseInfo(BaseModel):
    """The current phase for the UI's live panel."""

    name: str
    seconds_elapsed: float
    budget_s: int
    index: int
    total: int


class QuestionRecord(BaseModel):
    """Everything the interviewer tracks about one question while and after asking it."""

    question_id: str
    number: int
    asked_at: float
    status: Literal["open", "answered", "skipped", "not answered"] = "open"
    answers: list[str] = Field(default_factory=list, description="Candidate messages graded for this question.")
    answer_phases: list[int] = Field(default_factory=list, description="Phase index (-1: none) each answer was given in.")
    answer_targets: list[str] = Field(default_factory=list, description="The follow-up ('dim/point') each answer replied to, '' for none.")
    clarifying: list[str] = Field(default_factory=list, description="Clarifying questions asked: answered, never graded.")
    off_topic: list[str] = Field(default_factory=list, description="Answers to another problem, set aside: graded only if no "
                                 "answer to this question follows.")
    followups: int = 0
    targets: list[str] = Field(default_factory=list, description="'dim/point' keys already asked about.")
    declined: list[str] = Field(default_factory=list, description="Targets the candidate said they don't know.")
    declined_at: dict[str, int] = Field(default_factory=dict, description="Declined target → answers given before it.")
    declined_phases: list[int] = Field(default_factory=list, description="Phases whose prompt got 'I don't know'.")
    asked_topics: list[str] = Field(default_factory=list, description="Topic of each follow-up asked (content words).")
    covered: list[str] = Field(default_factory=list, description="'dim/point' keys covered at any point.")
    points: dict[str, PointResult] = Field(default_factory=dict, description="Best result per 'dim/point' over every turn.")
    pending: str | None = Field(default=None, description="The target of the last follow-up, if unanswered.")
    clarifications: int = 0
    empties: int = 0
    unclear: int = 0
    phases: list[PhaseLog] = Field(default_factory=list, description="System-design phases entered so far.")
    last_prompt: str = Field(default="", description="The last question put to the candidate (for 'repeat').")


class Session(BaseModel):
    """One mock interview: plan, visible transcript, hidden state, scorecards and usage."""

    id: str
    plan: InterviewPlan
    mode: str = Field(description="'offline' or the model name; never a key or URL.")
    question_ids: list[str]
    current: int = 0
    records: list[QuestionRecord] = Field(default_factory=list)
    turns: list[Turn] = Field(default_factory=list)
    notes: list[HiddenNote] = Field(default_factory=list)
    facts: dict[str, str] = Field(default_factory=dict, description="Clarification figures, fixed once given.")
    hints: list[Hint] = Field(default_factory=list)
    scorecards: dict[str, Scorecard] = Field(default_factory=dict, description="Latest scorecard per question id.")
    strikes: int = 0
    finished: bool = False
    report: "FinalReport | None" = None
    usage: Usage = Field(default_factory=Usage)
    started_at: float = 0.0

    @property
    def record(self) -> QuestionRecord | None:
        """The record of the question being asked now (None before start or after the end)."""
        return self.records[-1] if self.records and self.records[-1].status == "open" else None

    def transcript(self) -> list[Turn]:
        """The visible turns (the same list as ``turns``; hidden notes are elsewhere)."""
        return list(self.turns)

    def current_scorecard(self) -> Scorecard | None:
        """The latest scorecard of the current (or, after the end, the last answered) question."""
        for rec in reversed(self.records):
            if rec.question_id in self.scorecards:
                return self.scorecards[rec.question_id]
        return None

    def current_phase(self, now: float | None = None) -> PhaseInfo | None:
        """Name, seconds elapsed and budget of the current system-design phase, if any."""
        rec = self.record
        if rec is None or not rec.phases or self.finished:
            return None
        from interviewer.interview.phases import load_phases

        phase = rec.phases[-1]
        now = time.time() if now is None else now
        return PhaseInfo(name=phase.name, seconds_elapsed=round(phase.elapsed(now), 1), budget_s=phase.budget_s,
                         index=len(rec.phases) - 1, total=len(load_phases().phases))

    def hints_for(self, question_id: str) -> int:
        return sum(h.question_id == question_id for h in self.hints)


from interviewer.interview.report import FinalReport  # noqa: E402  (FinalReport refers back to models)

Session.model_rebuild()
