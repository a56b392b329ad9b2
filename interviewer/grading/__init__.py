"""Grading: rubric coverage with verbatim evidence, calibrated scores, a typed scorecard."""
from __future__ import annotations

from functools import lru_cache

from interviewer.grading.engine import DEFAULT_MAX_CHARS, Grader
from interviewer.grading.scorecard import DimensionScore, Evidence, Gap, PointResult, Scorecard
from interviewer.rubric import Rubric
from interviewer.settings import REPO_ROOT

__all__ = ["Grader", "Scorecard", "DimensionScore", "Evidence", "Gap", "PointResult", "grade", "default_grader"]


# What the calibration was fitted with: evals and library use grade with exactly this, whatever
# INTERVIEWER_* variables or a .env say (an OpenAI embedder or another guide would silently change
# every figure the evals report).
_PINNED = {"embedding_backend": "minilm", "knowledge_dir": REPO_ROOT / "knowledge", "max_answer_chars": DEFAULT_MAX_CHARS}


@lru_cache(maxsize=1)
def default_grader() -> Grader:
    """The offline rubric grader on the shipped guide and MiniLM, for library and eval use — built
    the way the app and the CLI build theirs (``services.build_grader``)."""
    from interviewer.services import build_grader
    from interviewer.settings import Settings

    return build_grader(Settings(_env_file=None, **_PINNED))


def grade(question, answer: str, *, rubric: Rubric | None = None, reference: str | None = None) -> Scorecard:
    """Grade ``answer`` to ``question`` (a guide Question, id or text, or your own question)."""
    return default_grader().grade(question, answer, rubric=rubric, reference=reference)
