"""Our graders, adapted to the eval runner's :class:`Grader` protocol."""
from __future__ import annotations

import math

from interviewer.errors import DatasetError
from interviewer.grading.scorecard import DimensionScore, Scorecard
from interviewer.guide.model import Question

from .dataset import EvalItem
from .graders import Grader, Prediction
from .guide_lookup import find_guide_question

STATUS_CREDIT: dict[str, float] = {"covered": 1.0, "partial": 0.5, "missing": 0.0}

# Cross-cutting dimensions and the label ids they answer for (see evals/LABELLING.md).
CROSS_LABELS: dict[str, str] = {"clarify": "x.clarify", "tradeoffs": "x.tradeoffs", "specifics": "x.specifics"}
EXAMPLE_LABEL = "4"


def _half_up(value: float) -> float:
    """Round to 0, 0.5 or 1, halves up (0.25 → 0.5), matching the scale's half-up rounding."""
    return min(1.0, max(0.0, math.floor(value * 2 + 0.5) / 2))


def _diagram_parts(question: Question | None) -> set[int]:
    # A diagram part is labelled as one point ("gives a coherent architecture") while the
    # rubric checks each row of the diagram separately.
    if question is None:
        return set()
    return {p.index for p in question.parts if p.diagram and not p.points}


def _framework_points(dim: DimensionScore, diagram: set[int]) -> dict[str, float]:
    part = dim.id.removeprefix("part")
    if part.isdigit() and int(part) in diagram:
        return {f"{part}.1": max((STATUS_CREDIT[p.status] for p in dim.points), default=0.0)}
    return {p.id: STATUS_CREDIT[p.status] for p in dim.points}


def _example_credit(dim: DimensionScore) -> float:
    # Label "4" needs a story *with an outcome*: full credit only when every example point
    # (the story and its outcome) is covered, half when any of them shows at all.
    if dim.points and all(p.status == "covered" for p in dim.points):
        return 1.0
    return 0.5 if any(p.status != "missing" for p in dim.points) else 0.0


def scorecard_points(card: Scorecard, question: Question | None = None) -> dict[str, float]:
    """A scorecard's checklist as label id → credit (covered 1, partial 0.5, missing 0).

    Framework points keep their ids ("1.2"); the rows of a diagram part of ``question``
    collapse to the single label "P.1" with the best row's credit; the example dimension
    becomes "4" and clarify / tradeoffs / specifics become "x.*" with the dimension's
    coverage rounded to 0, 0.5 or 1. Dimensions that were not assessed are left out, which
    the point metrics read as no credit.
    """
    diagram = _diagram_parts(question)
    points: dict[str, float] = {}
    for dim in card.dimensions:
        if not dim.assessed:
            continue
        if dim.kind == "framework":
            points.update(_framework_points(dim, diagram))
        elif dim.id == "example":
            points[EXAMPLE_LABEL] = _example_credit(dim)
        elif dim.id in CROSS_LABELS:
            points[CROSS_LABELS[dim.id]] = _half_up(dim.coverage)
    return points


class RubricEvalGrader(Grader):
    """The offline rubric grader (or the rubric grader + LLM judge) for the runner."""

    scale = (1.0, 5.0)

    def __init__(self, grader, name: str = "rubric"):
        self.grader = grader
        self.name = name

    def _question(self, item: EvalItem) -> Question | None:
        """The guide question to grade against, or None for a reference / free question."""
        guide = self.grader.guide
        if item.reference or guide is None:
            return None
        if item.question_id:
            try:
                return guide.question(item.question_id)
            except Exception as exc:  # an id from another guide: say which item
                raise DatasetError(f"item '{item.id}': {exc}") from exc
        # No id: resolve the text exactly as `interviewer grade` does.
        return find_guide_question(guide, item.question)

    def predict(self, item: EvalItem) -> Prediction:
        """Grade one item; the scorecard's checklist becomes ``Prediction.points``."""
        question = self._question(item)
        if question is not None:
            card = self.grader.grade(question, item.answer)
        else:
            card = self.grader.grade(item.question, item.answer, reference=item.reference)
        return Prediction(
            overall=float(card.overall if card.overall is not None else 1.0),
            dimensions={d.id: (float(d.score) if d.score is not None else None) for d in card.dimensions},
            points=scorecard_points(card, question),
        )
