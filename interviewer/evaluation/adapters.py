"""Our graders, adapted to the eval runner's :class:`Grader` protocol."""
from __future__ import annotations

import math
from collections.abc import Sequence

from interviewer.dimensions import BY_ID, DIMENSIONS
from interviewer.errors import DatasetError
from interviewer.grading.scorecard import DimensionScore, Scorecard
from interviewer.guide.model import Question

from .dataset import EvalItem
from .graders import Grader, Prediction
from .guide_lookup import find_guide_question

STATUS_CREDIT: dict[str, float] = {"covered": 1.0, "partial": 0.5, "missing": 0.0}

# Cross-cutting dimensions and the label ids they answer for (see evals/LABELLING.md).
CROSS_LABELS: dict[str, str] = {d.id: d.label_id for d in DIMENSIONS if d.kind == "cross"}
EXAMPLE_LABEL = BY_ID["example"].label_id


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


def scorecard_quotes(card: Scorecard, question: Question | None = None) -> dict[str, str]:
    """The quote shown for each credited framework point, keyed by label id (a diagram
    part's label takes the quote of its best-credited row)."""
    diagram = _diagram_parts(question)
    quotes: dict[str, str] = {}
    for dim in card.dimensions:
        if not dim.assessed or dim.kind != "framework":
            continue
        part = dim.id.removeprefix("part")
        shown = [p for p in dim.points if p.status != "missing" and p.evidence is not None]
        if part.isdigit() and int(part) in diagram:
            if shown:
                quotes[f"{part}.1"] = max(shown, key=lambda p: STATUS_CREDIT[p.status]).evidence.quote
        else:
            quotes.update({p.id: p.evidence.quote for p in shown})
    return quotes


def _offline_grader(grader):
    """The rubric grader that owns the embedder (unwrapping e.g. a JudgedGrader), or None."""
    for _ in range(4):
        if hasattr(grader, "embedder") and hasattr(grader, "rubric_for"):
            return grader
        grader = getattr(grader, "grader", None)
        if grader is None:
            return None
    return None


def embedding_texts(grader, question: Question | str, answer: str, reference: str | None = None) -> list[str]:
    """Every text ``grader.grade(question, answer, reference=reference)`` will embed (the
    grader owns that list: ``Grader.embedding_texts``); empty for graders without it."""
    own = getattr(grader, "embedding_texts", None)
    return own(question, answer, reference=reference) if own is not None and isinstance(answer, str) else []


def followup_label(card: Scorecard, question: Question | None, answer: str = "") -> str | None:
    """The label id of the point the interviewer would probe first after this answer.

    Uses the interview policy itself (``pick_target`` on a question record holding this
    answer, as in a real interview), so the eval measures the follow-ups candidates really get.
    """
    from interviewer.interview.models import QuestionRecord
    from interviewer.interview.policy import answers_another_problem, pick_target

    if question is None or "no_substance" in card.flags or answers_another_problem(card):
        return None  # asked to rephrase, or the question is put again: no follow-up
    record = QuestionRecord(question_id=question.id, number=1, asked_at=0.0, answers=[answer] if answer else [])
    target = pick_target(card, record)
    if target is None:
        return None
    if target.dimension_id in BY_ID:
        return BY_ID[target.dimension_id].label_id
    part = target.dimension_id.removeprefix("part")
    return f"{part}.1" if part.isdigit() and int(part) in _diagram_parts(question) else target.point_id


class RubricEvalGrader(Grader):
    """The offline rubric grader (or the rubric grader + LLM judge) for the runner."""

    scale = (1.0, 5.0)

    def __init__(self, grader, name: str = "rubric"):
        self.grader = grader
        self.name = name
        self._ahead: dict[int, int] = {}  # id(item) -> index of its batch in self._batches
        self._batches: list[list[str]] = []
        self._items: Sequence[EvalItem] = ()

    def prepare(self, items: Sequence[EvalItem]) -> None:
        """Embed every text the grader will embed for ``items`` in one batched call.

        The embedder batches texts of similar token counts and caches by text, so grading
        an answer afterwards embeds nothing new: across answers the batches are full and
        hardly padded, instead of a few ragged batches per answer. When the texts would
        overflow half the embedder's cache they are split into consecutive batches of
        items, each embedded just before its first item is graded. Does nothing for an
        embedder that does not say how big its cache is (it may not cache at all).
        """
        self._ahead, self._batches, self._items = {}, [], items
        offline = _offline_grader(self.grader)
        cache_size = getattr(getattr(offline, "embedder", None), "cache_size", None) if offline is not None else None
        if not cache_size:
            return
        # Room for the rubric probes, reused by every answer, and for the guide's points, which the
        # off-topic reading of a low-credit answer embeds once: they must not evict a chunk.
        budget = max(1, (cache_size - offline.topic_text_count()) // 2)
        batch: dict[str, None] = {}
        for item in items:
            try:
                question = self._question(item)
                if question is not None:
                    texts = embedding_texts(offline, question, item.answer)
                else:
                    texts = embedding_texts(offline, item.question, item.answer, item.reference)
            except Exception:  # noqa: BLE001 - predict() raises it, naming the item
                continue
            new = [t for t in dict.fromkeys(texts) if t not in batch]
            if batch and len(batch) + len(new) > budget:
                self._batches.append(list(batch))
                batch = {}
                new = list(dict.fromkeys(texts))
            batch.update(dict.fromkeys(new))
            self._ahead[id(item)] = len(self._batches)
        if batch:
            self._batches.append(list(batch))
        self._embed_ahead(0)

    def _embed_ahead(self, index: int) -> None:
        if index < len(self._batches) and self._batches[index]:
            _offline_grader(self.grader).embedder.embed(self._batches[index])
            self._batches[index] = []  # embedded: the cache holds them now

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
        index = self._ahead.pop(id(item), None)
        if index is not None:
            self._embed_ahead(index)
        question = self._question(item)
        if question is not None:
            card = self.grader.grade(question, item.answer)
        else:
            card = self.grader.grade(item.question, item.answer, reference=item.reference)
        return Prediction(
            overall=float(card.overall if card.overall is not None else 1.0),
            dimensions={d.id: (float(d.score) if d.score is not None else None) for d in card.dimensions},
            points=scorecard_points(card, question),
            followup=followup_label(card, question, item.answer),
            quotes=scorecard_quotes(card, question),
            flags=tuple(card.flags),
        )
