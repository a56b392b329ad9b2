"""Run graders over a dataset and write predictions, metrics and the report."""
from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import ValidationError
from tqdm import tqdm

from interviewer.errors import DatasetError, InterviewerError
from interviewer.onnx_runs import int8_path

from .dataset import EvalItem, load_dataset
from .evidence import evidence_agreement, evidence_path, load_evidence
from .graders import Grader
from .metrics import compute_metrics, injection_flags
from .points import point_truth
from .report import write_report
from .results import BehaviourCheck, EvalResult, GraderResult, ItemPrediction
from .thresholds import MINIMUMS, check_gate


def infer_scale(items: Sequence[EvalItem]) -> tuple[float, float]:
    """The integer label range the human scores imply.

    Labels within 1–5 give ``(1, 5)``; any 0 gives ``(0, 5)``. Labels beyond 5 or below 0
    widen the range to their (rounded-out) extremes, e.g. 1–10 data gives ``(1, 10)``.
    """
    scores = [item.score for item in items]
    return float(min(1, math.floor(min(scores)))), float(max(5, math.ceil(max(scores))))


def map_scale(value: float, source: tuple[float, float], target: tuple[float, float]) -> float:
    """Map ``value`` linearly from ``source`` onto ``target``, clipped to ``target``."""
    (s_low, s_high), (t_low, t_high) = source, target
    mapped = t_low + (value - s_low) * (t_high - t_low) / (s_high - s_low)
    return min(max(mapped, t_low), t_high)


def _check_scale(scale: tuple[float, float], what: str) -> tuple[float, float]:
    low, high = float(scale[0]), float(scale[1])
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise InterviewerError(f"{what} must be (min, max) with min < max, got {scale!r}")
    return low, high


def _grade(grader: Grader, items: Sequence[EvalItem], scale: tuple[float, float], progress: bool) -> list[ItemPrediction]:
    native = _check_scale(grader.scale, f"grader '{grader.name}' scale")
    prepare = getattr(grader, "prepare", None)
    if prepare is not None:
        prepare(items)
    predictions = []
    for item in tqdm(items, desc=f"grading with {grader.name}", unit="item", disable=not progress):
        prediction = grader.predict(item)
        if not math.isfinite(prediction.overall):
            raise InterviewerError(f"grader '{grader.name}' returned {prediction.overall} for item '{item.id}'")
        bad = {pid: c for pid, c in prediction.points.items() if not (math.isfinite(c) and 0 <= c <= 1)}
        if bad:
            raise InterviewerError(f"grader '{grader.name}' returned point credits outside 0–1 for item '{item.id}': {bad}")
        predictions.append(
            ItemPrediction(
                id=item.id,
                grader=grader.name,
                predicted=map_scale(prediction.overall, native, scale),
                human=item.score,
                kind=item.kind,
                group=item.group_key,
                dimensions=dict(prediction.dimensions),
                points=dict(prediction.points),
                followup=prediction.followup,
                quotes=dict(prediction.quotes),
                flags=list(prediction.flags) if prediction.flags is not None else None,
            )
        )
    return predictions


