"""Agreement between a grader and human labels, with question-level bootstrap intervals."""
from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence

import numpy as np
from pydantic import BaseModel
from scipy.stats import pearsonr, spearmanr
from sklearn.metrics import cohen_kappa_score

UNLABELLED_KIND = "unlabelled"


class Estimate(BaseModel):
    """A point estimate with its bootstrap interval; ``None`` where undefined (e.g. constant scores)."""

    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None


class KindError(BaseModel):
    """Mean signed error (predicted − human) for one kind of answer; positive = inflation."""

    n: int
    mean_error: float


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


def round_to_labels(scores: Sequence[float] | np.ndarray, scale: tuple[float, float]) -> np.ndarray:
    """Round half up (not to even: 2.5 → 3) and clip to the integer labels of ``scale``."""
    low, high = math.ceil(scale[0]), math.floor(scale[1])
    return np.clip(np.floor(np.asarray(scores, dtype=float) + 0.5), low, high).astype(int)


def _finite_or_none(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _pearson(human: np.ndarray, pred: np.ndarray) -> float:
    return float(pearsonr(human, pred).statistic) if len(human) >= 2 else math.nan


def _spearman(human: np.ndarray, pred: np.ndarray) -> float:
    return float(spearmanr(human, pred).statistic) if len(human) >= 2 else math.nan


def _mae(human: np.ndarray, pred: np.ndarray) -> float:
    return float(np.mean(np.abs(pred - human)))


def _qwk_for(labels: list[int]) -> Callable[[np.ndarray, np.ndarray], float]:
    def qwk(human_int: np.ndarray, pred_int: np.ndarray) -> float:
        return float(cohen_kappa_score(human_int, pred_int, labels=labels, weights="quadratic"))

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
) -> Metrics:
    """Compare predictions (already on the dataset's scale) with human scores.

    QWK, exact and within-1 agreement use scores rounded to the integer labels of ``scale``;
    the correlations and MAE use the raw values. Intervals come from ``n_resamples`` seeded
    resamples of whole groups (questions). Undefined statistics are ``None``, not NaN.
    """
    h = np.asarray(human, dtype=float)
    p = np.asarray(predicted, dtype=float)
    if not (len(h) == len(p) == len(groups) == len(kinds)):
        raise ValueError("human, predicted, groups and kinds must have the same length")
    if len(h) == 0:
        raise ValueError("cannot compute metrics on zero items")

    labels = list(range(math.ceil(scale[0]), math.floor(scale[1]) + 1))
    h_int, p_int = round_to_labels(h, scale), round_to_labels(p, scale)
    qwk = _qwk_for(labels)

    group_names, group_of = np.unique(np.asarray(groups, dtype=object).astype(str), return_inverse=True)
    members = [np.flatnonzero(group_of == g) for g in range(len(group_names))]
    draws = np.random.default_rng(seed).integers(0, len(members), size=(n_resamples, len(members)))

    estimates: dict[str, Estimate] = {}
    # Constant inputs make correlations/kappa undefined; we report None instead of warning.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, statistic, x, y in (
            ("pearson", _pearson, h, p),
            ("spearman", _spearman, h, p),
            ("qwk", qwk, h_int, p_int),
            ("mae", _mae, h, p),
        ):
            low, high = _group_bootstrap(statistic, x, y, members, draws, confidence) if n_resamples else (None, None)
            estimates[name] = Estimate(value=_finite_or_none(statistic(x, y)), ci_low=low, ci_high=high)

    per_kind: dict[str, KindError] = {}
    kind_names = np.array([k or UNLABELLED_KIND for k in kinds], dtype=object)
    for kind in sorted(set(kind_names)):
        mask = kind_names == kind
        per_kind[kind] = KindError(n=int(mask.sum()), mean_error=float(np.mean(p[mask] - h[mask])))

    return Metrics(
        n=len(h),
        n_groups=len(members),
        scale=scale,
        exact_agreement=float(np.mean(p_int == h_int)),
        within_one_agreement=float(np.mean(np.abs(p_int - h_int) <= 1)),
        per_kind=per_kind,
        bootstrap_resamples=n_resamples,
        confidence=confidence,
        **estimates,
    )
