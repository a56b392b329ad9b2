"""An interviewer that listens: coverage accumulates over a question, follow-ups never ask for
what was said, "I don't know" earns nothing, clarifying questions are answered but never graded."""
from __future__ import annotations

import re

import pytest

from interviewer.grading import Grader
from interviewer.interview import Interviewer, InterviewPlan, Session
from interviewer.interview.models import QuestionRecord
from interviewer.interview.policy import pick_target

PAYMENTS = "design-a-payment-processing-system-for-a-fintech-company"
CACHE = "design-a-distributed-cache-system"
REST = "explain-the-differences-between-rest-and-graphql-apis"
NUMBERS = ("We need to handle about 5M transactions per day, so roughly 60 TPS on average and 1k TPS at peak. "
           "Availability should be 99.95%, p99 latency under 500 ms, and we must stay PCI DSS compliant.")
ASKS_FOR_FIGURES = re.compile(r"\b(scale|latency|throughput|numbers?|how many|how much load|assumptions?|qps|tps)\b", re.I)


class Clock:
    def __init__(self) -> None:
        self.t = 20_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture(scope="module")
def grader(embedder, guide):
    return Grader(embedder, guide)


@pytest.fixture
def iv(guide, grader, no_network):
    return Interviewer(guide, grader, clock=Clock())


def say(iv: Interviewer, s: Session, message: str) -> str:
    return "".join(iv.reply(s, message))


def followups(s: Session) -> list[str]:
    return [t.text for t in s.turns if t.role == "interviewer" and t.kind == "followup"]


def test_after_numbers_the_follow_up_never_asks_about_scale_or_latency(iv):
    s = iv.start(InterviewPlan(question_id=PAYMENTS), session_id="numbers")
    reply = say(iv, s, NUMBERS)
    # The one gap left (geographic distribution) is not *clearly* missing to the matcher (its
    # strength sits at the fitted clearly-missing cut-off, where 5 % of such points were stated in
    # other words), so the interviewer may move on instead of probing it; what it never does is
    # ask for figures again.
    assert s.turns[-1].kind in ("followup", "phase")
    asked = reply.split(".")[-1] if "?" in reply else reply
    assert not ASKS_FOR_FIGURES.search(asked), reply
    if s.turns[-1].kind == "followup":
        assert "geographic" in reply.lower()
    # and never later on this question either, however the candidate goes on
    for message in ("I don't know", "I'd put an API gateway in front of a payment service that writes to a ledger database.",
                    "hint", "I'm not sure"):
        say(iv, s, message)
    for text in followups(s):
        assert not ASKS_FOR_FIGURES.search(text.split("?")[0].split(".")[-1]), text


def test_a_clarifying_question_leaves_scores_unchanged_and_stores_no_scorecard(iv):
    s = iv.start(InterviewPlan(question_id=PAYMENTS), session_id="qps")
    reply = say(iv, s, "I'd first ask about scale: how many users and requests per second?")
    assert s.turns[-1].kind == "clarify" and any(ch.isdigit() for ch in reply), "answered with figures"
    assert s.current_scorecard() is None and not s.scorecards, "no 1.0/5 card for asking"
    say(iv, s, NUMBERS)
    before = s.current_scorecard().model_dump()
    say(iv, s, "What's the expected QPS?")
    assert s.turns[-1].kind == "clarify"
    assert s.current_scorecard().model_dump() == before, "asking a question never moves the score"
    card = iv.end(s).scorecards[0]
    clarify = card.dimension("clarify")
    assert clarify.points[0].status == "covered" and "how many users" in clarify.points[0].evidence.quote
    assert s.records[0].answers == [NUMBERS], "clarifying questions are never graded as answers"


def test_a_clarifying_question_puts_nothing_in_history(iv):
    import json

    from interviewer.store.base import summarise

    s = iv.start(InterviewPlan(question_id=PAYMENTS), session_id="history")
    say(iv, s, "I'd first ask about scale: how many users and requests per second?")
    row = summarise(json.loads(s.model_dump_json()), owner="me", created_at=0.0, updated_at=0.0)
    assert row.overall is None and not row.dimension_scores, "no graded answer saved to History or its chart"


