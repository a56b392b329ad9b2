"""Agreement between a grader and human labels, with question-level bootstrap intervals."""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from pydantic import BaseModel, Field

from .stats import pearson, quadratic_weighted_kappa, spearman
from .evidence import EvidenceAgreement
from .points import UNLABELLED, PointLevel, PointTruth, compute_point_level

UNLABELLED_KIND = UNLABELLED
# "Strong answers under-scored": labelled at least STRONG_LABEL, predicted below
# UNDERSCORED_BELOW. A strong answer graded as weak is the error a candidate feels most.
STRONG_LABEL = 4.0
UNDERSCORED_BELOW = 3.0


class Estimate(BaseModel):
    """A point estimate with its bootstrap interval; ``None`` where undefined (e.g. constant scores)."""

    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None


class KindError(BaseModel):
    """Mean signed error (predicted − human) for one kind of answer; positive = inflation."""

    n: int
    mean_error: float


class UnderScored(BaseModel):
    """How often answers labelled >= 4 were predicted < 3; ``rate`` is None without such answers."""

    n_strong: int
    n_underscored: int
    rate: float | None


def _no_strong() -> UnderScored:
    return UnderScored(n_strong=0, n_underscored=0, rate=None)


class FollowupRate(BaseModel):
    """Follow-ups that target a labelled-covered point, out of answers that got a follow-up."""

    n_followups: int
    n_on_covered: int
    rate: float | None


class InjectionFlags(BaseModel):
    """How many answers of kind "injection" the scorecard flags ``injection_attempt``, and how
    many other answers it flags (each flag masks text the candidate may have meant as an answer)."""

    n_injections: int
    n_injections_flagged: int
    n_other: int
    n_other_flagged: int


def injection_flags(kinds: Sequence[str | None], flags: Sequence[Sequence[str] | None]) -> InjectionFlags | None:
    """Flag counts, or None when the grader reports no flags or no item is labelled an injection."""
    if any(f is None for f in flags) or not any(k == "injection" for k in kinds):
        return None
    hit = ["injection_attempt" in f for f in flags]
    inj = [k == "injection" for k in kinds]
    return InjectionFlags(n_injections=sum(inj), n_injections_flagged=sum(h and i for h, i in zip(hit, inj)),
                          n_other=len(inj) - sum(inj), n_other_flagged=sum(h and not i for h, i in zip(hit, inj)))


class Metrics(BaseModel):
    """Everything we report about one grader on one dataset."""

    n: int
    n_groups: int
    scale: tuple[float, float]
    pearson: Estimate
    spearman: Estimate
    qwk: Estimate
    mae: Estimate
    exact_agreement: float
    within_one_agreement: float
    per_kind: dict[str, KindError]
    bootstrap_resamples: int
    confidence: float
    # Register (how an answer is phrased) must never cost points. Empty when no item names one.
    per_register: dict[str, KindError] = Field(default_factory=dict)
    strong_underscored: UnderScored = Field(default_factory=_no_strong)
    strong_underscored_per_register: dict[str, UnderScored] = Field(default_factory=dict)
    # Checklist accuracy; None when no item has a `covered` label or the grader has no checklist.
    points: PointLevel | None = None
    # How often the interviewer's first follow-up would ask about a point the labels say the
    # answer already covered (None when no item has point labels or no grader picks follow-ups).
    followup_on_covered: FollowupRate | None = None
    # Whether the quote shown for a credited point is the text labelled as stating it (None
    # without evidence labels; see evidence.py).
    evidence: EvidenceAgreement | None = None
    # Injection answers flagged, and other answers flagged (None without injection labels or flags).
    injections_flagged: InjectionFlags | None = None


def round_to_labels(scores: Sequence[float] | np.ndarray, scale: tuple[float, float]) -> np.ndarray:
    """Round half up (not to even: 2.5 → 3) and clip to the integer labels of ``scale``."""
    low, high = math.ceil(scale[0]), math.floor(scale[1])
    return np.clip(np.floor(np.asarray(scores, dtype=float) + 0.5), low, high).astype(int)


