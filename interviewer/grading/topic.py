"""Which question an answer is about: how closely its sentences come to a question's framework points.

An answer to another problem (a candidate who heard "monitoring" for "mentoring", or answered the
cache question with the job scheduler they built) states no point of the question asked, but it
is often about as close to the question's *text* as a weak on-topic answer: both talk about
"state", "services" or "the team". What tells them apart is the framework: a weak answer that
says "I'd cache the hot reads" still comes close to one of the question's points, and an answer
to another problem comes closer to the points of some other question of the guide than to any of
this one's (evals/CALIBRATION.md, eighteenth session). Pure functions over embeddings; the grader
supplies the vectors.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# How many of a question's points the fit averages: one point can be near by chance (a shared
# word), three near points are a topic.
TOP_POINTS = 3


def framework_fit(point_unit: np.ndarray, top: int = TOP_POINTS) -> float:
    """How closely an answer comes to a question's framework: the mean, over the ``top`` points it
    comes closest to, of each point's best similarity to any of its sentences. ``point_unit`` is
    (points, units); 0 when either is empty."""
    if point_unit.size == 0:
        return 0.0
    best = np.sort(point_unit.max(axis=1))[::-1]
    return float(best[:top].mean())


@dataclass(frozen=True)
class QuestionProbes:
    """One guide question's framework points as embedded probe texts (several probes per point)."""

    question_id: str
    question: str
    owner: np.ndarray  # (probes,) the point each probe belongs to
    vectors: np.ndarray  # (probes, dim) L2-normalised

    def fit(self, unit_vecs: np.ndarray) -> float:
        """:func:`framework_fit` of an answer's unit vectors against this question's points."""
        if not len(self.owner) or not len(unit_vecs):
            return 0.0
        sims = self.vectors @ unit_vecs.T
        point_unit = np.stack([sims[self.owner == i].max(axis=0) for i in np.unique(self.owner)])
        return framework_fit(point_unit)


def closest_other(unit_vecs: np.ndarray, questions: list[QuestionProbes], own_id: str | None) -> tuple[QuestionProbes | None, float]:
    """The guide question other than ``own_id`` whose framework the answer comes closest to, and
    that fit (None, 0.0 when the guide has no other question)."""
    best, best_fit = None, 0.0
    for q in questions:
        if q.question_id == own_id:
            continue
        fit = q.fit(unit_vecs)
        if best is None or fit > best_fit:
            best, best_fit = q, fit
    return best, best_fit
