"""One coverage state per question: what the candidate has said, across every turn on it.

The grader scores the text of all answers on a question at once; this module makes the
interviewer's view of it behave like a listener's memory:

* a point once covered stays covered with its quote, even if a later regrade of the longer
  text ranks it lower (coverage only accumulates);
* "I don't know" earns nothing: a declined follow-up point is not credited from words said
  before the decline, and a system-design phase whose prompt got "I don't know" (or a skip)
  gets at most *partial* credit for its framework points from sentences said in other phases
  (so it cannot show 5/5 on the strength of the requirements phase);
* clarifying questions are never graded as an answer, but once there is an answer they earn
  the clarify dimension's "asks clarifying questions" point, quoting the question asked.

Changed dimensions are rescored with the engine's own rule (1 + 4·coverage) and the overall
moves by the calibrated weight of the changed features, so bars and overall stay one story.
Pure: no I/O, no grading.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache

from interviewer.dimensions import CROSS_IDS, SEMANTIC_KINDS, is_cross
from interviewer.grading.calibration import framework_features, load_calibration
from interviewer.grading.scorecard import CAP_FLAGS, DimensionScore, Evidence, Gap, PointResult, Scorecard
from interviewer.grading.verdict import gap_points, level_verdict, names_an_example, outline, strengths
from interviewer.interview.intents import content_words
from interviewer.interview.models import QuestionRecord
from interviewer.prompting import load_toml
from interviewer.rubric import Rubric

COVERAGE_FILE = "interviewer/coverage.toml"
_RANK = {"missing": 0, "partial": 1, "covered": 2}


@lru_cache(maxsize=1)
def _vocab() -> tuple[re.Pattern, frozenset[str]]:
    raw = load_toml(COVERAGE_FILE)["figures"]
    return re.compile(raw["pattern"], re.I), frozenset(w.lower() for w in raw["topic_words"])


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w%.]+", " ", text.lower()).split())


def gives_figures(texts: list[str]) -> bool:
    """Did the candidate state concrete figures (scale, latency, throughput, percentages)?"""
    pattern, _ = _vocab()
    return any(pattern.search(t) for t in texts)


def is_figure_topic(point_text: str) -> bool:
    """Is this rubric point a request for numbers or scale assumptions?"""
    _, words = _vocab()
    return bool(content_words(point_text) & words)


def said_words(rec: QuestionRecord) -> set[str]:
    """Content words the candidate used on this question (answers and clarifying questions)."""
    return content_words(" ".join(rec.answers + rec.clarifying))


def topic_words(point_text: str) -> set[str]:
    """A rubric point's topic as content words: the label of a "Label: detail" point, else the
    text before a parenthesis ("Automated testing (unit, …)"), a diagram's parts without arrows."""
    head = re.split(r":\s", point_text, maxsplit=1)[0] if re.search(r":\s", point_text) else point_text.split("(", 1)[0]
    return content_words(head.replace("\u2192", " "))


def already_said(point_text: str, words: set[str], figures: bool) -> bool:
    """Has the candidate already told us this point's topic: every word of it among ``words``
    (``said_words``), one of the point's own examples named ("PCI DSS" for "Security: Compliance
    requirements (PCI DSS)", ``verdict.names_an_example``), or, for a request for numbers, any
    figures (``gives_figures``)? The one rule behind "never ask for it again": follow-ups
    (policy), the practice list and the outline (teaching) read it."""
    if figures and is_figure_topic(point_text):
        return True
    topic = topic_words(point_text)
    return bool(topic) and topic <= words or names_an_example(point_text, words, content_words)


def source_of(quote: str, answers: list[str]) -> int | None:
    """Index of the answer a quote comes from (a two-sentence window: where it starts)."""
    q = _norm(quote)
    if not q:
        return None
    normed = [_norm(a) for a in answers]
    for probe in (q, q[:40]):
        for i, a in enumerate(normed):
            if probe in a:
                return i
    return None


def _key(d: DimensionScore, p: PointResult) -> str:
    return f"{d.id}/{p.id}"


def _declined_before(rec: QuestionRecord, d: DimensionScore, p: PointResult) -> int | None:
    """How many answers preceded the candidate's "I don't know" on this point (None: never declined)."""
    for key in (_key(d, p), d.id):  # cross-cutting targets are declined as a whole dimension
        if key in rec.declined:
            return rec.declined_at.get(key, len(rec.answers))
    return None


