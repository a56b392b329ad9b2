"""A report that teaches: per question, what went well (in the candidate's words), the three
things to practise next (each with its guide section and a line of the guide's example answer),
and an improved outline built on the candidate's own answer.

The outline keeps the candidate's structure: their stated points in the order they said them,
quoted; each missing point becomes a short prompt placed after the part of the answer it belongs
to. A point they named, or a request for figures after they gave figures, is never a prompt
(the same rules the follow-ups obey), and no topic is prompted or practised twice (the grader's
outline rule, :func:`~interviewer.grading.verdict.repeats_topic`). Pure: scorecard, record and guide question in, a typed
:class:`Lesson` out.
"""
from __future__ import annotations

import re

from interviewer.dimensions import BY_ID, is_cross
from interviewer.grading.scorecard import DimensionScore, PointResult, Scorecard
from interviewer.grading.verdict import repeats_topic, short_quote, stated_under
from interviewer.guide import Question
from interviewer.interview.coverage import already_said, gives_figures, said_words, source_of
from interviewer.interview.intents import content_words
from interviewer.interview.lesson import Lesson, Practice
from interviewer.interview.models import QuestionRecord
from interviewer.interview.phrasing import topic_of

PRACTISE = 3


def _topic(text: str) -> str:
    """A rubric point as a short topic ("Geographic distribution", "Client, load balancer and cache nodes")."""
    phrase, _ = topic_of(text)
    return phrase[:1].upper() + phrase[1:]


def _said(rec: QuestionRecord):
    words, figures = said_words(rec), gives_figures(rec.answers + rec.clarifying)
    return lambda point_text: already_said(point_text, words, figures)


def _example_lines(q: Question) -> list[str]:
    return ([q.example.headline] if q.example and q.example.headline else []) + (list(q.example.bullets) if q.example else [])


def _example_for(text: str, lines: list[str], used: set[str]) -> str:
    """The example-answer line closest to ``text`` (shared words, else one with a figure), not used yet."""
    free = [x for x in lines if x not in used] or lines
    if not free:
        return ""
    words = content_words(text)
    best = max(free, key=lambda x: (len(words & content_words(x)), bool(re.search(r"\d", x))))
    used.add(best)
    return best


def _strengths(card: Scorecard) -> list[str]:
    found = [(p.strength, d, p) for d in card.dimensions if d.assessed for p in d.points
             if p.status == "covered" and p.evidence is not None]
    found.sort(key=lambda x: (is_cross(x[1].id), -x[0]))
    out, seen = [], set()
    for _, d, p in found:
        quote = short_quote(p.evidence.quote)
        if quote not in seen:
            seen.add(quote)
            out.append(f"“{quote}” — {_topic(p.text).lower() if not is_cross(d.id) else d.title.lower()}")
    return out[:3]


def _practise(card: Scorecard, q: Question, said) -> list[Practice]:
    gaps: list[tuple[tuple, DimensionScore, PointResult]] = []
    for order, d in enumerate(card.dimensions):
        if not d.assessed:
            continue
        for p in d.points:
            if p.status == "covered" or said(p.text):
                continue
            cross = is_cross(d.id)
            if cross and (d.score or 1) > 3:
                continue
            gaps.append(((p.status != "missing", cross, d.score or 1, order), d, p))
    gaps.sort(key=lambda g: g[0])
    picked: list[tuple[DimensionScore, PointResult]] = []
    topics: list[set[str]] = []
    for first_pass in (True, False):  # one per dimension first, so three lessons are three different skills
        for _, d, p in gaps:
            words = content_words(_topic(p.text))
            if (d, p) in picked or (first_pass and any(d.id == x.id for x, _ in picked)) or repeats_topic(words, topics):
                continue  # nor the same topic twice ("Fraud detection" after the diagram that names it)
            picked.append((d, p))
            topics.append(words)
    lines, used = _example_lines(q), set()
    out = []
    for d, p in picked[:PRACTISE]:
        what = _topic(p.text) if not is_cross(d.id) else p.text
        illustrated = not is_cross(d.id) or BY_ID[d.id].illustrated_by_example
        out.append(Practice(what=what, dimension=d.title, citation=p.citation or d.citation,
                            example_line=_example_for(p.text + " " + d.title, lines, used) if illustrated else ""))
    return out


def _outline(card: Scorecard, rec: QuestionRecord, said) -> list[str]:
    """The candidate's stated points in the order they said them; each missing point as a prompt
    after its part. The grader's outline rule (:func:`~interviewer.grading.verdict.outline`): a
    partly stated point keeps the candidate's words and is not asked for again ("we have to be PCI
    DSS compliant" is not followed by "Security?"), nor is a point stated under another of its ids."""
    steps: list[tuple[float, str]] = []
    last_of: dict[str, float] = {}
    framework = [d for d in card.dimensions if d.assessed and not is_cross(d.id)]
    elsewhere = stated_under(card.dimensions, card.stated_from)
    for d in framework:
        for p in d.points:
            if p.status != "missing" and p.evidence is not None:
                src = source_of(p.evidence.quote, rec.answers)
                text = rec.answers[src] if src is not None else ""
                at = (src if src is not None else len(rec.answers)) + (text.find(p.evidence.quote[:30]) % 10_000) / 10_000
                if all(q != short_quote(p.evidence.quote) for _, q in steps):
                    steps.append((at, short_quote(p.evidence.quote)))
                last_of[d.id] = max(last_of.get(d.id, -1.0), at)
    # A quote inside a longer quote of the same answer is one step, not two.
    steps = [(at, quote) for at, quote in steps if not any(quote != other and quote.rstrip("…") in other for _, other in steps)]
    if not steps:
        # Nothing of the answer to improve (an answer to another problem, or only gaps): a list of
        # every framework point as a prompt would be the rubric, not the candidate's answer. The
        # lesson's example answer is the model to follow then.
        return []
    keyed = [(at, f"“{quote}”") for at, quote in steps]
    end = max((at for at, _ in keyed), default=0.0)
    asked: list[set[str]] = []
    for i, d in enumerate(framework):
        anchor = last_of.get(d.id, end + 1 + i)  # a part never touched goes after the rest, in guide order
        missing = [p for p in d.points if p.status == "missing" and (d.id, p.id) not in elsewhere and not said(p.text)]
        for j, p in enumerate(missing):
            words = content_words(_topic(p.text))
            if repeats_topic(words, asked):
                continue  # the grader's outline rule: never the same topic twice
            asked.append(words)
            keyed.append((anchor + (j + 1) * 1e-6, f"{_topic(p.text)}?"))
    return [text for _, text in sorted(keyed, key=lambda x: x[0])]


def improved_outline(card: Scorecard, rec: QuestionRecord) -> list[str]:
    """The outline for the scorecard itself: the candidate's answer, improved (replaces the rubric's checklist)."""
    return _outline(card, rec, _said(rec))


def lesson(card: Scorecard, rec: QuestionRecord, q: Question) -> Lesson:
    """The lesson of one answered question (see the module docstring)."""
    said = _said(rec)
    return Lesson(question_id=q.id, question=q.text, strengths=_strengths(card), practise=_practise(card, q, said),
                  outline=_outline(card, rec, said), example_answer=_example_lines(q))
