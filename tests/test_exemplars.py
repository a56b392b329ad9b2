"""The exemplar bank: labelled statements and near misses of each guide point, read by the matcher."""
from __future__ import annotations

import numpy as np
import pytest

from interviewer.grading import Grader
from interviewer.grading.exemplars import NEAR_MISS, STATED, ExemplarBank, bank_key, load_bank, read_as_misses


def _unit(*xs):
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


@pytest.fixture
def bank():
    key = bank_key("q", "Cache invalidation and expiration")
    return ExemplarBank(
        embedder="toy", keys=np.array([key, key, key]), labels=np.array([STATED, STATED, NEAR_MISS], dtype=np.int8),
        writers=np.array(["a", "b", "b"]), vectors=np.stack([_unit(1, 0, 0), _unit(0, 1, 0), _unit(0, 0, 1)]))


def test_features_say_how_close_the_answer_is_to_credited_statements_and_to_near_misses(bank):
    answer = np.stack([_unit(0, 0, 1), _unit(1, 0.1, 0)])  # sentence 0 is a known near miss, 1 a credited statement
    ex, known = bank.features("q", ["Cache invalidation and expiration", "Monitoring"], answer, np.array([0, 0]))
    assert known.tolist() == [True, False]
    ex_pos, ex_neg, diff, best_diff = ex[0]
    assert ex_pos > 0.99 and ex_neg < 0.01 and diff > 0.99
    assert best_diff < -0.99  # the sentence the matcher quoted is the near miss
    assert not ex[1].any()


def test_a_point_not_stated_reads_as_missed_when_a_sentence_is_like_its_near_misses(bank):
    points = ["Cache invalidation and expiration", "Monitoring"]
    answer = np.stack([_unit(0, 0.2, 1), _unit(0.2, 1, 0.1)])  # sentence 0 resembles the near miss
    stated, known = bank.stated_similarity("q", points, answer)
    near = bank.near_miss_similarity("q", points, answer)
    assert read_as_misses(stated, near, known, np.array([False, False]), 0.7, 0.05) == [(0, 0)]
    # A point the answer states elsewhere is not a miss, however like a near miss one sentence is.
    assert read_as_misses(stated, near, known, np.array([True, False]), 0.7, 0.05) == []
    # Nor does a sentence that states another point read as missing this one.
    assert read_as_misses(stated, near, known, np.array([False, False]), 0.7, 0.05, stating=np.array([True, False])) == []
    # Nor is a sentence about as like a credited statement as like the near miss.
    blurred = np.stack([_unit(1, 0, 1.02)])
    stated_b, _ = bank.stated_similarity("q", points, blurred)
    assert read_as_misses(stated_b, bank.near_miss_similarity("q", points, blurred), known, np.array([False, False]), 0.7, 0.05) == []


def test_an_edited_point_or_another_question_falls_back_to_the_plain_matcher(bank):
    answer = np.stack([_unit(1, 0, 0)])
    assert not bank.features("q", ["Cache invalidation, expiration and warming"], answer, np.array([0]))[1].any()
    assert not bank.features("other", ["Cache invalidation and expiration"], answer, np.array([0]))[1].any()


def test_without_a_writer_drops_only_their_sentences(bank):
    rest = bank.without(writer="a")
    assert rest.writers.tolist() == ["b", "b"]
    assert rest.has("q", "Cache invalidation and expiration")
    assert not bank.without(question_id="q").has("q", "Cache invalidation and expiration")


def test_the_shipped_bank_knows_every_guide_question_and_holds_no_answer_text(guide):
    shipped = load_bank()
    assert shipped is not None and shipped.vectors.dtype == np.float32
    questions = {str(k).split("\t", 1)[0] for k in shipped.keys}
    assert questions == {q.id for q in guide.questions}
    assert set(np.unique(shipped.labels)) == {STATED, NEAR_MISS}


def test_the_bank_is_read_only_with_the_embedder_that_made_it(embedder, guide):
    assert Grader(embedder, guide).exemplars is not None

    class OtherEmbedder:
        name = "openai:text-embedding-3-small"
        dim = embedder.dim

        def embed(self, texts):
            return embedder.embed(texts)

    assert Grader(OtherEmbedder(), guide).exemplars is None
    assert Grader(embedder, guide, exemplars=None).exemplars is None
