"""Offline evaluation of graders against human-scored answers.

Typical use::

    from interviewer.evaluation import BaselineGrader, run_eval
    result = run_eval("evals/datasets/guide.jsonl", [our_grader, BaselineGrader(lookup)], "evals/out")
"""
from __future__ import annotations

from .dataset import EvalItem, load_dataset
from .graders import BaselineGrader, Grader, Prediction
from .guide_lookup import find_guide_question, framework_lookup, item_question
from .metrics import Estimate, KindError, Metrics, UnderScored, compute_metrics, round_to_labels
from .points import PointLevel, PointMetrics, PointScores, PointTruth, compute_point_level, point_metrics, point_truth
from .report import write_report
from .results import BehaviourCheck, EvalResult, GraderResult, ItemPrediction
from .runner import infer_scale, map_scale, run_eval
from .thresholds import ADVERSARIAL_KINDS, MAX_ADVERSARIAL_INFLATION, MINIMUMS, POINT_MINIMUMS, check_gate, check_point_gate

__all__ = [
    "ADVERSARIAL_KINDS",
    "MAX_ADVERSARIAL_INFLATION",
    "MINIMUMS",
    "POINT_MINIMUMS",
    "BaselineGrader",
    "BehaviourCheck",
    "Estimate",
    "EvalItem",
    "EvalResult",
    "Grader",
    "GraderResult",
    "ItemPrediction",
    "KindError",
    "Metrics",
    "PointLevel",
    "PointMetrics",
    "PointScores",
    "PointTruth",
    "Prediction",
    "UnderScored",
    "check_gate",
    "check_point_gate",
    "compute_metrics",
    "compute_point_level",
    "find_guide_question",
    "framework_lookup",
    "infer_scale",
    "item_question",
    "load_dataset",
    "map_scale",
    "point_metrics",
    "point_truth",
    "round_to_labels",
    "run_eval",
    "write_report",
]
