"""A report that teaches: strengths in the candidate's words, three things to practise with the
guide section and a line of the example answer, and an outline built on the candidate's answer."""
from __future__ import annotations

import re

import pytest

from interviewer.grading import Grader
from interviewer.interview import Interviewer, InterviewPlan

PAYMENTS = "design-a-payment-processing-system-for-a-fintech-company"
ANSWERS = [
    "We need about 5M transactions per day, so roughly 60 TPS on average and 1k TPS at peak; p99 latency under 500 ms "
    "and 99.95% availability, and we have to be PCI DSS compliant.",
    "Clients go through a load balancer to an API gateway that authenticates and rate-limits; the payment service "
    "validates each payment and puts it on a message queue for the processing engine.",
]


class Clock:
    t = 30_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture(scope="module")
def report(embedder, guide):
    iv = Interviewer(guide, Grader(embedder, guide), clock=Clock())
    s = iv.start(InterviewPlan(question_id=PAYMENTS), session_id="teach")
    for message in ANSWERS:
        "".join(iv.reply(s, message))
    return iv.end(s), s


def test_strengths_quote_the_candidates_own_words(report):
    final, s = report
    lesson = final.lessons[0]
    said = " ".join(" ".join(a.split()) for a in s.records[0].answers)
    assert lesson.strengths
    for line in lesson.strengths:
        quote = re.match(r"“(.+?)…?”", line).group(1)
        assert quote in said, line


def test_three_things_to_practise_each_with_a_guide_section_and_an_example_line(report, guide):
    final, _ = report
    q = guide.question(PAYMENTS)
    practise = final.lessons[0].practise
    assert 1 <= len(practise) <= 3
    for p in practise:
        assert "›" in p.citation, "the guide section it comes from"
        assert p.example_line in [q.example.headline, *q.example.bullets]
    assert not any(re.search(r"\b(scale|latency|transactions per second)\b", p.what, re.I) for p in practise), \
        "never practise what they stated"


def test_the_outline_is_the_candidates_answer_with_prompts_for_what_is_missing(report):
    final, s = report
    outline = final.lessons[0].outline
    said = " ".join(" ".join(a.split()) for a in s.records[0].answers)
    quotes = [x for x in outline if x.startswith("“")]
    prompts = [x for x in outline if x.endswith("?")]
    assert quotes and prompts and len(quotes) + len(prompts) == len(outline)
    assert all(x.strip("“”…") in said for x in quotes), "covered points kept in their words"
    assert not any(re.search(r"\b(add|cover|keep):", x, re.I) for x in outline), "no rubric strings"
    assert any("geographic" in x.lower() for x in prompts), "a missing point becomes a short prompt"
    # their structure: the requirements quote comes before the architecture quote, as they said them
    assert outline.index(next(x for x in quotes if "TPS" in x or "5M" in x or "latency" in x)) < \
        outline.index(next(x for x in quotes if "gateway" in x or "queue" in x))


def test_markdown_report_leads_with_the_lesson_and_keeps_the_example_answer_folded(report):
    final, _ = report
    md = final.to_markdown()
    assert "**Practise next**" in md and "**Your answer, improved**" in md and "**What went well (your words)**" in md
    assert "<details><summary>The guide's example answer</summary>" in md
    assert md.index("Practise next") < md.index("### Scorecard")


def test_the_scorecards_outline_is_the_same_improved_outline(report):
    final, _ = report
    assert final.scorecards[0].outline == final.lessons[0].outline
    assert all(step.split(": ", 1)[1] in final.lessons[0].outline for step in final.scorecard.outline)


def test_the_apps_report_summary_shows_the_lesson(report):
    from interviewer.ui.report_view import summary_markdown

    final, _ = report
    text = summary_markdown(final)
    assert "**Practise next**" in text and "The guide's example answer" in text


def test_the_markdown_report_prints_each_improved_outline_once(report):
    final, _ = report
    md = final.to_markdown()
    assert md.count("**Your answer, improved**") == 1 and "**Improved outline**" not in md


# A strict xfail in the seventeenth session ("we have to be PCI DSS compliant" read partial for 1.4
# Security, so the outline asked "Security?"), passed after the refit with batch 18 and failed
# again after the one with batch 21; since the twenty-first session the lesson's outline quotes a
# partly stated point instead of asking for it (the grader's outline rule), whatever the refit; since
# the twenty-fourth (it read 0.51, missing) naming the point's own example, PCI DSS, names its topic.
def test_the_outline_never_prompts_for_something_they_said(report):
    final, _ = report
    prompts = [x for x in final.lessons[0].outline if x.endswith("?")]
    assert not any(re.search(r"\b(scale|latency|availability|security)\b", x, re.I) for x in prompts), \
        "never a prompt for something they said"


