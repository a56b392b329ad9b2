"""Evidence quotes: is the sentence a scorecard shows for a credited point the one that states it?"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from interviewer.errors import DatasetError
from interviewer.evaluation import EvalItem, Prediction, run_eval
from interviewer.evaluation.adapters import RubricEvalGrader, scorecard_quotes
from interviewer.evaluation.evidence import agree, evidence_agreement, evidence_path

ANSWER = ("We shard keys with consistent hashing over a ring of nodes. Each shard has a replica in another zone. "
          "Entries expire with a TTL of five minutes.")
ROW = {"id": "c1", "question": "Design a distributed cache system", "question_id": "design-a-distributed-cache-system",
       "answer": ANSWER, "score": 3, "covered": ["1.2", "3.2"], "partial": ["1.3"], "near_miss": ["1.4"]}
LABELS = {"1.2": "We shard keys with consistent hashing over a ring of nodes.",
          "3.2": "Each shard has a replica in another zone.",
          "1.3": "Entries expire with a TTL of five minutes.",
          "1.4": "Each shard has a replica in another zone."}


def test_quotes_agree_when_they_share_half_of_the_shorter_span() -> None:
    assert agree(ANSWER, LABELS["1.2"], LABELS["1.2"])
    # A two-sentence window that holds the labelled sentence agrees; a neighbouring sentence does not.
    assert agree(ANSWER, LABELS["1.2"] + " " + LABELS["3.2"], LABELS["3.2"])
    assert not agree(ANSWER, LABELS["3.2"], LABELS["1.2"])
    assert not agree(ANSWER, "Entries expire", LABELS["1.2"])


def test_agreement_counts_only_points_both_sides_credit() -> None:
    item = EvalItem(**ROW)
    credits = {"1.2": 1.0, "3.2": 0.5, "1.3": 0.0, "1.4": 1.0}
    # 1.2 quoted right, 3.2 quoted with the consistent-hashing sentence (wrong), 1.3 not credited
    # (not counted), the near miss 1.4 credited with its tempting sentence.
    quotes = {"1.2": LABELS["1.2"], "3.2": LABELS["1.2"], "1.3": LABELS["1.3"], "1.4": LABELS["1.4"]}
    result = evidence_agreement([item], {"c1": LABELS}, [credits], [quotes])
    assert (result.n_credited, result.n_agree, result.rate) == (2, 1, 0.5)
    assert (result.n_near_miss_credited, result.n_near_miss_tempting) == (1, 1)
    assert evidence_agreement([item], {}, [credits], [quotes]) is None


class QuotingGrader:
    name, scale = "rubric", (1.0, 5.0)

    def predict(self, item: EvalItem) -> Prediction:
        return Prediction(overall=3.0, points={"1.2": 1.0, "3.2": 1.0},
                          quotes={"1.2": LABELS["1.2"], "3.2": LABELS["1.3"]})


def _write(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_the_runner_reads_evidence_beside_the_dataset_and_reports_it(tmp_path: Path) -> None:
    dataset = _write(tmp_path / "set.jsonl", [ROW])
    out = tmp_path / "out"
    assert run_eval(dataset, QuotingGrader(), out, progress=False, n_resamples=0).grader("rubric").metrics.evidence is None
    _write(evidence_path(dataset), [{"id": "c1", "evidence": LABELS}])
    metrics = run_eval(dataset, QuotingGrader(), out, progress=False, n_resamples=0).grader("rubric").metrics
    assert (metrics.evidence.n_credited, metrics.evidence.n_agree) == (2, 1)
    assert "| Quote shown for a credited point is the labelled sentence | 50.0% (1/2) |" in (out / "report.md").read_text()
    assert json.loads((out / "predictions.jsonl").read_text().splitlines()[0])["quotes"]["3.2"] == LABELS["1.3"]


def test_an_evidence_text_that_is_not_in_the_answer_is_a_clear_error(tmp_path: Path) -> None:
    dataset = _write(tmp_path / "set.jsonl", [ROW])
    _write(evidence_path(dataset), [{"id": "c1", "evidence": {"1.2": "We use a hash ring."}}])
    with pytest.raises(DatasetError, match=r"evidence/set.jsonl line 1: the text for point 1.2 is not in the answer of 'c1'"):
        run_eval(dataset, QuotingGrader(), tmp_path / "out", progress=False, n_resamples=0)


def test_the_real_grader_quotes_the_sentence_that_states_each_point(guide, embedder) -> None:
    from interviewer.grading import Grader as RubricGrader

    grader = RubricGrader(embedder, guide)
    question = next(q for q in guide.questions if q.id == "design-a-distributed-cache-system")
    card = grader.grade(question, ANSWER)
    quotes = scorecard_quotes(card, question)
    assert set(quotes) >= {"3.1", "3.2"}
    assert all(quote in ANSWER for quote in quotes.values())
    assert "consistent hashing" in quotes["3.1"] and "replica" not in quotes["3.1"]
    assert "replica" in quotes["3.2"] and "consistent hashing" not in quotes["3.2"]