def _adjust_point(rec: QuestionRecord, d: DimensionScore, p: PointResult, phase_dims: Callable[[int], set[str]]) -> PointResult:
    best = rec.points.get(_key(d, p))
    if best is not None and _RANK[best.status] > _RANK[p.status]:
        p = best  # said before: a regrade of the longer text cannot take it back
    if p.status == "missing" or p.evidence is None:
        return p
    src = source_of(p.evidence.quote, rec.answers)
    declined = _declined_before(rec, d, p)
    if declined is not None and (src is None or src < declined):
        return p.model_copy(update={"status": "missing", "strength": 0.0, "evidence": None})
    if p.status == "covered" and not is_cross(d.id):
        phase = rec.answer_phases[src] if src is not None and src < len(rec.answer_phases) else None
        if any(d.id in phase_dims(i) and phase != i for i in rec.declined_phases):
            return p.model_copy(update={"status": "partial"})
    return p


def _clarify_credit(d: DimensionScore, rec: QuestionRecord) -> DimensionScore:
    if d.id != "clarify" or not rec.clarifying or not d.points or d.points[0].status == "covered":
        return d
    quote = rec.clarifying[0]
    first = d.points[0].model_copy(update={"status": "covered", "strength": 1.0,
                                           "evidence": Evidence(quote=quote, start=0, end=len(quote))})
    return d.model_copy(update={"points": [first, *d.points[1:]]})


def _rescore(d: DimensionScore) -> DimensionScore:
    credits = [(_RANK[p.status] / 2) if d.kind in SEMANTIC_KINDS else p.strength for p in d.points]
    coverage = round(sum(credits) / len(credits), 3) if credits else 0.0
    return d.model_copy(update={"coverage": coverage, "score": int(1 + round(4 * coverage))})


def _features(dims: list[DimensionScore]) -> dict[str, float]:
    core = [d.coverage for d in dims if d.assessed and d.kind in SEMANTIC_KINDS]
    mean = sum(core) / len(core) if core else 0.0
    breadth = sum(c > 0 for c in core) / len(core) if core else 0.0
    by_id = {d.id: d for d in dims}
    cross = {k: (by_id[k].coverage if k in by_id and by_id[k].assessed else mean) for k in CROSS_IDS}
    return {**framework_features(mean, breadth), **cross}


def _overall(card: Scorecard, dims: list[DimensionScore]) -> float | None:
    if card.overall is None:
        return None
    weights = (load_calibration().guide if card.rubric_source == "guide" else load_calibration().reference).weights
    old, new = _features(card.dimensions), _features(dims)
    delta = sum(max(0.0, w) * (new.get(k, 0.0) - old.get(k, 0.0)) for k, w in weights.items() if k != "evidence")
    overall = round(min(5.0, max(1.0, card.overall + delta)), 1)
    # A quoted cap stays a cap: more credit cannot lift a capped answer over it.
    return min(overall, card.overall) if CAP_FLAGS & set(card.flags) else overall


def accumulate(card: Scorecard, rec: QuestionRecord, rubric: Rubric, phase_dims: Callable[[int], set[str]]) -> Scorecard:
    """The question's scorecard as one coverage state over every turn (see the module docstring).

    Also stores the best result per point in ``rec.points`` for the next turn.
    """
    dims, changed = [], False
    for d in card.dimensions:
        if not d.assessed:
            dims.append(d)
            continue
        new = d.model_copy(update={"points": [_adjust_point(rec, d, p, phase_dims) for p in d.points]})
        new = _clarify_credit(new, rec)
        if [(p.status, p.strength) for p in new.points] != [(p.status, p.strength) for p in d.points]:
            new, changed = _rescore(new), True
        dims.append(new)
        for p in new.points:
            if p.status != "missing" and _RANK[p.status] >= _RANK[rec.points.get(_key(new, p), p).status]:
                rec.points[_key(new, p)] = p
    if not changed:
        return card
    overall = _overall(card, dims)
    level, reasons = level_verdict(overall, dims, card.flags)
    named = {g.point for g in card.gaps if g.named}  # the first answer named these topics
    gaps = [Gap(dimension=d.title, point=p.text, citation=p.citation, named=p.text in named) for d, p in gap_points(dims, card.stated_from)]
    return card.model_copy(update={
        "dimensions": dims, "overall": overall, "overall_rounded": None if overall is None else int(math.floor(overall + 0.5)),
        "level": level, "level_reasons": reasons, "strengths": strengths(dims), "gaps": gaps, "outline": outline(rubric, dims, stated_from=card.stated_from)})