def test_only_clarifying_questions_is_not_an_answered_question(iv):
    s = iv.start(InterviewPlan(tracks=["backend"], n_questions=2), session_id="only-q")
    say(iv, s, "How many users do we expect?")
    say(iv, s, "skip")
    assert s.records[0].status == "skipped" and s.records[0].question_id not in s.scorecards


def test_a_question_with_a_stated_assumption_grades_only_the_statement(iv):
    s = iv.start(InterviewPlan(question_id=CACHE), session_id="mixed")
    say(iv, s, "How big is the data set? I'd assume around 200 GB of hot keys across the cluster.")
    assert s.turns[-1].kind == "clarify"
    assert s.records[0].answers == ["I'd assume around 200 GB of hot keys across the cluster."]
    assert s.current_scorecard() is not None


def test_a_hint_or_i_dont_know_as_the_first_move_earns_no_card(iv):
    s = iv.start(InterviewPlan(question_id=REST), session_id="hint-first")
    say(iv, s, "hint")
    assert s.turns[-1].kind == "hint" and s.current_scorecard() is None
    say(iv, s, "I don't know")
    assert s.current_scorecard() is None


def test_a_phase_answered_with_i_dont_know_gets_no_full_marks_from_another_phase(iv):
    s = iv.start(InterviewPlan(question_id=PAYMENTS), session_id="dk-phase")
    # Requirements answered well, architecture mentioned in passing (one component: with the whole
    # flow said, the high-level design phase counts as answered and is not asked at all)...
    say(iv, s, NUMBERS + " Clients go through a load balancer to an API gateway.")
    while s.records[0].phases and s.records[0].phases[-1].name == "requirements" and not s.finished:
        say(iv, s, "I don't know")
    assert s.records[0].phases[-1].name == "high-level design"
    say(iv, s, "I don't know")  # ...but when asked for the high-level design: nothing
    say(iv, s, "skip")
    card = s.report.scorecards[0]
    assert card.dimension("part2").score <= 3, "no 5/5 for a phase the candidate declined"
    assert all(p.status != "covered" for p in card.dimension("part2").points)


def test_declined_follow_up_point_gets_no_credit_and_is_not_asked_again(iv):
    s = iv.start(InterviewPlan(tracks=["backend"], n_questions=1), session_id="dk-point")
    say(iv, s, "I'd keep it simple and pick whatever the team knows.")
    targets = list(s.records[0].targets)
    say(iv, s, "I don't know")
    rec = s.records[0]
    assert targets and targets[-1] in rec.declined
    assert targets[-1] not in rec.covered
    assert rec.targets.count(targets[-1]) == 1


def test_coverage_accumulates_and_follow_ups_never_repeat_a_topic(iv):
    s = iv.start(InterviewPlan(question_id=CACHE), session_id="acc")
    say(iv, s, "I'd use consistent hashing with virtual nodes so keys spread evenly across nodes.")
    covered_first = set(s.records[0].covered)
    for message in ("Each shard is replicated to another node so a node failure doesn't lose the hot set.",
                    "Eviction would be LRU because the access pattern is skewed toward recent keys.",
                    "Writes go to the database first and then we delete the cache entry."):
        if s.records[0].status != "open":
            break
        say(iv, s, message)
    rec = s.records[0]
    assert covered_first <= set(rec.covered), "a point once covered stays covered"
    assert len(rec.asked_topics) == len(set(rec.asked_topics)) == rec.followups
    words = [set(t.split()) for t in rec.asked_topics]
    assert all(not (a & b) for i, a in enumerate(words) for b in words[i + 1:]), rec.asked_topics


def test_the_overall_never_sits_below_bars_that_are_all_three_or_more(iv):
    from interviewer.grading.scorecard import DimensionScore, Scorecard
    from interviewer.interview.overall import consistent, explain

    dims = [DimensionScore(id=i, title=i, kind="framework", score=s, coverage=0.5) for i, s in (("part1", 5), ("part2", 5),
                                                                                                  ("part3", 3), ("tradeoffs", 3))]
    card = Scorecard(question="q", dimensions=dims, overall=2.7, level="below senior")
    fixed = explain(card)
    assert not consistent(card) and consistent(fixed)
    assert fixed.overall == 3.0 and "every assessed dimension scores at least 3/5" in fixed.notes[-1]
    capped = card.model_copy(update={"flags": ["keyword_stuffing"], "notes": ["Capped at 2.0: ..."]})
    assert explain(capped).overall == 2.7, "a quoted cap says why the overall is lower"