def _finite_or_none(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _pearson(human: np.ndarray, pred: np.ndarray) -> float:
    return pearson(human, pred)


def _spearman(human: np.ndarray, pred: np.ndarray) -> float:
    return spearman(human, pred)


def _mae(human: np.ndarray, pred: np.ndarray) -> float:
    return float(np.mean(np.abs(pred - human)))


def _qwk_for(labels: list[int]) -> Callable[[np.ndarray, np.ndarray], float]:
    def qwk(human_int: np.ndarray, pred_int: np.ndarray) -> float:
        return quadratic_weighted_kappa(human_int, pred_int, labels)

    return qwk


def _group_bootstrap(
    statistic: Callable[[np.ndarray, np.ndarray], float],
    x: np.ndarray,
    y: np.ndarray,
    members: list[np.ndarray],
    draws: np.ndarray,
    confidence: float,
) -> tuple[float | None, float | None]:
    """Percentile interval of ``statistic`` over resamples of whole groups.

    Items of one question are correlated, so resampling items would understate the
    uncertainty; each resample draws questions with replacement and keeps all their items.
    """
    values = np.empty(len(draws))
    for i, drawn in enumerate(draws):
        index = np.concatenate([members[g] for g in drawn])
        values[i] = statistic(x[index], y[index])
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return None, None
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def _mean_errors(names: np.ndarray, h: np.ndarray, p: np.ndarray) -> dict[str, KindError]:
    out: dict[str, KindError] = {}
    for name in sorted(set(names)):
        mask = names == name
        out[name] = KindError(n=int(mask.sum()), mean_error=float(np.mean(p[mask] - h[mask])))
    return out


def _underscored(h: np.ndarray, p: np.ndarray) -> UnderScored:
    """Share of answers labelled >= STRONG_LABEL that were predicted < UNDERSCORED_BELOW (raw scores)."""
    strong = h >= STRONG_LABEL
    n_strong, n_under = int(strong.sum()), int((strong & (p < UNDERSCORED_BELOW)).sum())
    return UnderScored(n_strong=n_strong, n_underscored=n_under, rate=n_under / n_strong if n_strong else None)


def compute_metrics(
    human: Sequence[float],
    predicted: Sequence[float],
    groups: Sequence[str],
    kinds: Sequence[str | None],
    scale: tuple[float, float],
    *,
    n_resamples: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
    registers: Sequence[str | None] | None = None,
    point_truths: Sequence[PointTruth | None] | None = None,
    followups: Sequence[str | None] | None = None,
    point_predictions: Sequence[Mapping[str, float]] | None = None,
) -> Metrics:
    """Compare predictions (already on the dataset's scale) with human scores.

    QWK, exact and within-1 agreement use scores rounded to the integer labels of ``scale``;
    the correlations and MAE use the raw values. Intervals come from ``n_resamples`` seeded
    resamples of whole groups (questions). Undefined statistics are ``None``, not NaN.

    ``registers`` (one per item, ``None`` for unlabelled) adds the mean signed error and the
    strong-answers-under-scored rate per register. ``point_truths`` (from
    :func:`~interviewer.evaluation.points.point_truth`) with ``point_predictions`` (the
    grader's credit per point id) adds checklist accuracy as ``Metrics.points``.
    """
    h = np.asarray(human, dtype=float)
    p = np.asarray(predicted, dtype=float)
    registers = list(registers) if registers is not None else [None] * len(h)
    if not (len(h) == len(p) == len(groups) == len(kinds) == len(registers)):
        raise ValueError("human, predicted, groups, kinds and registers must have the same length")
    if (point_truths is None) != (point_predictions is None):
        raise ValueError("point_truths and point_predictions go together")
    if len(h) == 0:
        raise ValueError("cannot compute metrics on zero items")

    labels = list(range(math.ceil(scale[0]), math.floor(scale[1]) + 1))
    h_int, p_int = round_to_labels(h, scale), round_to_labels(p, scale)
    qwk = _qwk_for(labels)

    group_names, group_of = np.unique(np.asarray(groups, dtype=object).astype(str), return_inverse=True)
    members = [np.flatnonzero(group_of == g) for g in range(len(group_names))]
    draws = np.random.default_rng(seed).integers(0, len(members), size=(n_resamples, len(members)))

    estimates: dict[str, Estimate] = {}
    # Constant inputs make correlations/kappa undefined (NaN); they are reported as None.
    for name, statistic, x, y in (
        ("pearson", _pearson, h, p),
        ("spearman", _spearman, h, p),
        ("qwk", qwk, h_int, p_int),
        ("mae", _mae, h, p),
    ):
        low, high = _group_bootstrap(statistic, x, y, members, draws, confidence) if n_resamples else (None, None)
        estimates[name] = Estimate(value=_finite_or_none(statistic(x, y)), ci_low=low, ci_high=high)

    kind_names = np.array([k or UNLABELLED_KIND for k in kinds], dtype=object)
    per_kind = _mean_errors(kind_names, h, p)

    # Per-register figures only when the dataset has registers: a lone "unlabelled" row
    # would just repeat the overall numbers.
    per_register: dict[str, KindError] = {}
    underscored_per_register: dict[str, UnderScored] = {}
    if any(registers):
        register_names = np.array([r or UNLABELLED_KIND for r in registers], dtype=object)
        per_register = _mean_errors(register_names, h, p)
        underscored_per_register = {
            name: _underscored(h[register_names == name], p[register_names == name]) for name in per_register
        }

    points = None
    if point_truths is not None and point_predictions is not None:
        points = compute_point_level(point_truths, point_predictions, list(kinds), registers)

    return Metrics(
        n=len(h),
        n_groups=len(members),
        scale=scale,
        exact_agreement=float(np.mean(p_int == h_int)),
        within_one_agreement=float(np.mean(np.abs(p_int - h_int) <= 1)),
        per_kind=per_kind,
        bootstrap_resamples=n_resamples,
        confidence=confidence,
        per_register=per_register,
        strong_underscored=_underscored(h, p),
        strong_underscored_per_register=underscored_per_register,
        points=points,
        followup_on_covered=followup_rate(point_truths, followups) if point_truths is not None and followups is not None else None,
        **estimates,
    )


def followup_rate(truths: Sequence[PointTruth | None], followups: Sequence[str | None]) -> FollowupRate | None:
    """Share of chosen follow-ups whose target the labels mark as covered (partial does not count)."""
    pairs = [(t, f) for t, f in zip(truths, followups) if t is not None and f is not None]
    if not any(t is not None for t in truths) or not any(f is not None for f in followups):
        return None
    hits = sum(1 for t, f in pairs if t.credits.get(f, 0.0) >= 1.0)
    return FollowupRate(n_followups=len(pairs), n_on_covered=hits, rate=hits / len(pairs) if pairs else None)
