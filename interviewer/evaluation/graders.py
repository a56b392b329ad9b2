"""What the runner needs from a grader, and a TF-IDF baseline to compare ours against."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from interviewer.errors import DatasetError, InterviewerError

from .dataset import EvalItem
from .tfidf import TfidfCosine


@dataclass(frozen=True)
class Prediction:
    """A grader's verdict on one answer, on the grader's own (native) scale."""

    overall: float
    dimensions: dict[str, float | None] = field(default_factory=dict)
    # Checklist credit per labelled point id ("1.2", "2.1", "4", "x.clarify", ...): covered 1,
    # partial 0.5, missing 0. Empty for graders that do not work point by point.
    points: dict[str, float] = field(default_factory=dict)
    # The label id of the point the interviewer would ask about next (None: no follow-up).
    followup: str | None = None
    # The text quoted as evidence per credited framework point (label id → quote).
    quotes: dict[str, str] = field(default_factory=dict)
    # The scorecard's flags ("injection_attempt", "off_topic", ...); None for graders without any.
    flags: tuple[str, ...] | None = None


@runtime_checkable
class Grader(Protocol):
    """Anything that scores answers.

    ``scale`` is the grader's native ``(min, max)``; the runner maps ``overall`` linearly
    onto the dataset's scale, so a grader never needs to know which dataset it is on.
    ``prepare`` sees the whole dataset once before any ``predict``; classes that subclass
    ``Grader`` inherit the no-op, and the runner tolerates graders that lack it.
    """

    name: str
    scale: tuple[float, float]

    def prepare(self, items: Sequence[EvalItem]) -> None:
        """Look at the whole dataset before grading (default: nothing to do)."""
        return None

    def predict(self, item: EvalItem) -> Prediction:
        """Score one answer."""
        ...


class BaselineGrader(Grader):
    """A deliberately naive baseline: TF-IDF cosine between answer and reference.

    It exists only so the real grader has something to beat; it rewards word overlap and
    is easily gamed by keyword stuffing. The reference is ``item.reference`` or, for guide
    questions, ``framework_text(item.question_id)``, falling back to
    ``framework_text(item.question)`` for rows that name the question only by its text
    (build the callable with :func:`~interviewer.evaluation.guide_lookup.framework_lookup`
    so the text resolves as ``interviewer grade`` resolves it). The vectorizer is fitted on the
    dataset's reference texts in :meth:`prepare`. Cosine is mapped linearly from
    ``[0, c_max]`` to ``[1, 5]`` and clipped, where ``c_max`` is the 95th percentile cosine
    over the dataset being graded, so the top few percent of answers score 5. An empty
    answer scores 1.
    """

    name = "baseline"
    scale = (1.0, 5.0)

    def __init__(
        self,
        framework_text: Callable[[str], str | None] | None = None,
        *,
        percentile: float = 95.0,
    ) -> None:
        self._framework_text = framework_text
        self._percentile = percentile
        self._vectorizer: TfidfCosine | None = None
        self._c_max = 0.0
        self._cosines: dict[tuple[str, str], float] = {}

    def _reference_for(self, item: EvalItem) -> str | None:
        if item.reference and item.reference.strip():
            return item.reference
        if self._framework_text is None:
            return None
        # The id wins; the text is the fallback for plain datasets that carry no question_id.
        for key in (item.question_id, item.question):
            text = self._framework_text(key) if key else None
            if text and text.strip():
                return text
        return None

    def prepare(self, items: Sequence[EvalItem]) -> None:
        """Fit the vectorizer on this dataset's references and calibrate ``c_max``.

        Raises:
            DatasetError: an item has neither a reference nor framework text.
        """
        references: list[str] = []
        for item in items:
            reference = self._reference_for(item)
            if reference is None:
                raise DatasetError(
                    f"item '{item.id}' has no reference and no guide framework text"
                    f" (question_id={item.question_id!r}, question={item.question[:60]!r});"
                    " the baseline needs one to compare against"
                )
            references.append(reference)

        # Sublinear tf stops one repeated word from dominating the cosine.
        try:
            vectorizer = TfidfCosine(sorted(set(references)))
        except ValueError:
            raise DatasetError("the references contain no usable words for the TF-IDF baseline") from None
        self._vectorizer = vectorizer

        # Each distinct reference is vectorised once, however many answers share it.
        answered = [(item.answer, ref) for item, ref in zip(items, references) if item.answer.strip()]
        self._cosines, self._c_max = {}, 0.0
        if answered:
            dots = vectorizer.cosines(answered)
            self._cosines = {pair: float(dot) for pair, dot in zip(answered, dots)}
            self._c_max = float(np.percentile(dots, self._percentile))

    def _cosine(self, answer: str, reference: str) -> float:
        cached = self._cosines.get((answer, reference))
        if cached is not None:
            return cached
        assert self._vectorizer is not None
        return self._vectorizer.cosine(answer, reference)

    def predict(self, item: EvalItem) -> Prediction:
        """Score one answer on 1–5 from its word overlap with the reference."""
        if self._vectorizer is None:
            raise InterviewerError("BaselineGrader.prepare(items) must be called before predict()")
        low, high = self.scale
        reference = self._reference_for(item)
        if not item.answer.strip() or reference is None or self._c_max <= 0:
            return Prediction(overall=low)
        fraction = min(self._cosine(item.answer, reference) / self._c_max, 1.0)
        return Prediction(overall=low + (high - low) * fraction)
