"""The point matcher: SemEval-fitted stage, guide stage, and the cross-encoder it reads."""
from __future__ import annotations

import numpy as np
import pytest

from interviewer.grading import Grader
from interviewer.grading.cross_encoder import CrossEncoder
from interviewer.grading.matcher import FEATURES, content_stems, load_matcher, pair_features
from interviewer.rubric import rubric_for_question

CACHE = "design-a-distributed-cache-system"
CICD = "how-do-you-design-a-ci-cd-pipeline"


def test_lexical_features_ignore_the_question_words_and_credit_the_point_words():
    cos = np.array([[0.6, 0.2]])
    feats, best, lex = pair_features(cos, np.array([0.3, 0.3]), ["Replication: for fault tolerance"],
                                     ["we replicate every shard for fault tolerance", "hello there"], "Design a cache")
    row = dict(zip(FEATURES, feats[0]))
    assert best[0] == 0 and row["lex"] == 1.0 and lex[0, 1] == 0.0
    assert "replic" in content_stems("Replicated replicas")


def test_shipped_matcher_records_what_it_was_fitted_on():
    m = load_matcher()
    assert "SemEval-2013" in m.fitted_on and m.partial < m.covered
    assert m.credit(m.covered) == 1.0 and m.credit(m.partial) == 0.5 and m.credit(m.partial - 0.01) == 0.0


class _FakeCrossEncoder:
    """Says 'stated' for the monitoring point only; records what it was asked."""

    def __init__(self):
        self.pairs: list[tuple[str, str]] = []

    def score(self, pairs):
        self.pairs += pairs
        return np.array([10.0 if "hit rates" in point.lower() else -10.0 for point, _ in pairs], dtype=np.float32)


def test_the_guide_stage_reads_the_cross_encoder_when_the_matcher_says_so(embedder, guide):
    answer = "We keep a copy of every shard on a second node. Dashboards show hit rate, p99 latency and memory per node."
    fake = _FakeCrossEncoder()
    weights = {**load_matcher().guide_weights, "cross": 2.0}
    matcher = load_matcher().model_copy(update={"uses_cross_encoder": True, "guide_weights": weights})
    card = Grader(embedder, guide, matcher=matcher, cross_encoder=fake).grade(guide.question(CACHE), answer)
    status = {p.id: p.status for d in card.dimensions if d.kind == "framework" for p in d.points}
    assert status["3.4"] == "covered"  # "Monitoring: Hit rates, latency, memory usage"
    assert fake.pairs and all(text in answer or text.lower() in answer.lower() for _, text in fake.pairs)
    plain = Grader(embedder, guide, matcher=load_matcher().model_copy(update={"uses_cross_encoder": False}))
    assert plain.grade(guide.question(CACHE), answer).overall is not None  # a matcher without the hook needs no model


class _PrefersOneSentence:
    """Says 'stated' for one point with one sentence only; records what it was asked."""

    def __init__(self, point: str, words: str):
        self.point, self.words, self.pairs = point, words, []

    def score(self, pairs):
        self.pairs += pairs
        return np.array([10.0 if point.startswith(self.point) and self.words in text else -10.0 for point, text in pairs], dtype=np.float32)


def test_the_cross_encoder_picks_a_points_evidence_among_its_shortlist(embedder, guide):
    """The bi-encoder ranks "I'd ask about the read/write ratio" first for the invalidation-and-monitoring
    flow; the sentence that states the invalidation is third. With a shortlist of three the
    cross-encoder reads all three and the quoted evidence is the sentence it rates highest."""
    answer = ("First I'd ask about the read/write ratio and how stale data may be. We'd put Redis nodes behind consistent hashing "
              "so adding a node moves few keys. Entries expire after a TTL, and when a row changes the service publishes an event "
              "that deletes its key. Misses go to Postgres and the result is written back. We watched hit rate and p99 on Grafana.")
    base = load_matcher().model_copy(update={"uses_cross_encoder": True, "exemplar": None,
                                             "guide_weights": {**load_matcher().guide_weights, "cross": 2.0}})

    def point_23(shortlist):
        fake = _PrefersOneSentence("Architecture: Cache Invalidation, Monitoring", "publishes an event")
        card = Grader(embedder, guide, matcher=base.model_copy(update={"shortlist": shortlist}), cross_encoder=fake, exemplars=None) \
            .grade(guide.question(CACHE), answer)
        point = next(p for d in card.dimensions for p in d.points if p.id == "2.3")
        asked = [text for probe, text in fake.pairs if probe.startswith("Architecture: Cache Invalidation, Monitoring")]
        return point, asked

    point, asked = point_23(3)
    assert len(asked) == 3 and point.status == "covered" and "publishes an event" in point.evidence.quote
    point, asked = point_23(1)
    assert len(asked) == 1 and point.status != "covered"