def _write_predictions(path: Path, results: Iterable[GraderResult]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for result in results:
            for prediction in result.predictions:
                out.write(json.dumps(prediction.model_dump(mode="json"), ensure_ascii=False) + "\n")


def run_eval(
    dataset_path: str | Path,
    graders: Grader | Sequence[Grader],
    out_dir: str | Path,
    scale: tuple[float, float] | None = None,
    progress: bool = True,
    *,
    dataset_kind: str | None = None,
    behaviour: Sequence[BehaviourCheck | tuple[str, int, int]] | None = None,
    n_resamples: int = 1000,
    seed: int = 0,
) -> EvalResult:
    """Grade every item of a JSONL dataset with each grader and write the results.

    Writes ``predictions.jsonl`` (one line per item and grader, predictions on the dataset's
    scale), ``metrics.json`` and ``report.md`` with its PNG plots into ``out_dir``. Items
    with a ``covered`` label (plus optional ``partial`` / ``near_miss``) are also scored
    point by point against the grader's ``Prediction.points`` (``Metrics.points``); items
    with a ``register`` get per-register errors.
    ``scale`` defaults to :func:`infer_scale`. With ``dataset_kind`` (``"guide"`` or
    ``"reference"``) each grader is checked against the release gate; ``behaviour`` rows
    ``(check name, passed, total)`` add the "Interviewer behaviour" section.

    Raises:
        DatasetError: the dataset is malformed or a score lies outside ``scale``.
        InterviewerError: a grader is misconfigured or returns a non-finite score.
    """
    dataset_path = Path(dataset_path)
    # A single grader is recognised by predict(), not isinstance: prepare() is optional.
    grader_list: list[Grader] = [graders] if hasattr(graders, "predict") else list(graders)
    if not grader_list:
        raise InterviewerError("run_eval needs at least one grader")
    names = [g.name for g in grader_list]
    if len(set(names)) != len(names):
        raise InterviewerError(f"grader names must be unique, got {names}")

    # Checked before grading so a typo does not cost a full (possibly LLM-backed) run.
    if dataset_kind is not None and dataset_kind not in MINIMUMS:
        raise InterviewerError(f"unknown dataset kind {dataset_kind!r}; expected one of {sorted(MINIMUMS)}")

    items = load_dataset(dataset_path)
    scale = _check_scale(scale, "scale") if scale is not None else infer_scale(items)
    outside = [item.id for item in items if not scale[0] <= item.score <= scale[1]]
    if outside:
        raise DatasetError(
            f"{dataset_path}: {len(outside)} human score(s) outside the scale {scale[0]:g}–{scale[1]:g}"
            f" (first: item '{outside[0]}'); pass the right --scale"
        )

    try:
        checks = [c if isinstance(c, BehaviourCheck) else BehaviourCheck(name=c[0], passed=c[1], total=c[2])
                  for c in behaviour or []]
    except ValidationError as exc:
        raise InterviewerError(f"invalid behaviour row: {exc.errors()[0]['msg']}") from None
    # Labels are the same for every grader; items without `covered` have no point truth.
    truths = [point_truth(item) for item in items]
    evidence_file = evidence_path(dataset_path)
    evidence = load_evidence(evidence_file, items) if evidence_file.is_file() else {}
    results = []
    for grader in grader_list:
        predictions = _grade(grader, items, scale, progress)
        metrics = compute_metrics(
            [p.human for p in predictions],
            [p.predicted for p in predictions],
            [p.group for p in predictions],
            [p.kind for p in predictions],
            scale,
            n_resamples=n_resamples,
            seed=seed,
            # Not kept on ItemPrediction (join predictions.jsonl with the dataset by id).
            registers=[item.register for item in items],
            point_truths=truths,
            point_predictions=[p.points for p in predictions],
            followups=[p.followup for p in predictions],
        )
        flagged = injection_flags([p.kind for p in predictions], [p.flags for p in predictions])
        if flagged is not None:
            metrics = metrics.model_copy(update={"injections_flagged": flagged})
        if evidence:
            metrics = metrics.model_copy(update={"evidence": evidence_agreement(
                items, evidence, [p.points for p in predictions], [p.quotes for p in predictions])})
        results.append(
            GraderResult(
                grader=grader.name,
                native_scale=tuple(grader.scale),
                metrics=metrics,
                predictions=predictions,
                gate_failures=check_gate(metrics, dataset_kind) if dataset_kind else None,
            )
        )

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = EvalResult(
        dataset=str(dataset_path),
        dataset_kind=dataset_kind,
        scale=scale,
        n_items=len(items),
        graders=results,
        behaviour=checks,
        out_dir=out_dir,
        int8_path=int8_path(),
    )
    _write_predictions(out_dir / "predictions.jsonl", results)
    (out_dir / "metrics.json").write_text(json.dumps(result.metrics_json(), indent=2) + "\n", encoding="utf-8")
    write_report(result, out_dir)
    return result
