"""The cross-cutting rubric dimensions, each defined once.

A dimension's id, kind, wording (a table in ``prompts/rubric/cross_cutting.toml``), how it
is matched (a detector in :mod:`interviewer.grading.signals`), the calibration feature it
feeds, the id labellers use for it, its follow-up priority and when a reference answer asks
for it all live here. The rubric, grading engine, calibration, interview policy, phrasing,
report and eval adapters read this registry, so changing a dimension touches this file and
its wording file, nothing else. Framework dimensions come from the guide itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

DimensionKind = Literal["framework", "example", "cross", "reference", "relevance"]
# Kinds whose points differ per question and are judged by the point matcher (the rest are signals).
SEMANTIC_KINDS: tuple[DimensionKind, ...] = ("framework", "reference", "relevance")


@dataclass(frozen=True)
class CrossDimension:
    """One cross-cutting dimension (everything but the guide's framework parts)."""

    id: str
    kind: DimensionKind
    label_id: str  # the id in labelled datasets (evals/LABELLING.md)
    detector: str  # the function in interviewer.grading.signals that finds its evidence
    followup_priority: float  # lower is asked first, after the framework parts
    reference_asks: re.Pattern  # a reference answer that matches this asks for the dimension
    # Can a line of the guide's example answer ("Achieved 95% cache hit rate") illustrate it? A
    # project and its numbers can; a habit of the conversation (clarifying, weighing) cannot.
    illustrated_by_example: bool = True

    @property
    def feature(self) -> str:
        """The calibration feature this dimension's coverage feeds."""
        return self.id


DIMENSIONS: tuple[CrossDimension, ...] = (
    CrossDimension("example", "example", "4", "example_signals", 2.0,
                   re.compile(r"\b(example|experience|project|outcome)\b", re.I)),
    CrossDimension("clarify", "cross", "x.clarify", "clarify_signals", 4.0,
                   re.compile(r"\b(clarif|requirements?|assum|constraints?|first ask)", re.I), illustrated_by_example=False),
    CrossDimension("tradeoffs", "cross", "x.tradeoffs", "tradeoff_signals", 1.0,
                   re.compile(r"\b(trade-?offs?|trades?|compar(e|ed|ing)|downsides?|drawbacks?|costs?|versus|vs\.?|instead of|rather than|at the expense)\b", re.I), illustrated_by_example=False),
    CrossDimension("specifics", "cross", "x.specifics", "specifics_signals", 3.0,
                   re.compile(r"\b(for example|e\.g\.|such as|concrete|numbers?|metrics?)\b", re.I)),
)
BY_ID: dict[str, CrossDimension] = {d.id: d for d in DIMENSIONS}
CROSS_IDS: tuple[str, ...] = tuple(d.id for d in DIMENSIONS)
# Asked on every question; a reference question asks only for those its reference names.
REFERENCE_CROSS_IDS: tuple[str, ...] = ("clarify", "tradeoffs", "specifics")
# A user's own question with no model answer: every cross-cutting quality, the example too (they
# are all that can be judged besides relevance).
QUESTION_ONLY_CROSS_IDS: tuple[str, ...] = CROSS_IDS


def is_cross(dimension_id: str) -> bool:
    """Is this one of the cross-cutting dimensions (not a framework part)?"""
    return dimension_id in BY_ID


def by_followup_priority() -> tuple[str, ...]:
    """Cross-cutting ids in the order a follow-up should probe them."""
    return tuple(d.id for d in sorted(DIMENSIONS, key=lambda d: d.followup_priority))