def test_the_shipped_cross_encoder_tells_a_point_stated_from_the_same_words_misused(guide):
    """The near miss a bi-encoder cannot see: the right term with the wrong meaning."""
    assert load_matcher().uses_cross_encoder and CrossEncoder.available()
    rubric = rubric_for_question(guide.question(CICD))
    point = next(p for d in rubric.dimensions for p in d.points if "canary" in p.text.lower()).probes[0]
    stated = "prod goes out canary: 5% of traffic for 15 minutes while we watch error rate and p99, and it rolls back on its own"
    misused = "Canary is when we deploy to some developer machines first so they can test it"
    logits = CrossEncoder().score([(point, stated), (point, misused)])
    assert logits[0] > logits[1]


@pytest.mark.parametrize("reference, unassessed", [
    ("A Bloom filter is a bit array with k hash functions; false positives are possible, false negatives are not.",
     {"clarify", "tradeoffs", "specifics"}),
    ("Canary releases trade a slower rollout for a smaller blast radius; compare with blue/green.", {"clarify", "specifics"}),
])
def test_a_factual_reference_question_does_not_assess_what_the_reference_does_not_ask(embedder, guide, reference, unassessed):
    card = Grader(embedder, guide).grade("What is it?", "It is a probabilistic set.", reference=reference)
    assert {d.id for d in card.dimensions if not d.assessed} == unassessed


HASHING_ANSWER = ("I would run the cache on a handful of nodes and place keys with consistent hashing, which keeps most keys "
                  "where they are when a node joins, so that the load stays even across the cluster. Every entry gets a TTL.")


def test_the_evidence_is_the_sentence_that_names_the_point_not_a_clause_on_its_topic(embedder, guide):
    """Ranked by contrast alone, "which keeps most keys where they are when a node joins" (about
    distribution) was the evidence for consistent hashing, and the cross-encoder judged the point
    on it; the point's own words in a sentence now count in the pick (`pick_lexical`)."""
    shipped = load_matcher()
    assert shipped.pick_lexical > 0

    def asked_about_consistent_hashing(pick_lexical):
        fake = _PrefersOneSentence("Implementation: Consistent Hashing", "place keys with consistent hashing")
        matcher = shipped.model_copy(update={"pick_lexical": pick_lexical, "read_in_context": "off"})
        Grader(embedder, guide, matcher=matcher, cross_encoder=fake, exemplars=None).grade(guide.question(CACHE), HASHING_ANSWER)
        return [text for probe, text in fake.pairs if probe.startswith("Implementation: Consistent Hashing")]

    [by_contrast] = asked_about_consistent_hashing(0.0)
    [with_words] = asked_about_consistent_hashing(shipped.pick_lexical)
    assert "consistent hashing" not in by_contrast and "consistent hashing" in with_words


# Covered with the twenty-eighth session's fit (the cross-encoder read the clause and its sentence);
# partial since the thirtieth's, which reads only the sentence: with the cluster size and the load
# around it, the sentence reads less like the point than the clause did. Kept strict, not loosened.
@pytest.mark.xfail(strict=True, reason="partial since the thirtieth session's refit (the sentence read instead of the clause); "
                   "see evals/CALIBRATION.md")
def test_a_clause_that_names_consistent_hashing_and_what_it_does_covers_the_point(embedder, guide):
    card = Grader(embedder, guide).grade(guide.question(CACHE), HASHING_ANSWER)
    point = next(p for d in card.dimensions for p in d.points if p.id == "3.1")
    assert point.status == "covered" and "consistent hashing" in point.evidence.quote


def test_a_pairs_logit_does_not_depend_on_the_pairs_scored_beside_it():
    """The int8 model quantises activations per input tensor: batched, a pair's logit moved with
    its neighbours (up to 1.6), so a grade depended on the answer's other sentences and, through
    the cache, on what was graded first. Each pair is scored on its own."""
    point = "Implementation: Consistent Hashing: For even data distribution"
    pair = (point, "We shard keys with consistent hashing over a ring of nodes.")
    long_ones = [(point, "At my last job we ran a payment platform that settled about five million card "
                         f"transactions a day across {n} regions, with p99 latency under 500 ms and audits every quarter.")
                 for n in ("three", "four", "five")]
    alone = CrossEncoder().score([pair])[0]
    beside = CrossEncoder().score(long_ones + [pair])[-1]
    assert alone == beside


def test_the_clearly_missing_bound_falls_as_more_of_the_answer_is_credited():
    from interviewer.grading.matcher import MissingBound

    bound = MissingBound(clearly_missing=0.1, clearly_missing_by_share=[(0.0, 0.25), (0.5, 0.02)])
    assert bound.clearly_missing_at(0.1) == 0.25 and bound.clearly_missing_at(0.5) == 0.02
    assert MissingBound(clearly_missing=0.1).clearly_missing_at(0.9) == 0.1, "no bands: the one bound"
    shipped = load_matcher()
    for stage in (shipped, shipped.exemplar):
        bands = [b for _, b in stage.clearly_missing_by_share]
        assert bands and bands == sorted(bands, reverse=True), "fitted per band, never rising with the share"


