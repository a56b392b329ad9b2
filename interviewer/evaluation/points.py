"""Checklist accuracy: a grader's per-point credit against the labelled point lists.

Labels come from an item's ``covered`` (credit 1) and ``partial`` (credit ½) lists; every
other point is labelled 0. Predictions are the grader's credit per point (covered 1,
partial ½, missing 0). Counts are pooled over items (micro-averaged), with partial credit
on both sides::

    tp = Σ min(pred, label)   fp = Σ max(0, pred − label)   fn = Σ max(0, label − pred)

The "strict" variant counts only full credit (labels and predictions of ½ become 0).
Framework points ("1.2", "2.1") and cross-cutting ids ("4", "x.*") are scored separately,
because the first are the question's checklist and the second are general habits that are
detected differently.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict

from .dataset import EvalItem

# The group name for items without a kind / register (shared with metrics.UNLABELLED_KIND).
UNLABELLED = "unlabelled"
# Credits within this of 1 count as full credit in the strict variant (float noise).
_FULL = 1.0 - 1e-9


class PointTruth(BaseModel):
    """One item's labelled point credits and its near-miss points."""

    model_config = ConfigDict(frozen=True)

    credits: dict[str, float]
    near_miss: frozenset[str] = frozenset()


class PointScores(BaseModel):
    """Pooled precision / recall / F1 of point credits; ``None`` where a ratio is 0/0."""

    tp: float
    fp: float
    fn: float
    precision: float | None
    recall: float | None
    f1: float | None


class PointMetrics(BaseModel):
    """Checklist accuracy over one set of items (all of them, one kind or one register)."""

    n_items: int
    framework: PointScores
    framework_strict: PointScores
    cross: PointScores
    cross_strict: PointScores
    near_miss_points: int
    near_miss_credit: float
    # Credit given to labelled near misses / their number; None when none were labelled.
    near_miss_false_credit: float | None


class PointLevel(BaseModel):
    """Checklist accuracy overall, per answer ``kind`` and per ``register``."""

    overall: PointMetrics
    per_kind: dict[str, PointMetrics]
    # Empty when no item names a register.
    per_register: dict[str, PointMetrics]


def is_cross_cutting(point_id: str) -> bool:
    """True for the example ("4") and the cross-cutting habits ("x.clarify", ...)."""
    return point_id == "4" or point_id.startswith("x.")


def point_truth(item: EvalItem) -> PointTruth | None:
    """The item's labels as credits, or ``None`` when it has no ``covered`` field.

    A point listed as both covered and partial counts as covered. A near miss that is also
    covered or partial is not a near miss: crediting it is not false credit.
    """
    if item.covered is None:
        return None
    credits = {pid: 0.5 for pid in item.partial or []}
    credits.update({pid: 1.0 for pid in item.covered})
    return PointTruth(credits=credits, near_miss=frozenset(item.near_miss or []) - credits.keys())


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def _scores(pairs: Sequence[tuple[float, float]]) -> PointScores:
    """Pooled counts over (label, predicted) credit pairs."""
    tp = sum(min(p, lab) for lab, p in pairs)
    fp = sum(max(0.0, p - lab) for lab, p in pairs)
    fn = sum(max(0.0, lab - p) for lab, p in pairs)
    # 2tp / (2tp + fp + fn) is the harmonic mean of P and R, and stays defined (0) when the
    # grader credits nothing but the labels do.
    return PointScores(tp=tp, fp=fp, fn=fn, precision=_ratio(tp, tp + fp), recall=_ratio(tp, tp + fn),
                       f1=_ratio(2 * tp, 2 * tp + fp + fn))


def _strict(credit: float) -> float:
    return 1.0 if credit >= _FULL else 0.0


def point_metrics(truths: Sequence[PointTruth], predictions: Sequence[Mapping[str, float]]) -> PointMetrics:
    """Checklist accuracy of ``predictions`` against ``truths`` (one pair per item)."""
    if len(truths) != len(predictions):
        raise ValueError("truths and predictions must have the same length")
    framework: list[tuple[float, float]] = []
    cross: list[tuple[float, float]] = []
    near_points, near_credit = 0, 0.0
    for truth, predicted in zip(truths, predictions):
        # Ids on neither side contribute nothing, so the union is enough.
        for pid in sorted(truth.credits.keys() | predicted.keys()):
            pair = (truth.credits.get(pid, 0.0), float(predicted.get(pid, 0.0)))
            (cross if is_cross_cutting(pid) else framework).append(pair)
        near_points += len(truth.near_miss)
        near_credit += sum(float(predicted.get(pid, 0.0)) for pid in truth.near_miss)
    return PointMetrics(
        n_items=len(truths),
        framework=_scores(framework),
        framework_strict=_scores([(_strict(lab), _strict(p)) for lab, p in framework]),
        cross=_scores(cross),
        cross_strict=_scores([(_strict(lab), _strict(p)) for lab, p in cross]),
        near_miss_points=near_points,
        near_miss_credit=near_credit,
        near_miss_false_credit=_ratio(near_credit, near_points),
    )


def _by_group(
    names: Sequence[str], truths: Sequence[PointTruth], predictions: Sequence[Mapping[str, float]]
) -> dict[str, PointMetrics]:
    out: dict[str, PointMetrics] = {}
    for name in sorted(set(names)):
        index = [i for i, n in enumerate(names) if n == name]
        out[name] = point_metrics([truths[i] for i in index], [predictions[i] for i in index])
    return out


def compute_point_level(
    truths: Sequence[PointTruth | None],
    predictions: Sequence[Mapping[str, float]],
    kinds: Sequence[str | None],
    registers: Sequence[str | None],
) -> PointLevel | None:
    """Checklist accuracy overall, per kind and per register, over the labelled items.

    Items whose truth is ``None`` (no ``covered`` field) are skipped. Returns ``None`` when
    no item is labelled or the grader gave no point credits at all (e.g. the TF-IDF
    baseline), since zeros there would read as a measured failure.
    """
    if not (len(truths) == len(predictions) == len(kinds) == len(registers)):
        raise ValueError("truths, predictions, kinds and registers must have the same length")
    keep = [i for i, t in enumerate(truths) if t is not None]
    if not keep or not any(predictions[i] for i in keep):
        return None
    kept_truths = [truths[i] for i in keep]
    kept_preds = [predictions[i] for i in keep]
    kind_names = [kinds[i] or UNLABELLED for i in keep]
    has_register = any(registers[i] for i in keep)
    register_names = [registers[i] or UNLABELLED for i in keep]
    return PointLevel(
        overall=point_metrics(kept_truths, kept_preds),
        per_kind=_by_group(kind_names, kept_truths, kept_preds),
        per_register=_by_group(register_names, kept_truths, kept_preds) if has_register else {},
    )
