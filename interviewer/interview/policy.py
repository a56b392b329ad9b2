"""The interviewer's rules: which move comes next, decided from the scorecard.

An answer capped for confident claims (it states almost none of the points and makes claims the
guide does not back) is first challenged on the claim the scorecard quotes, once per question.
A follow-up goes to the most important dimension that is missing or weak (score ≤ 3, or a
framework part still missing a point),
preferring one not probed yet: framework parts first, then trade-offs, the example, specifics, clarifying (trade-offs
first for a staff-level plan). Within it, a missing point before a partial one. Never a
point already covered (or one whose topic a covered point already names), never the
same target or topic twice, never one the candidate named or said they don't know, never
numbers once numbers were given (:mod:`~interviewer.interview.coverage`), at most three per
question. System-design questions keep follow-ups inside the current phase and move on
when the phase is done or out of time.
"""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from interviewer.dimensions import BY_ID, by_followup_priority, is_cross
from interviewer.grading.scorecard import SIGNAL_COVERED, DimensionScore, Scorecard
from interviewer.grading.signals import may_mention
from interviewer.grading.text import split_units
from interviewer.grading.verdict import stated_under
from interviewer.interview import phases
from interviewer.interview.coverage import already_said, gives_figures, is_figure_topic, said_words, topic_words
from interviewer.interview.models import QuestionRecord

MAX_FOLLOWUPS = 3
WEAK_SCORE = 3
CROSS_DIMS = by_followup_priority()
MoveKind = Literal["followup", "phase", "next", "unclear"]
Lead = Literal["dont_know", "duplicate", "general", "overrun", "unclear", "skip", "empty"]


class Target(BaseModel):
    """What a follow-up (or a hint) is about: one rubric point of one dimension."""

    dimension_id: str
    dimension_title: str
    dimension_kind: str
    point_id: str
    point_text: str
    status: str

    @property
    def key(self) -> str:
        # Cross-cutting dimensions are probed once per question, whichever point is missing.
        return self.dimension_id if self.dimension_id in CROSS_DIMS else f"{self.dimension_id}/{self.point_id}"


class Move(BaseModel):
    """The next move and why (the reason goes to the hidden notes)."""

    kind: MoveKind
    target: Target | None = None
    lead: Lead | None = None
    reason: str = ""
    ahead: list[str] = Field(default_factory=list, description="Names of the phases the answers already covered, "
                             "entered and closed on the way to the next one (a 'phase' move only).")


def _importance(dim: DimensionScore, level: str) -> float:
    if dim.id not in CROSS_DIMS:
        return 0.0
    if level == "staff" and dim.id == "tradeoffs":
        return 0.0  # staff interviews probe trade-offs as hard as the framework itself
    return BY_ID[dim.id].followup_priority


def covered_keys(card: Scorecard) -> list[str]:
    """'dim/point' keys the scorecard shows as covered."""
    return [f"{d.id}/{p.id}" for d in card.dimensions if d.assessed for p in d.points if p.status == "covered"]


def told_story(card: Scorecard) -> bool:
    """Whether the answers so far tell a story of the candidate's own (the example's first point,
    a real project in the first person, reads covered): the wrap-up then asks about it, not for
    one. Read from the point's strength, which the card keeps while the wrap-up that assesses the
    example has not begun (its status shows "missing" until then)."""
    return any(d.id == "example" and d.points and d.points[0].strength >= SIGNAL_COVERED for d in card.dimensions)


def point_head(point_text: str) -> str:
    """The label of a "Label: detail" point ("1:1 meetings" keeps its colon: it has no space)."""
    return re.split(r":\s", point_text, maxsplit=1)[0]


FIGURES = "#figures"  # the topic of every request for numbers or scale assumptions
CLAIM = "claim"  # the kind of a challenge's target: a claim the candidate made, not a rubric point


def target_topic(t: Target) -> set[str]:
    """What a follow-up on ``t`` is about: its topic words, plus a marker when it asks for figures."""
    if t.dimension_kind == CLAIM:
        return {"#" + CLAIM}  # a challenge shares no topic with the gaps asked about after it
    words = topic_words(t.point_text) if not is_cross(t.dimension_id) else {t.dimension_id}
    return words | ({FIGURES} if is_figure_topic(t.point_text) else set())


