"""Register never costs points: the same content scores the same in casual speech as in an essay.

Uses the style-invariance content sets (evals/datasets/style_invariance.jsonl), written by a
helper who never saw the grader, and the casual CI/CD answer from the issue that used to score 1.0.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from evals.style_invariance import DATASET, run
from interviewer.grading import Grader

CASUAL_CICD = (Path(__file__).parent / "fixtures" / "casual_cicd_answer.txt")


@pytest.fixture(scope="module")
def grader(embedder, guide):
    return Grader(embedder, guide)


@pytest.fixture(scope="module")
def cicd_card(grader):
    """The issue's casual CI/CD answer, graded once for the tests that read it."""
    return grader.grade("How do you design a CI/CD pipeline?", CASUAL_CICD.read_text(encoding="utf-8"))


# Was a strict xfail for two sessions (s-04, then s-11), passed in the fourteenth session, was a
# strict xfail again from the fifteenth to the seventeenth (s-23 and s-07 differed by 0.7), passed
# in the eighteenth, was a strict xfail in the nineteenth (s-10: casual 1.8, formal 2.5), and passes
# in the twentieth session's refit with batch 20, and is a strict xfail again since the
# twenty-first's refit with batch 21 (s-04, then s-10 since the twenty-third's refit with batch 23,
# then s-21 since the twenty-fourth's refit with batch 24 and the new embedder; s-21 still, at 0.8,
# after the twenty-fifth's cross-encoder retrain), and passes again since the twenty-eighth's refit
# (the cross-encoder also reads each clause in its sentence), and is a strict xfail again since the
# thirtieth's refit (it reads the sentence instead): s-17, a weak payments answer, reads 2.3 casual
# (2.5 before the thirty-sixth session's 7-bit models) and 1.5 in the other three registers, where
# neither the database nor Stripe is credited; and passes again since the fortieth's refit with
# batch 40 (s-17 casual 1.9, formal 1.5; the largest casual-to-essay gap is 0.4).
# Points near a cut-off decide it, so it may flip back with a refit; the bound is not loosened.
def test_casual_speech_scores_like_the_formal_essay_with_the_same_content(grader):
    rows = run(grader, DATASET)
    gaps = {r["set"]: abs(r["scores"]["casual-spoken"] - r["scores"]["formal-essay"]) for r in rows}
    assert max(gaps.values()) <= 0.6 + 1e-9, gaps  # 0.6 was the worst before the batch-10 retrain; the floor for all four registers is 0.5


def test_a_strong_casual_answer_is_not_capped_for_its_wording(cicd_card):
    assert not cicd_card.flags  # no cap
    assert not any("Capped" in n or "general" in n.lower() for n in cicd_card.notes), cicd_card.notes  # nothing about its wording
    example = cicd_card.dimension("example")
    assert example.score >= 4  # "At my last place ... ~20 deploys a day ... 15% to under 3%"


# Since the refit with batch 18 in the exemplar bank, the clause "staging then prod" (of "that exact
# image goes everywhere, staging then prod, nothing gets rebuilt") is 0.76 like batch 18's bare
# near miss "staging" for "Automated deployment to staging", more than like its credited statements,
# so it reads as a touched-but-not-stated point and takes credit back (4.2 -> 3.9, still senior).
# Short clauses are not exempted: in-sample, 80 of the 94 misses read from clauses under four words
# were labelled near misses (evals/CALIBRATION.md). Kept visible rather than loosened.
CICD_MISS = "'staging then prod' reads like batch 18's bare near miss 'staging' (0.76); see evals/CALIBRATION.md"


@pytest.mark.xfail(strict=True, reason=CICD_MISS)
def test_a_strong_casual_answer_has_no_touched_but_not_stated_note(cicd_card):
    assert not cicd_card.notes


# The casual CI/CD answer (1.0 before the rework) read >= 4.0 from the retrain with batch 10
# to the seventeenth session (a strict xfail at 3.6-3.9 for three refits before that), was a strict
# xfail again at 3.9 until the twenty-second session's refit with batch 22 (4.0, the near miss still read),
# and is one again at 3.9 since the twenty-third's refit with batch 23 (the same near miss; still senior;
# 3.9 again after the twenty-fourth's refit with batch 24 and the new embedder, and after the twenty-fifth's cross-encoder retrain).
# Read >= 4.0 from the twenty-sixth session's censored score fit (a 5 is "5 or better": answers
# the model already puts at the top no longer pull it down), the near miss still read; 3.9 since the
# twenty-eighth's refit, whose partial cut-off (0.58) leaves "every push runs lint + unit tests" at
# 0.49 for code-quality checks (0.57, partial, before). Still senior (the next test). Reads >= 4.0
# again since the thirtieth session's refit (the cross-encoder reads each clause's sentence).
def test_a_strong_casual_answer_scores_as_strong(cicd_card):
    assert cicd_card.overall >= 4.0, cicd_card.notes


def test_a_strong_casual_answer_is_senior(cicd_card):
    assert cicd_card.overall >= 3.5 and cicd_card.level == "senior", (cicd_card.overall, cicd_card.level)