def test_the_lessons_outline_keeps_a_partly_stated_point_in_their_words():
    # The grader's outline rule: a partly stated point is quoted, not asked for again; only a
    # missing one becomes a prompt. (The lesson's outline asked "Security?" after "we have to be
    # PCI DSS compliant" whenever the matcher read it partial.)
    from interviewer.grading.scorecard import DimensionScore, Evidence, PointResult, Scorecard
    from interviewer.interview.models import QuestionRecord
    from interviewer.interview.teaching import improved_outline

    answer = "p99 latency under 500 ms, and we have to be PCI DSS compliant."
    clause = "and we have to be PCI DSS compliant."

    def point(pid, text, status, quote=None):
        ev = Evidence(quote=quote, start=answer.index(quote), end=answer.index(quote) + len(quote)) if quote else None
        return PointResult(id=pid, text=text, status=status, strength=0.9 if status == "covered" else 0.57 if ev else 0.05,
                           evidence=ev, citation="c")

    card = Scorecard(question="Design a payment system", dimensions=[DimensionScore(
        id="part1", title="Requirements", kind="framework", score=3, points=[
            point("1.2", "Latency: Response time requirements", "covered", "p99 latency under 500 ms"),
            point("1.4", "Security: Compliance requirements (PCI DSS)", "partial", clause),
            point("1.5", "Geographic distribution: Global vs regional", "missing")])])
    steps = improved_outline(card, QuestionRecord(question_id="q", number=1, asked_at=0.0, answers=[answer]))
    assert "\u201cand we have to be PCI DSS compliant.\u201d" in steps
    assert "Geographic distribution?" in steps and not any("ecurity" in s and s.endswith("?") for s in steps)


def test_a_lesson_never_teaches_the_same_topic_twice(guide):
    # "Fraud detection" is a box of the missing architecture line and a missing component: one
    # prompt in the outline and one thing to practise, as in the grader's outline.
    from interviewer.grading.scorecard import DimensionScore, Evidence, PointResult, Scorecard
    from interviewer.interview.models import QuestionRecord
    from interviewer.interview.teaching import lesson

    answer = "Clients go through a load balancer to an API gateway."
    ev = Evidence(quote=answer, start=0, end=len(answer))
    card = Scorecard(question="Design a payment system", dimensions=[
        DimensionScore(id="part2", title="High-Level Architecture", kind="framework", score=2, points=[
            PointResult(id="2.1", text="Client Apps → Load Balancer → API Gateway", status="covered", strength=0.9, evidence=ev, citation="c"),
            PointResult(id="2.3", text="Fraud Detection → Database Layer → External APIs", status="missing", strength=0.05, citation="c")]),
        DimensionScore(id="part3", title="Key Components", kind="framework", score=1, points=[
            PointResult(id="3.4", text="Fraud Detection: Real-time risk assessment", status="missing", strength=0.02, citation="c"),
            PointResult(id="3.5", text="Database: Transaction storage, audit logs", status="missing", strength=0.02, citation="c")])])
    rec = QuestionRecord(question_id=PAYMENTS, number=1, asked_at=0.0, answers=[answer])
    taught = lesson(card, rec, guide.question(PAYMENTS))
    prompts = [s for s in taught.outline if s.endswith("?")]
    assert prompts == ["Fraud detection, database layer and external APIs?"], prompts
    assert sum("fraud" in p.what.lower() for p in taught.practise) == 1, [p.what for p in taught.practise]


def test_a_habit_to_practise_is_not_illustrated_by_an_unrelated_example_line(embedder, guide):
    # Seen in a terminal interview: "Asks clarifying questions … before designing" was illustrated
    # by the example answer's "Reduced database load by 80%" (it shares the word "load").
    from interviewer.dimensions import BY_ID

    iv = Interviewer(guide, Grader(embedder, guide), clock=Clock())
    s = iv.start(InterviewPlan(question_id="design-a-distributed-cache-system"), session_id="habit")
    "".join(iv.reply(s, "I'd put everything on one big Redis box, since sharding is overkill and a single node never "
                        "runs out of memory if you buy enough RAM. Replicas are a waste of time for a cache."))
    practise = iv.end(s).lessons[0].practise
    habits = {d.id for d in BY_ID.values() if not d.illustrated_by_example}
    habit_rows = [p for p in practise if any(h in p.citation.lower() or h in p.dimension.lower() for h in ("clarif", "trade-off"))]
    assert habits == {"clarify", "tradeoffs"}
    assert habit_rows, "precondition: a habit is among the things to practise"
    assert all(p.example_line == "" for p in habit_rows)
    assert any(p.example_line for p in practise if p not in habit_rows), "framework points keep their example line"
