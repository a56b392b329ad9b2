"""Our graders, adapted to the eval runner's :class:`Grader` protocol."""
from __future__ import annotations

from interviewer.errors import DatasetError

from .dataset import EvalItem
from .graders import Grader, Prediction


class RubricEvalGrader(Grader):
    """The offline rubric grader (or the rubric grader + LLM judge) for the runner."""

    scale = (1.0, 5.0)

    def __init__(self, grader, name: str = "rubric"):
        self.grader = grader
        self.name = name

    def predict(self, item: EvalItem) -> Prediction:
        if item.question_id and not item.reference:
            guide = self.grader.guide
            try:
                question = guide.question(item.question_id) if guide is not None else item.question
            except Exception as exc:  # an id from another guide: say which item
                raise DatasetError(f"item '{item.id}': {exc}") from exc
            card = self.grader.grade(question, item.answer)
        else:
            card = self.grader.grade(item.question, item.answer, reference=item.reference)
        return Prediction(
            overall=float(card.overall if card.overall is not None else 1.0),
            dimensions={d.id: (float(d.score) if d.score is not None else None) for d in card.dimensions},
        )
