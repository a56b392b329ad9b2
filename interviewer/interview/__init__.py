"""Mock interviews: a state machine over the scorecard, phrased offline or by an LLM.

Public API (used by the CLI and the UI): :class:`InterviewPlan`, :class:`Turn`,
:class:`Session`, :class:`Interviewer` (``start`` / ``reply`` / ``end``),
:class:`FinalReport` and :class:`PhaseInfo`. Build an interviewer with
``interviewer.services.build_interviewer(settings, llm=None, retriever=None, clock=None)``.
"""
from interviewer.interview.models import HiddenNote, Hint, InterviewPlan, PhaseInfo, QuestionRecord, Session, Turn
from interviewer.interview.report import FinalReport, Overrun, QuestionSummary
from interviewer.interview.engine import Interviewer  # noqa: E402  (after the models it uses)

__all__ = [
    "FinalReport", "HiddenNote", "Hint", "InterviewPlan", "Interviewer", "Overrun", "PhaseInfo", "QuestionRecord",
    "QuestionSummary", "Session", "Turn",
]