def test_terse_notes_read_like_prose_to_the_matcher():
    from interviewer.grading.engine import matcher_view

    assert matcher_view("LB -> gw (authn) -> svc w/ retries 🚀") == "load balancer then gateway (authentication) then service with retries"
    assert matcher_view("CI/CD on k8s") == "CI/CD on kubernetes"  # the guide writes "CI/CD" itself
    # A slash between two words joins them; one that starts a path does not.
    assert matcher_view("req/resp logged w/o PII, see /auth") == "request/response logged without PII, see /auth"
    # A story's setting says where, not what; the quote keeps it (matcher_view is not the quote).
    assert matcher_view("At my last job, I set up Prometheus for metrics.") == "I set up Prometheus for metrics."
    assert matcher_view("I liked it at my last job.") == "I liked it at my last job."


def test_terse_notes_are_not_scored_far_below_the_essay_with_the_same_content(grader):
    rows = run(grader, DATASET)
    terse = sum(r["scores"]["terse-notes"] for r in rows) / len(rows)
    formal = sum(r["scores"]["formal-essay"] for r in rows) / len(rows)
    assert terse >= formal - 0.5, (terse, formal)  # measured −0.46 on average; per set it still varies (CALIBRATION.md)


CACHE_DRAFT = (
    "First I'd pin down the load: about 500k reads/s, 2 TB of hot data, p99 under 2 ms. Keys are spread over nodes "
    "with a consistent-hash ring and 150 virtual nodes each, so adding a node only moves its neighbours' keys. Every "
    "shard has a replica in another zone so a node failure loses nothing. Entries expire by TTL with LRU eviction, "
    "and writes invalidate through Debezium change events on Kafka. We watch hit rate, p99 and memory per node. "
    "Trade-off: replication doubles memory cost, which is worth it for availability."
)


@pytest.mark.parametrize("extra", [
    " At my last company I led the rollout and the hit rate went from 72% to 96%.",
    " I led the rollout.",
    " Hot keys get a small Caffeine cache in each app instance.",
])
def test_saying_more_never_lowers_the_overall(grader, guide, extra):
    question = guide.question("design-a-distributed-cache-system")
    base = grader.grade(question, CACHE_DRAFT)
    more = grader.grade(question, CACHE_DRAFT + extra)
    assert more.overall >= base.overall, (base.overall, more.overall, more.notes)


FRONTEND_NOTES = (
    "- shrink the JS bundle -> lazy load the parts of the app not needed immediately\n"
    "- compress images\n"
    "- from experience: these 2 changes = usually the biggest difference\n"
    "- expected result: page feels noticeably faster for users"
)


@pytest.mark.parametrize("heading", ["frontend perf, what I'd do:\n", "So, frontend performance.\n"])
def test_a_heading_that_restates_the_question_costs_nothing(grader, guide, heading):
    # A terse answer's heading read like the near misses of ten points and took a third of its
    # score (style set s-07: 1.6 against 2.5-2.8 in the other registers).
    question = guide.question("how-do-you-optimize-frontend-performance")
    bare = grader.grade(question, FRONTEND_NOTES)
    headed = grader.grade(question, heading + FRONTEND_NOTES)
    assert abs(headed.overall - bare.overall) <= 0.1, (bare.overall, headed.overall, headed.notes)
    assert not any(heading.strip()[:12] in n for n in headed.notes), headed.notes


def test_only_a_restatement_of_the_question_counts_as_one():
    from interviewer.grading.signals import restates_question
    from interviewer.grading.text import split_units

    def restates(question: str, text: str) -> bool:
        return restates_question(split_units(text), question) == [True]

    assert restates("Explain the differences between REST and GraphQL", "So REST versus GraphQL")
    assert restates("Design a distributed cache system", "When I think about designing a distributed cache")
    assert restates("How do you optimize frontend performance?", "frontend perf, what I'd do")
    assert not restates("How do you design a data warehouse?", "data warehouse: star schema")
    assert not restates("Design a distributed cache system", "use a distributed cache with consistent hashing")


def test_a_trade_off_told_as_a_story_is_a_trade_off():
    from interviewer.grading.signals import tradeoff_signals
    from interviewer.grading.text import split_units

    story = ("I pushed for keeping the fraud check synchronous even though it added about 40 ms per authorization, "
             "because stopping fraud before money moved mattered more to me than the latency we would have saved.")
    compare, cost = tradeoff_signals(split_units(story))
    assert compare.credit > 0 and cost.credit > 0, (compare, cost)
    plain = tradeoff_signals(split_units("We added 3 nodes to the cluster and it worked well for the users."))
    assert [s.credit for s in plain] == [0.0, 0.0]


def _example(text: str):
    """The example dimension's two signals (story, outcome) for ``text``, as the grader reads them."""
    from interviewer.grading.signals import example_signals
    from interviewer.grading.text import split_units

    return example_signals(split_units(text))


