"""The CI gate: the grader on the held-out TEST splits must meet the named thresholds
(interviewer/evaluation/thresholds.py), and the interviewer's behaviour with scripted candidates
those in evals/behaviour_checks.py. Thresholds are never lowered to make a run pass."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from interviewer.evaluation import load_dataset, run_eval
from interviewer.evaluation.adapters import RubricEvalGrader
from interviewer.evaluation.thresholds import check_gate
from interviewer.grading import Grader

DATASETS = Path(__file__).resolve().parent.parent / "evals" / "datasets"


@pytest.fixture(scope="module")
def rubric_grader(embedder, guide):
    return RubricEvalGrader(Grader(embedder, guide))


SPLITS = [("guide_test", "guide"), ("reference_test", "reference")]
# The twelfth blind batch (a new writer, all 16 questions, as many near misses and wrong answers as
# batches 9-11), frozen before that session's grader changes were measured on it and read once at its end
# (evals/CALIBRATION.md).
FRESH = [pytest.param("guide_blind13_test", "guide")]


def _gate(rubric_grader, tmp_path, split, kind) -> list[str]:
    result = run_eval(DATASETS / f"{split}.jsonl", [rubric_grader], tmp_path, progress=False, dataset_kind=kind, n_resamples=200)
    assert (tmp_path / "report.md").exists() and (tmp_path / "metrics.json").exists()
    return check_gate(result.graders[0].metrics, kind)


@pytest.mark.parametrize("split, kind", [*SPLITS, *FRESH])
def test_grader_meets_the_agreement_thresholds_on_the_test_split(rubric_grader, tmp_path, split, kind):
    failures = [f for f in _gate(rubric_grader, tmp_path, split, kind) if not f.startswith("mean inflation")]
    assert not failures, "\n".join(failures)


# Batch 13 passes since the fifteenth session (near misses take back credit: off-topic +0.53 → +0.20,
# verbose-but-shallow +0.30 → +0.20); the house guide_test since the sixteenth (the exemplar stage's
# trees: its injection answers were +0.40).
@pytest.mark.parametrize("split, kind", [("guide_blind13_test", "guide"), SPLITS[0]])
def test_no_adversarial_kind_is_inflated_on_the_test_split(rubric_grader, tmp_path, split, kind):
    failures = [f for f in _gate(rubric_grader, tmp_path, split, kind) if f.startswith("mean inflation")]
    assert not failures, "\n".join(failures)


@pytest.fixture(scope="module")
def behaviour_rows(embedder, guide):
    from evals.behaviour import run_behaviour_checks

    return run_behaviour_checks(guide, Grader(embedder, guide))


def test_interviewer_behaviour_meets_its_thresholds(behaviour_rows):
    """Scripted candidates against the offline interviewer; names and thresholds in evals/behaviour_checks.py."""
    from evals.behaviour_checks import gate

    assert not gate(behaviour_rows), "\n".join(gate(behaviour_rows))
    totals = {name: total for name, _, total in behaviour_rows}
    assert totals["follow-up about a stated point"] >= 30 and totals["clarifying turns graded"] >= 5


def test_guide_set_shape_and_splits_do_not_share_questions(guide):
    dev = load_dataset(DATASETS / "guide_dev.jsonl")
    test = load_dataset(DATASETS / "guide_test.jsonl")
    assert len(dev) + len(test) >= 96
    per_question = Counter(i.question_id for i in dev + test)
    assert set(per_question) == {q.id for q in guide.questions}
    assert min(per_question.values()) >= 6
    assert not {i.question_id for i in dev} & {i.question_id for i in test}
    scores = Counter(int(i.score) for i in dev + test)
    assert set(scores) == {1, 2, 3, 4, 5} and min(scores.values()) >= 15  # spread evenly
    kinds = {i.kind for i in dev + test}
    assert {"strong", "keyword-stuffed", "verbose-but-shallow", "paraphrased-strong", "injection", "off-topic"} <= kinds


def test_reference_set_shape_and_splits():
    dev = load_dataset(DATASETS / "reference_dev.jsonl")
    test = load_dataset(DATASETS / "reference_test.jsonl")
    assert len(dev) + len(test) >= 40
    assert len({i.question for i in dev + test}) >= 8
    assert all(i.reference for i in dev + test)
    assert not {i.question for i in dev} & {i.question for i in test}