def _repeats_topic(topic: set[str], asked: list[str]) -> bool:
    """Same topic as an earlier follow-up: the figures marker, or half the words of the smaller one."""
    for previous in (set(a.split()) for a in asked):
        shared = topic & previous
        if FIGURES in shared or (shared and len(shared) * 2 >= min(len(topic), len(previous))):
            return True
    return False


def _already_said(t: Target, said: set[str], figures: bool) -> bool:
    """Would this follow-up ask for something the candidate has already told us? (A habit such as
    clarifying is shown, not named: its words never count.)"""
    if is_cross(t.dimension_id):
        return figures and is_figure_topic(t.point_text)  # "give numbers" after numbers were given
    return already_said(t.point_text, said, figures)


def _maybe_said(point, card: Scorecard) -> bool:
    """A framework point that is not *clearly* missing: its strength is at or above the matcher's
    fitted ``clearly_missing_below`` (partly stated points always are), where answers that stated
    the point in other words still land (5 % of such points on the fitting data) — not worth a
    follow-up that may ask for what was said. Paraphrases rarely share the point's words, so a
    word test does not help here (it brought the re-asks on the dev answers back to 23 %)."""
    return card.clearly_missing_below is not None and point.strength >= card.clearly_missing_below


def _may_show(dimension_id: str, record: QuestionRecord) -> bool:
    """Might the answers so far show this cross-cutting habit in words the scoring markers miss?
    Clarifying questions asked before answering count as clarifying."""
    if dimension_id == "clarify" and record.clarifying:
        return True
    answers = record.answers[:1] if dimension_id == "clarify" else record.answers
    return any(may_mention(dimension_id, split_units(a)) for a in answers if a)


def covered_share(card: Scorecard, dimension_id: str) -> float:
    """Share of a framework part's points the answers cover, whether or not the part is assessed
    yet (a part of a later phase keeps its points' strengths; see ``Scorecard.covered_from``)."""
    d = next((d for d in card.dimensions if d.id == dimension_id), None)
    if d is None or not d.points:
        return 0.0
    if card.covered_from is None:
        return sum(p.status == "covered" for p in d.points) / len(d.points)
    return sum(p.strength >= card.covered_from for p in d.points) / len(d.points)


def pick_target(card: Scorecard, record: QuestionRecord, *, scope: set[str] | None = None, level: str = "senior",
                allow_asked: bool = False) -> Target | None:
    """The most important gap not covered anywhere in the question and not stated in so many words, or None.

    Never a point whose topic the candidate named, never a request for figures once they gave
    some, never a topic an earlier follow-up on this question already asked about.
    """
    said, figures = said_words(record), gives_figures(record.answers + record.clarifying)
    covered = set(record.covered) | set(covered_keys(card))
    covered_words: set[str] = set()
    for d in card.dimensions:
        if d.id not in CROSS_DIMS:
            for p in d.points:
                if f"{d.id}/{p.id}" in covered:
                    covered_words |= topic_words(p.text)
    # Weak dimensions, and framework parts that still miss a point (a good answer still has a real gap to probe).
    dims = [d for d in card.dimensions if d.assessed and (scope is None or d.id in scope) and
            ((d.score or 1) <= WEAK_SCORE or (not is_cross(d.id) and any(p.status == "missing" for p in d.points)))]
    order = {d.id: i for i, d in enumerate(card.dimensions)}
    elsewhere = stated_under(card.dimensions, card.stated_from)
    probed = {k.split("/", 1)[0] for k in record.targets}
    # A dimension not probed yet comes first, so three follow-ups explore, not drill one list.
    dims.sort(key=lambda d: (d.id in probed, _importance(d, level), d.score or 1, order[d.id]))
    for d in dims:
        if d.id in CROSS_DIMS and (d.coverage > 0 or _may_show(d.id, record)):
            # The answer already touches this habit (a trade-off, a story, a number): the
            # detector is a floor, not proof it is missing, so do not ask for it again.
            continue
        for status in ("missing", "partial"):
            # The most clearly missing point first: a point just under the cut-off may well have
            # been said, and asking about it again is the follow-up candidates resent most.
            for p in sorted(d.points, key=lambda p: p.strength):
                t = Target(dimension_id=d.id, dimension_title=d.title, dimension_kind=d.kind, point_id=p.id,
                           point_text=p.text, status=p.status)
                if p.status != status or f"{d.id}/{p.id}" in covered or t.key in record.declined:
                    continue
                if (d.id, p.id) in elsewhere:
                    continue  # stated under the guide's other id for the idea ("Monitoring: hit rates, latency")
                if not is_cross(d.id) and _maybe_said(p, card):
                    continue  # perhaps said in other words: asking for it again is the follow-up candidates resent most
                if t.key in record.targets and not allow_asked:
                    continue
                if _already_said(t, said, figures) or (not allow_asked and _repeats_topic(target_topic(t), record.asked_topics)):
                    continue
                words = topic_words(p.text)
                if d.id not in CROSS_DIMS and words and words <= covered_words:
                    continue  # another covered point already names this topic
                return t
    return None


