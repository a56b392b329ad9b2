"""The CI gate: the grader on the held-out TEST splits must meet the named thresholds
(interviewer/evaluation/thresholds.py). Thresholds are never lowered to make a run pass."""
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


@pytest.mark.parametrize("split, kind", [("guide_test", "guide"), ("reference_test", "reference")])
def test_grader_meets_the_release_thresholds_on_the_test_split(rubric_grader, tmp_path, split, kind):
    result = run_eval(DATASETS / f"{split}.jsonl", [rubric_grader], tmp_path, progress=False, dataset_kind=kind, n_resamples=200)
    failures = check_gate(result.graders[0].metrics, kind)
    assert not failures, "\n".join(failures)
    assert (tmp_path / "report.md").exists() and (tmp_path / "metrics.json").exists()


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
