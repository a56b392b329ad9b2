"""The reference path (a user's own question + a model answer): short factual answers are scored
by how likely they state the reference, not capped as keyword lists, and longer model answers by
their own fitted model."""
import json

import pytest

from interviewer.grading import Grader
from interviewer.grading import signals as sig
from interviewer.grading.calibration import SHORT_REFERENCE_WORDS, load_calibration
from interviewer.settings import REPO_ROOT

OIL_Q = "Why does the oil float on top of the water?"
OIL_REF = "The oil is less dense than the water."


@pytest.fixture(scope="module")
def grader(embedder, guide):
    return Grader(embedder, guide)


def test_a_correct_terse_answer_to_a_short_reference_is_credited_not_called_a_keyword_list(grader):
    card = grader.grade(OIL_Q, "Oil is less dense.", reference=OIL_REF)
    assert "keyword_stuffing" not in card.flags
    assert card.overall >= 4.0


def test_a_short_reference_orders_answers_without_flooring_the_weak_ones(grader):
    right = grader.grade(OIL_Q, "Oil is less dense.", reference=OIL_REF).overall
    unrelated = grader.grade(OIL_Q, "It is yellow.", reference=OIL_REF).overall
    # The old step (1.2 or 5 for a one-point reference) floored three student answers in four.
    assert right > unrelated > 1.0


def test_the_short_reference_score_is_the_matchers_probability_on_1_to_5(grader):
    card, features = grader.analyse(OIL_Q, "Oil is less dense.", reference=OIL_REF)
    model = load_calibration().reference_short
    assert card.overall == pytest.approx(model.predict(features.as_dict()), abs=0.05)
    assert card.overall == pytest.approx(1 + 4 * features.stated, abs=0.05)


def test_a_bare_list_of_terms_is_still_capped_against_a_reference(grader):
    card = grader.grade(OIL_Q, "oil, water, density, float, layer, liquid", reference=OIL_REF)
    assert "keyword_stuffing" in card.flags and card.overall <= 2.0


def test_a_long_model_answer_uses_the_fitted_reference_model(grader):
    row = json.loads((REPO_ROOT / "evals" / "datasets" / "reference_dev.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert len(row["reference"].split()) > SHORT_REFERENCE_WORDS
    strong = grader.grade(row["question"], row["answer"], reference=row["reference"])
    listed = grader.grade(row["question"], "bit array, hash functions, false positives, SSTables, Cassandra, RocksDB", reference=row["reference"])
    assert row["score"] == 5 and strong.overall >= 4.5
    assert "keyword_stuffing" in listed.flags and listed.overall < strong.overall


@pytest.mark.parametrize("answer, is_list", [
    ("Surface tension.", False),
    ("negative and positive output", False),
    ("different paths with the battery", False),
    ("TCP, UDP, IP, HTTP and DNS", True),
])
def test_against_a_reference_only_runs_of_terms_count_as_stuffing(answer, is_list):
    assert (sig.list_stuffing_ratio(answer, lists_only=True) > 0.5) is is_list
    assert sig.list_stuffing_ratio(answer) > 0.5, "the guide path still reads fragments as stuffing"


def test_the_reference_card_claims_only_what_was_assessed(grader):
    card = grader.grade(OIL_Q, "Oil is less dense.", reference=OIL_REF)
    why = " ".join(card.level_reasons)
    assert "trade-offs" not in why and "example" not in why, "neither is asked for by a factual reference"
    note = " ".join(card.confidence_reasons)
    assert "SemEval" in note and "writers it had not seen" not in note, "the guide set's figure is not this path's"


def test_a_missing_reference_sentence_is_a_prompt_as_it_stands(grader):
    card = grader.grade(OIL_Q, "It is yellow.", reference=OIL_REF)
    assert OIL_REF in card.outline and not any(step.endswith(".?") for step in card.outline)


def test_the_app_card_counts_no_points_for_a_dimension_not_asked_about(grader):
    from interviewer.ui.cards import scorecard_html

    html = scorecard_html(grader.grade(OIL_Q, "Oil is less dense.", reference=OIL_REF))
    assert "0 of 2" not in html and "the point of your reference" in html


def test_each_rubric_is_scored_by_its_own_model(guide):
    from interviewer.rubric import rubric_for_question, rubric_for_reference

    cal = load_calibration()
    long_ref = " ".join(["Each key point of a long model answer is a sentence of about twelve words here."] * 8)
    assert cal.model_for(rubric_for_reference(OIL_Q, OIL_REF)) is cal.reference_short
    assert cal.model_for(rubric_for_reference(OIL_Q, long_ref)) is cal.reference
    assert cal.model_for(rubric_for_reference(OIL_Q, None)) is cal.question_only, "no reference: relevance and the cross-cutting qualities"
    assert cal.model_for(rubric_for_question(guide.questions[0])) is cal.guide