STATE = "how-do-you-handle-state-management-in-large-applications"
# Weighs its choices the way notes do — "X if big team; Y if small", "not for hot data" — in words
# the scoring markers for trade-offs do not read.
WEIGHS_IN_NOTES = (
    "- server state (lists, entities from the API) -> React Query: caching, dedup, background refetch\n"
    "- global client state (auth, cart, wizard) -> Redux Toolkit if big team and we need devtools; Zustand if small team, less ceremony\n"
    "- theme, locale -> Context. not for hot data: every consumer re-renders on change\n"
    "- normalize entities by id, slices per domain, immutable updates with immer, side effects in middleware")
NO_WEIGHING = ("I would put the server data in React Query and the client state in a Redux Toolkit store, normalize the "
               "entities by id, keep slices per domain, update immutably with immer and run side effects in middleware.")


def test_no_trade_off_follow_up_when_notes_already_weigh_the_choice(grader, guide):
    targets = _targets_by_answer(grader, guide, STATE, {"weighs": WEIGHS_IN_NOTES, "plain": NO_WEIGHING})
    assert "tradeoffs" in targets["plain"]  # an answer that weighs nothing is still asked what its choice costs
    assert "tradeoffs" not in targets["weighs"]


SERVICES = "how-do-you-handle-service-to-service-communication"
# Weighs its choices case by case — "when the caller must wait …; otherwise …", "strong for X, eventual
# for Y" — the way strong concise answers do; a labeller credits the trade-off, the score's markers do not.
WEIGHS_BY_CASE = (
    "When a caller has to wait for the result it makes a gRPC call with a deadline and retries with backoff; otherwise "
    "it publishes an event to Kafka and the consumers pick it up when they can. Multi-step workflows run as a saga with "
    "compensations. Consistency per feature: strong for balances, eventual for the activity feed.")
SAME_WITHOUT_CASES = (
    "Services make gRPC calls with a deadline and retries with backoff, and publish events to Kafka that the consumers "
    "pick up. Multi-step workflows run as a saga with compensations, and the activity feed is eventually consistent.")


def test_no_trade_off_follow_up_when_the_answer_chooses_case_by_case(grader, guide):
    targets = _targets_by_answer(grader, guide, SERVICES, {"weighs": WEIGHS_BY_CASE, "plain": SAME_WITHOUT_CASES})
    assert "tradeoffs" in targets["plain"]
    assert "tradeoffs" not in targets["weighs"], "it was asked for the trade-off it had just stated"


def _targets_by_answer(grader, guide, question_id, answers):
    """Every dimension a follow-up would target, per named answer; the score's trade-off markers
    must miss each answer, so what decides is the interviewer's own check."""
    targets = {}
    for name, answer in answers.items():
        card = grader.grade(guide.question(question_id), answer)
        assert next(d for d in card.dimensions if d.id == "tradeoffs").coverage == 0, name
        record = QuestionRecord(question_id=question_id, number=1, asked_at=0.0, answers=[answer])
        targets[name] = {t.dimension_id for t in iter(lambda: _next(card, record), None)}
    return targets


def _next(card, record):
    """The next follow-up target, recorded as asked so the one after it comes next (None when done)."""
    t = pick_target(card, record)
    if t is not None:
        record.targets.append(t.key)
    return t