def test_a_terse_previous_job_line_is_an_example():
    story, outcome = _example("prev: social fitness app 4M -> 30M users; Redis alone: DB read QPS -65%, p99 800ms -> 180ms")
    assert story.credit == 1.0 and outcome.credit == 1.0, (story, outcome)


@pytest.mark.parametrize("text", [
    # A note's heading with its setting in brackets; a bare before-and-after in a bullet.
    "exp (ride-share wallet, LatAm):\n- peak 900 -> 3.2k TPS\n- p99 auth 510 -> 170ms",
    "- checkout p95 2.2s → 700ms",
    # An impersonal setting with a result in the past tense (a formal register), and "my previous <anything>".
    "At a regional airline, this approach reduced the booking page's JavaScript from 1.4 MB to 420 KB.",
    "In my previous organisation, moving status updates to events reduced p99 from 3.1 seconds to 700 milliseconds.",
    # Counts and percentages in words, and a terse "@" for "at".
    "At a concert-ticketing startup I built the holds this way. Oversold seats went from dozens per launch to zero.",
    "I ran this comparison at a media company; hosting came in forty percent under the in-house estimate.",
    "In my last project this drop render count on dashboard from 160 to 30 per keystroke.",
    "did this @ online pharmacy: nightly batch 4 h -> 20 min",
    # A concrete outcome said in words is an outcome ("an outcome or metrics", rule for `4`).
    "At my last job I rolled out this retry policy, and the duplicate-charge tickets stopped; they never happened again.",
    # A count of nothing with a modifier before its noun: "zero queue incidents", "no Sev-1 incidents".
    "I chose SQS and wrote the decision up. At the three-month review we'd had zero queue incidents.",
])
def test_an_example_with_its_outcome_is_read_in_every_register(text):
    story, outcome = _example(text)
    assert story.credit == 1.0 and outcome.credit == 1.0, (story, outcome)


@pytest.mark.parametrize("text", [
    # The question's own range, back-of-envelope arithmetic, a forecast and a routine are not stories.
    "So going from 1M to 100M users, the first thing is stateless app servers behind a load balancer.",
    "10M DAU × 20 req/day = 200M req/day → ~2.3k QPS average, 7k at peak.",
    "We should get p99 from 400 ms to 80 ms once the cache is warm.",
    "I hold a 1:1 with each engineer every two weeks and keep notes in a shared doc.",
    # A yardstick told in the past tense is not an outcome.
    "At my last job I judged success by whether people grew and got promoted.",
    # A canary's ramp is a plan told with arrows, and "k8s" is not eight seconds (batch 37's
    # terse CI/CD notes had their example read from these two lines).
    "- CD: prod behind manual approval; canary 20% -> 100%, auto rollback on error-rate alert\n- infra: Terraform, k8s for workloads",
])
def test_numbers_that_report_no_experience_are_not_an_example(text):
    story, outcome = _example(text)
    assert story.credit + outcome.credit < 1.0, (story, outcome)


def test_spoken_fillers_are_not_read_by_the_matcher_but_content_like_is():
    from interviewer.grading.engine import matcher_view

    assert matcher_view("ok so honestly we'd shard by user id") == "we'd shard by user id"
    assert matcher_view("so REST has, like, lots of endpoints") == "REST has lots of endpoints"
    assert matcher_view("canary for like 15 min, kinda slow") == "canary for 15 min, slow"
    # "like" that compares or wants is content.
    assert matcher_view("I'd like a cache like Memcached") == "I'd like a cache like Memcached"
    assert matcher_view("um") == "um"  # a filler alone stays what it is
    # An opening word that is part of a term or a purpose stays.
    assert matcher_view("well-tested code, right-sized pods") == "well-tested code, right-sized pods"
    assert matcher_view("so that readers never see stale data") == "so that readers never see stale data"


CASUAL_CACHE = ("ok so honestly I'd put the keys on, like, a consistent hash ring with virtual nodes, so adding a node "
                "kinda only moves a slice of the keys. and basically every shard has a replica in another zone that gets "
                "promoted when the primary dies, you know. TTLs on everything, like 5 min, plus LRU when memory fills up.")


def test_fillers_cost_nothing_the_same_answer_without_them_earns(grader, guide):
    """Rule 7: fillers ("ok so", "like", "kinda", "honestly") never cost a point. (The clause
    boundaries their commas add can still change a unit; exact equality is not asked for.)"""
    q = guide.question("design-a-distributed-cache-system")
    plain = ("I'd put the keys on a consistent hash ring with virtual nodes, so adding a node only moves a slice of "
             "the keys. and every shard has a replica in another zone that gets promoted when the primary dies. "
             "TTLs on everything, 5 min, plus LRU when memory fills up.")
    casual, clean = grader.grade(q, CASUAL_CACHE), grader.grade(q, plain)
    def covered(card):
        return {(d.id, p.id) for d in card.dimensions for p in d.points if p.status == "covered"}
    assert covered(clean) <= covered(casual), covered(clean) - covered(casual)
    assert casual.overall >= clean.overall - 0.1, (casual.overall, clean.overall)