def test_after_a_strong_answer_fewer_unmatched_points_count_as_clearly_missing(embedder, guide):
    """A strong answer's unmatched point is more often a paraphrase the matcher missed than a thin
    answer's: the interviewer asks about fewer of them, so it does not ask for what was said."""
    strong_answer = (
        "I'd start by asking about the read/write ratio, the data size and how stale a read may be. "
        "Keys sit on a consistent hash ring with virtual nodes, so adding a node only moves a small slice of them. "
        "Every shard has a replica on another node, so losing a node doesn't lose the hot set. "
        "Entries expire with TTLs, LRU evicts under memory pressure, and writes invalidate the key through change events. "
        "We'd watch hit rate, p99 latency and memory per node. "
        "At my last company this setup on 8 Redis nodes raised the hit rate from 70% to 93% and halved database load.")
    grader = Grader(embedder, guide)
    strong = grader.grade(CACHE, strong_answer)
    thin = grader.grade(CACHE, "I'd put Redis in front of the database and cache the hot keys.")
    assert strong.clearly_missing_below is not None and thin.clearly_missing_below is not None
    assert strong.clearly_missing_below < thin.clearly_missing_below


def test_a_short_list_adds_the_answers_own_sentences_not_two_sentence_windows():
    """Past the first pick, a short list holds sentences and clauses only: a window "… set TTLs on
    everything. Monitoring would be important too." let the cross-encoder read a bare mention of
    monitoring as stating "Monitoring and metrics" (units 0-2 are sentences, 3-4 windows)."""
    from interviewer.grading.engine import shortlist_units

    contrast = np.array([[0.2, 0.1, 0.3, 0.9, 0.8],   # a window first: kept as the first pick
                         [0.7, 0.1, 0.2, 0.6, 0.5]])  # a sentence first, then the best other sentences
    assert shortlist_units(contrast, 3, n_sentences=3).tolist() == [[3, 2, 0], [0, 2, 1]]
    assert shortlist_units(contrast, 3).tolist() == [[3, 4, 2], [0, 3, 4]]  # without the split: by contrast alone
    assert shortlist_units(contrast, 1, n_sentences=3).tolist() == [[3], [0]]  # the shipped short list of one


def test_a_clause_is_also_read_in_the_sentence_that_holds_it():
    """"so it was our audit trail" alone does not say what was the audit trail; its sentence does."""
    from interviewer.grading.engine import holding_sentences
    from interviewer.grading.text import split_units

    answer = ("Fraud scored every payment in real time before authorization, and the ledger was append-only, "
              "so it was our audit trail. We sized it at 2,000 TPS.")
    units = split_units(answer)
    texts = [u.text for u in units]
    clause = texts.index("so it was our audit trail.")
    sentence = next(i for i, t in enumerate(texts) if t.startswith("Fraud scored") and t.endswith("audit trail."))
    short = texts.index("We sized it at 2,000 TPS.")
    window = len(units)  # an index past the sentences: a two-sentence window is left as it is
    held = holding_sentences(np.array([clause, sentence, short, window]), units)
    assert held.tolist() == [sentence, sentence, short, window]


def test_instead_the_cross_encoder_reads_a_clause_in_its_sentence_and_the_clause_stays_the_quote(embedder, guide):
    """Cut from its sentence, "so it was our audit trail" does not say what the audit trail was."""
    payment = "design-a-payment-processing-system-for-a-fintech-company"
    answer = ("Fraud scored every payment in real time before authorization, and the ledger was append-only, "
              "so it was our audit trail. We sized it at 2,000 TPS.")
    base = load_matcher().model_copy(update={"uses_cross_encoder": True, "exemplar": None,
                                             "guide_weights": {**load_matcher().guide_weights, "cross": 2.0}})

    def database_point(read_in_context):
        fake = _PrefersOneSentence("Key Components: Database", "ledger was append-only, so it was our audit trail")
        card = Grader(embedder, guide, matcher=base.model_copy(update={"read_in_context": read_in_context}), cross_encoder=fake,
                      exemplars=None).grade(guide.question(payment), answer)
        point = next(p for d in card.dimensions for p in d.points if p.text.startswith("Database"))
        return point, [text for probe, text in fake.pairs if probe.startswith("Key Components: Database")]

    alone, asked_alone = database_point("off")
    held, asked_held = database_point("instead")
    assert asked_alone == ["it was our audit trail."] and alone.status != "covered"  # the matcher's view: no opening "so"
    assert len(asked_held) == 1 and asked_held[0].startswith("Fraud scored") and held.status == "covered"
    assert held.evidence.quote.startswith("so it was our audit trail")
