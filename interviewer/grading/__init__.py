"""Grading: rubric coverage with verbatim evidence, calibrated scores, a typed scorecard."""
from __future__ import annotations

from functools import lru_cache

from interviewer.grading.engine import Grader
from interviewer.grading.scorecard import DimensionScore, Evidence, Gap, PointResult, Scorecard
from interviewer.rubric import Rubric

__all__ = ["Grader", "Scorecard", "DimensionScore", "Evidence", "Gap", "PointResult", "grade", "default_grader"]


@lru_cache(maxsize=1)
def default_grader(settings=None) -> Grader:
    """The offline rubric grader for library and eval use, built where the app and the CLI build
    theirs (``services.build_grader``), from ``settings`` or the defaults and environment."""
    from interviewer.services import build_grader
    from interviewer.settings import Settings

    return build_grader(settings or Settings())


def grade(question, answer: str, *, rubric: Rubric | None = None, reference: str | None = None) -> Scorecard:
    """Grade ``answer`` to ``question`` (a guide Question, id or text, or your own question)."""
    return default_grader().grade(question, answer, rubric=rubric, reference=reference)