def challenge_target(card: Scorecard, record: QuestionRecord) -> Target | None:
    """The confident claim to challenge, once per question: the one the scorecard quotes for its
    confident-claims cap (an answer that states almost none of the points and makes claims the
    guide does not back). A senior interviewer asks "when would that not hold?" before asking for
    what is missing; the candidate's reply is graded with the answer, as any follow-up's is."""
    if not card.claims or any(key.split("/", 1)[0] == CLAIM for key in record.targets):
        return None
    return Target(dimension_id=CLAIM, dimension_title="Confident claim", dimension_kind=CLAIM, point_id="1",
                  point_text=card.claims[0], status="missing")


def answers_another_problem(card: Scorecard) -> bool:
    """An answer to another problem (payments to the REST question): the interviewer puts the
    question again rather than follow up on it. The grader never calls a short answer off topic
    (``Calibration.offtopic_min_words``): a short vague answer is drawn out with follow-ups."""
    return "off_topic" in card.flags


def after_answer(card: Scorecard, record: QuestionRecord, now: float, level: str, *, has_substance: bool = False) -> Move:
    """The move after a graded answer (to the question, a follow-up or a phase prompt).

    ``has_substance``: the latest answer, read alone, was found to say something. Then a
    ``no_substance`` cap on ``card`` (all of the question's answers read together) is no reason to
    ask for a rephrase: it asked again after every answer and never moved on, since each
    answer with substance resets the count of unclear ones."""
    if "no_substance" in card.flags and not has_substance:
        if record.unclear >= 2:
            return Move(kind="next", lead="unclear", reason="two unclear answers in a row: moving on")
        return Move(kind="unclear", reason="answer has no substance: asking to rephrase")
    return _continue(card, record, now, level, lead=None)


def after_dont_know(card: Scorecard, record: QuestionRecord, now: float, level: str) -> Move:
    """The candidate doesn't know: try another gap, else move on (no penalty beyond the gap itself)."""
    return _continue(card, record, now, level, lead="dont_know")


def _continue(card: Scorecard, record: QuestionRecord, now: float, level: str, lead: Lead | None) -> Move:
    if record.phases:
        spec = phases.current(record)
        over = phases.over_budget(record, now)
        room = record.phases[-1].followups < phases.load_phases().max_followups_per_phase
        if not over and room and record.followups < MAX_FOLLOWUPS:
            t = challenge_target(card, record) or pick_target(card, record, scope=spec.dimension_ids if spec else None, level=level)
            if t:
                return Move(kind="followup", target=t, lead=lead, reason=_why(t, card, record))
        why = f"phase '{spec.name if spec else '?'}' " + ("over its time budget" if over else "done")
        kind = "phase" if phases.has_next(record) else "next"
        ahead = [p.name for p in phases.answered_ahead(record, lambda d: covered_share(card, d))] if kind == "phase" else []
        if ahead:
            why += f"; already answered: {', '.join(ahead)}"
        return Move(kind=kind, lead="overrun" if over else lead, reason=why, ahead=ahead)
    if record.followups < MAX_FOLLOWUPS:
        t = challenge_target(card, record) or pick_target(card, record, level=level)
        if t:
            return Move(kind="followup", target=t, lead=lead, reason=_why(t, card, record))
    reason = "follow-ups used up" if record.followups >= MAX_FOLLOWUPS else "no weak dimension left to probe"
    return Move(kind="next", lead=lead, reason=reason)


def _why(t: Target, card: Scorecard, record: QuestionRecord) -> str:
    if t.dimension_kind == CLAIM:
        return f"follow-up {record.followups + 1}/{MAX_FOLLOWUPS} challenges a confident claim (confident_claims cap)"
    score = next((d.score for d in card.dimensions if d.id == t.dimension_id), None)
    return (f"follow-up {record.followups + 1}/{MAX_FOLLOWUPS} on {t.dimension_id} (score {score}) "
            f"point {t.point_id} [{t.status}]")
