"""Offline evaluation of graders against human-scored answers.

Typical use::

    from interviewer.evaluation import BaselineGrader, run_eval
    result = run_eval("evals/datasets/guide.jsonl", [our_grader, BaselineGrader(lookup)], "evals/out")
"""
from __future__ import annotations

from .dataset import EvalItem, load_dataset
from .graders import BaselineGrader, Grader, Prediction
from .metrics import Estimate, KindError, Metrics, compute_metrics, round_to_labels
from .report import write_report
from .results import BehaviourCheck, EvalResult, GraderResult, ItemPrediction
from .runner import infer_scale, map_scale, run_eval
from .thresholds import ADVERSARIAL_KINDS, MAX_ADVERSARIAL_INFLATION, MINIMUMS, check_gate

__all__ = [
    "ADVERSARIAL_KINDS",
    "MAX_ADVERSARIAL_INFLATION",
    "MINIMUMS",
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
    "Prediction",
    "check_gate",
    "compute_metrics",
    "infer_scale",
    "load_dataset",
    "map_scale",
    "round_to_labels",
    "run_eval",
    "write_report",
]
