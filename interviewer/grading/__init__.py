"""Grading: rubric coverage with verbatim evidence, calibrated scores, a typed scorecard."""
from __future__ import annotations

from functools import lru_cache

from interviewer.grading.engine import Grader
from interviewer.grading.scorecard import DimensionScore, Evidence, Gap, PointResult, Scorecard
from interviewer.rubric import Rubric

__all__ = ["Grader", "Scorecard", "DimensionScore", "Evidence", "Gap", "PointResult", "grade", "default_grader"]


@lru_cache(maxsize=1)
def default_grader() -> Grader:
    """A grader over the shipped guide with the offline embedder (built on first use)."""
    from interviewer.embeddings import MiniLMEmbedder
    from interviewer.guide import load_guides
    from interviewer.settings import REPO_ROOT

    return Grader(MiniLMEmbedder(), load_guides([REPO_ROOT / "knowledge"]))


def grade(question, answer: str, *, rubric: Rubric | None = None, reference: str | None = None) -> Scorecard:
    """Grade ``answer`` to ``question`` (a guide Question, id or text, or your own question)."""
    return default_grader().grade(question, answer, rubric=rubric, reference=reference)
