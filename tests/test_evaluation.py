"""Behaviour of the offline evaluation runner, as a user of `interviewer eval` would see it."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from interviewer.errors import DatasetError
from interviewer.evaluation import (
    BaselineGrader,
    EvalItem,
    Prediction,
    check_gate,
    compute_metrics,
    infer_scale,
    load_dataset,
    map_scale,
    run_eval,
)


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def item(i: int, score: float, **extra) -> dict:
    return {"id": f"a{i}", "question": f"Question {i % 7}?", "answer": f"answer {i}", "score": score, **extra}


class ShiftGrader:
    """Echoes the human score plus a shift; deliberately has no prepare()."""

    scale = (1.0, 5.0)

    def __init__(self, name: str = "shift", shift: float = 0.0, scores: dict[str, float] | None = None):
        self.name, self.shift, self.scores = name, shift, scores or {}

    def predict(self, item: EvalItem) -> Prediction:
        overall = self.scores.get(item.id, item.score + self.shift)
        return Prediction(overall=overall, dimensions={"depth": overall, "tradeoffs": None})


# --- dataset -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ('{"id": "x", "question": "q", "score": 3}', "line 3: missing field 'answer'"),
        ('{"id": "x", "question": "q", "answer": "a", "score": "high"}', "line 3: field 'score': score must be a number"),
        ('{"id": "x", "question": "q", "answer": "a", "score": 3', "line 3: not valid JSON"),
        ('["not", "an", "object"]', "line 3: expected a JSON object"),
    ],
)
def test_malformed_line_error_names_file_and_line(tmp_path: Path, bad_line: str, message: str) -> None:
    path = tmp_path / "x.jsonl"
    # Line 2 is blank: it is skipped but still counted, so the number matches the editor.
    path.write_text(json.dumps(item(1, 3)) + "\n\n" + bad_line + "\n", encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    assert str(info.value).startswith(str(path))
    assert message in str(info.value)


def test_empty_dataset_and_duplicate_ids_are_clear_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n  \n", encoding="utf-8")
    with pytest.raises(DatasetError, match="empty"):
        load_dataset(empty)
    dup = write_jsonl(tmp_path / "dup.jsonl", [item(1, 3), item(1, 4)])
    with pytest.raises(DatasetError, match="line 2: duplicate id 'a1'"):
        load_dataset(dup)
    with pytest.raises(DatasetError, match="not found"):
        load_dataset(tmp_path / "missing.jsonl")


def test_optional_fields_and_group_key(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", [
        {"id": 7, "question": "Q?", "answer": "A", "score": 4, "question_id": "q-1", "group": "g"},
        {"id": "b", "question": "Q?", "answer": "A", "score": 2.5, "group": "g", "covered": ["wal"], "note": "x"},
        {"id": "c", "question": "Q?", "answer": "", "score": 1},
    ])
    a, b, c = load_dataset(path)
    assert a.id == "7" and a.group_key == "q-1"
    assert b.group_key == "g" and b.covered == ["wal"]
    assert c.group_key == "Q?"


# --- metrics -----------------------------------------------------------------------------


def test_perfect_agreement() -> None:
    human = [1, 2, 3, 4, 5, 3, 2]
    m = compute_metrics(human, human, list("abcdefg"), [None] * 7, (1, 5), n_resamples=50)
    assert m.pearson.value == pytest.approx(1)
    assert m.spearman.value == pytest.approx(1)
    assert m.qwk.value == pytest.approx(1)
    assert m.mae.value == 0
    assert m.exact_agreement == 1 and m.within_one_agreement == 1


def test_shifted_predictions_show_inflation() -> None:
    human = [1, 2, 3, 4, 1, 2, 3, 4]
    kinds = ["keyword-stuffed"] * 4 + ["good"] * 4
    predicted = [h + 1 for h in human[:4]] + human[4:]
    m = compute_metrics(human, predicted, list("abcdefgh"), kinds, (1, 5), n_resamples=50)
    assert m.mae.value == pytest.approx(0.5)
    assert m.per_kind["keyword-stuffed"].mean_error == pytest.approx(1.0)
    assert m.per_kind["keyword-stuffed"].n == 4
    assert m.per_kind["good"].mean_error == 0
    assert m.exact_agreement == 0.5 and m.within_one_agreement == 1


def test_reversed_labels_give_qwk_minus_one() -> None:
    # Confusion [[0,1],[1,0]], expected [[.5,.5],[.5,.5]], weights (i-j)^2: 1 - 2/1 = -1.
    m = compute_metrics([1, 2], [2, 1], ["a", "b"], [None, None], (1, 5), n_resamples=0)
    assert m.qwk.value == pytest.approx(-1)
    assert m.qwk.ci_low is None


def test_constant_predictions_report_null_not_crash() -> None:
    m = compute_metrics([1, 3, 5, 2], [3, 3, 3, 3], list("abcd"), [None] * 4, (1, 5), n_resamples=20)
    assert m.pearson.value is None and m.spearman.value is None
    dumped = json.loads(m.model_dump_json())
    assert dumped["pearson"]["value"] is None
    assert m.mae.value == pytest.approx(1.25)


def test_bootstrap_resamples_whole_questions() -> None:
    # Two questions of 50 answers: one graded perfectly, one 2 points off. Resampling
    # questions gives MAE 0, 1 or 2, so the interval spans [0, 2]; resampling items
    # would have given a tight interval around 1.
    human = [3.0] * 100
    predicted = [3.0] * 50 + [5.0] * 50
    groups = ["q1"] * 50 + ["q2"] * 50
    m = compute_metrics(human, predicted, groups, [None] * 100, (1, 5), n_resamples=400)
    assert m.mae.value == pytest.approx(1.0)
    assert (m.mae.ci_low, m.mae.ci_high) == (pytest.approx(0.0), pytest.approx(2.0))

    # And a question that is wildly off widens the interval relative to a clean run.
    rng = np.random.default_rng(1)
    human = rng.integers(1, 6, 200).astype(float)
    groups = [f"q{i // 10}" for i in range(200)]
    clean = np.clip(human + rng.normal(0, 0.3, 200), 1, 5)
    off = clean.copy()
    off[:10] = np.where(human[:10] > 3, 1, 5)

    def mae_ci_width(predicted: np.ndarray) -> float:
        m = compute_metrics(human, predicted, groups, [None] * 200, (1, 5), n_resamples=300)
        return m.mae.ci_high - m.mae.ci_low

    assert mae_ci_width(off) > 2 * mae_ci_width(clean)


# --- scale --------------------------------------------------------------------------------


def test_scale_inference_and_mapping(tmp_path: Path) -> None:
    assert infer_scale([EvalItem(**item(1, s)) for s in (1, 3, 5)]) == (1, 5)
    assert infer_scale([EvalItem(**item(1, s)) for s in (0, 3, 4)]) == (0, 5)
    assert map_scale(1, (1, 5), (0, 5)) == 0
    assert map_scale(3, (1, 5), (0, 5)) == pytest.approx(2.5)
    assert map_scale(5, (1, 5), (0, 5)) == 5

    path = write_jsonl(tmp_path / "d.jsonl", [item(0, 0), item(1, 5), item(2, 2)])
    grader = ShiftGrader(scores={"a0": 1, "a1": 5, "a2": 3})
    result = run_eval(path, grader, tmp_path / "out", progress=False, n_resamples=10)
    assert result.scale == (0, 5)
    lines = [json.loads(line) for line in (tmp_path / "out" / "predictions.jsonl").read_text().splitlines()]
    assert {row["id"]: row["predicted"] for row in lines} == {"a0": 0, "a1": 5, "a2": 2.5}

    with pytest.raises(DatasetError, match="outside the scale"):
        run_eval(path, grader, tmp_path / "out2", scale=(1, 5), progress=False)


# --- runner and report --------------------------------------------------------------------


def test_runner_writes_predictions_metrics_report_and_plots(tmp_path: Path) -> None:
    records = [item(i, 1 + i % 5, kind=["good", "off-topic"][i % 2], reference="durable log replication") for i in range(30)]
    path = write_jsonl(tmp_path / "d.jsonl", records)
    out = tmp_path / "out"
    result = run_eval(
        path,
        [ShiftGrader("rubric", shift=0.4), BaselineGrader()],
        out,
        progress=False,
        dataset_kind="guide",
        behaviour=[("asks a follow-up", 9, 10), ("never reveals the rubric", 0, 0)],
        n_resamples=50,
    )
    predictions = (out / "predictions.jsonl").read_text().splitlines()
    assert len(predictions) == 60
    first = json.loads(predictions[0])
    assert {"id", "grader", "predicted", "human", "dimensions"} <= first.keys()
    assert first["dimensions"] == {"depth": pytest.approx(1.4), "tradeoffs": None}

    metrics = json.loads((out / "metrics.json").read_text())
    assert set(metrics["graders"]) == {"rubric", "baseline"}
    # +0.4 everywhere except the score-5 fifth, which is clipped to the top of the scale.
    assert metrics["graders"]["rubric"]["metrics"]["mae"]["value"] == pytest.approx(0.4 * 0.8)

    report = (out / "report.md").read_text()
    assert "| Metric | rubric | baseline |" in report
    assert "## Interviewer behaviour" in report and "| asks a follow-up | 9 | 10 | 90.0% |" in report
    assert "## Release gate" in report and "off-topic" in report
    for png in ("scatter.png", "confusion.png", "kind_error.png"):
        assert f"]({png})" in report
        data = (out / png).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 1000
    assert result.grader("rubric").gate_failures  # +0.4 inflation on off-topic answers
    assert not result.passed_gate


def test_two_thousand_items_through_a_trivial_grader(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    records = [item(i, int(s), question_id=f"q{i % 80}", kind="good") for i, s in enumerate(rng.integers(1, 6, 2000))]
    path = write_jsonl(tmp_path / "big.jsonl", records)
    result = run_eval(path, ShiftGrader(), tmp_path / "out", progress=False)
    m = result.grader("shift").metrics
    assert m.n == 2000 and m.n_groups == 80
    assert m.qwk.value == pytest.approx(1) and m.mae.ci_high == 0
    assert len((tmp_path / "out" / "predictions.jsonl").read_text().splitlines()) == 2000


# --- baseline -----------------------------------------------------------------------------


def test_baseline_ranks_a_paraphrase_above_an_off_topic_answer() -> None:
    reference = (
        "Append every write to a write-ahead log, fsync the log before acknowledging the client, "
        "and replicate the log to followers so a crashed leader loses no committed data."
    )
    items = [
        EvalItem(id="para", question="How do you make commits durable?", answer=(
            "I would fsync a write-ahead log before acknowledging each write, and replicate that log "
            "to followers so committed data survives a leader crash."), score=5, reference=reference),
        EvalItem(id="off", question="How do you make commits durable?", answer=(
            "I really enjoy mentoring junior engineers and running our weekly book club."), score=1, reference=reference),
        EvalItem(id="empty", question="How do you make commits durable?", answer="  ", score=1, reference=reference),
        EvalItem(id="guide", question="Design a rate limiter.", answer="Use a token bucket per client key.",
                 score=3, question_id="rate-limiter"),
    ]
    frameworks = {"rate-limiter": "Token bucket or sliding window per client key; shared store such as Redis."}
    grader = BaselineGrader(frameworks.get)
    grader.prepare(items)
    scores = {it.id: grader.predict(it).overall for it in items}
    assert scores["para"] > scores["off"]
    assert scores["empty"] == 1
    assert all(1 <= s <= 5 for s in scores.values())
    assert scores["guide"] > 1  # framework text looked up by question_id

    with pytest.raises(DatasetError, match="no reference"):
        BaselineGrader(frameworks.get).prepare([EvalItem(id="x", question="q", answer="a", score=3)])


# --- gate ---------------------------------------------------------------------------------


def test_gate_names_metric_value_and_threshold() -> None:
    human = [1, 2, 3, 4, 5] * 4
    good = compute_metrics(human, human, [f"q{i}" for i in range(20)], ["good"] * 20, (1, 5), n_resamples=0)
    assert check_gate(good, "guide") == []
    assert check_gate(good, "reference") == []

    noisy = [5, 1, 4, 2, 3] * 4
    kinds = ["good"] * 15 + ["verbose-but-shallow"] * 5
    predicted = noisy[:15] + [h + 1 for h in human[15:]]
    bad = compute_metrics(human, predicted, [f"q{i}" for i in range(20)], kinds, (1, 5), n_resamples=0)
    failures = check_gate(bad, "guide")
    assert any("spearman" in f and "0.75" in f and f"{bad.spearman.value:.3f}" in f for f in failures)
    assert any("qwk" in f and "0.6" in f for f in failures)
    assert any("verbose-but-shallow" in f and "+1.000" in f and "0.3" in f for f in failures)
    assert any("pearson" in f and "0.6" in f for f in check_gate(bad, "reference"))