def test_a_reply_to_a_follow_up_is_graded_as_about_its_target(iv, monkeypatch):
    """The interviewer tells the grader which follow-up each answer replied to (the grader then
    weighs that reply's sentences as evidence for the point asked about)."""
    seen = []
    grade = iv.grader.grade
    monkeypatch.setattr(iv.grader, "grade", lambda *a, **kw: seen.append(kw.get("replies")) or grade(*a, **kw))
    s = iv.start(InterviewPlan(question_id=CACHE), session_id="reply-target")
    say(iv, s, "I'd put Redis in front of Postgres with a TTL on each key and invalidate on writes.")
    rec = s.records[0]
    assert rec.pending, "a follow-up was asked"
    target = rec.pending
    reply = "We'd shard keys over the nodes with consistent hashing so adding a node moves little data."
    say(iv, s, reply)
    assert rec.answer_targets == ["", target]
    assert [(target, reply)] in seen, "the reply went to the grader with the point it answers"


def test_a_session_saved_before_replies_were_tracked_keeps_them_aligned():
    from interviewer.interview.steps import add_answer

    rec = QuestionRecord(question_id=CACHE, number=1, asked_at=0.0, answers=["first", "second"], answer_phases=[-1, -1])
    rec.pending = "part1/1.3"
    add_answer(rec, "third")
    assert rec.answer_targets == ["", "", "part1/1.3"]


def test_a_phase_the_answers_already_covered_is_not_asked_again(iv):
    """Found when answering a system-design question in full at the first prompt: after the
    high-level design the interviewer said "let's go deeper: pick the most critical components and
    explain how they work" although every deep-dive point had been said. A phase whose framework
    part is already mostly stated is entered and closed at once, and the interviewer says so."""
    s = iv.start(InterviewPlan(question_id=CACHE), session_id="answered-ahead")
    say(iv, s, "I'd start by asking about the read/write ratio, the data size and how stale a read may be. "
               "Keys sit on a consistent hash ring with virtual nodes, so adding a node only moves a small slice of them. "
               "Every shard has a replica on another node, so losing a node doesn't lose the hot set. "
               "Entries expire with TTLs, LRU evicts under memory pressure, and writes invalidate the key through change events. "
               "We'd watch hit rate, p99 latency and memory per node. "
               "At my last company this setup on 8 Redis nodes raised the hit rate from 70% to 93% and halved database load.")
    assert [p.name for p in s.records[0].phases] == ["requirements", "high-level design"]
    reply = say(iv, s, "Clients use a library that hashes each key to a node; behind the cache nodes sits Postgres, "
                       "and a CDC stream from it feeds invalidations to the cache.")
    assert "deep dive" in reply and "go deeper" not in reply.lower(), reply
    assert [p.name for p in s.records[0].phases] == ["requirements", "high-level design", "deep dive", "wrap-up"]
    assert s.current_scorecard().dimension("part3").assessed, "the live card shows the part the skipped phase covers"
    card = iv.end(s).scorecards[0]
    assert card.dimension("part3").assessed and card.dimension("part3").score >= 4, "the skipped phase's part is graded"


@pytest.mark.parametrize("story, asks", [
    (" At my last company this setup on 8 Redis nodes raised the hit rate from 70% to 93% and halved database load.",
     "what would you do differently from the one you built"),
    ("", "have you built something like this yourself"),
])
def test_the_wrap_up_asks_about_a_story_already_told_not_for_one(iv, story, asks):
    """Seen in a terminal chat: after "at my last job this setup took hit rate from 70% to 95%", the
    wrap-up asked "have you built something like this yourself?", a question the candidate had
    just answered. A candidate who has told a story is asked what they would change in it."""
    s = iv.start(InterviewPlan(question_id=CACHE), session_id=f"wrap-up-{bool(story)}")
    say(iv, s, "I'd start by asking about the read/write ratio, the data size and how stale a read may be. "
               "Keys sit on a consistent hash ring with virtual nodes, so adding a node only moves a small slice of them. "
               "Every shard has a replica on another node, so losing a node doesn't lose the hot set. "
               "Entries expire with TTLs, LRU evicts under memory pressure, and writes invalidate the key through change events. "
               "We'd watch hit rate, p99 latency and memory per node." + story)
    reply = say(iv, s, "Clients use a library that hashes each key to a node; behind the cache nodes sits Postgres, "
                       "and a CDC stream from it feeds invalidations to the cache.")
    assert [p.name for p in s.records[0].phases][-1] == "wrap-up", reply
    assert asks in reply, reply
