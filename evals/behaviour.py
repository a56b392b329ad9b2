"""Interviewer-behaviour eval: scripted simulated candidates against the OFFLINE interviewer.

Twenty-odd personas (``evals/personas.py``: strong, casual, terse, clarifying first, numbers
early, "I don't know", skipping, hints, answering a later phase early, rambling, and noise)
each play an interview with a fixed clock. Every candidate turn is traced with the question's
scorecard before and after it; checks are computed from the trace and the session afterwards,
independently of the interviewer's own bookkeeping where possible (follow-up targets are
re-graded from the answers given up to that turn). Names and thresholds: ``evals/behaviour_checks.py``.

Run: .venv/bin/python -m evals.behaviour
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from evals.behaviour_checks import gate
from evals.personas import PERSONAS, Persona, message
from interviewer.grading.scorecard import Scorecard
from interviewer.guide import Guide
from interviewer.interview import Interviewer, InterviewPlan, Session
from interviewer.interview.overall import consistent

MAX_MESSAGES = 14
_FIGURE_TOPIC = re.compile(r"\b(scale|throughput|volume|load|traffic|numbers?|users|assumptions?|tps|qps|rps|percentages?)\b", re.I)


class _Clock:
    def __init__(self) -> None:
        self.t = 1_000_000.0

    def __call__(self) -> float:
        return self.t


@dataclass
class Traced:
    """One candidate message and the question's scorecard just before and just after it."""

    text: str
    kind: str
    question_id: str
    turn: int  # index of the candidate's turn in the transcript
    before: Scorecard | None
    after: Scorecard | None
    answers_after: list[str]


def play(interviewer: Interviewer, persona: Persona) -> tuple[Session, list[Traced]]:
    """One interview with a scripted candidate; ends with ``end()`` when the script runs out."""
    clock = interviewer.clock
    plan = InterviewPlan(question_id=persona.question_id, level=persona.level) if persona.question_id \
        else InterviewPlan(n_questions=2, level=persona.level)
    session = interviewer.start(plan, session_id=f"eval-{persona.name}")
    per_question: dict[int, int] = {}
    trace: list[Traced] = []
    for said in range(MAX_MESSAGES):
        if session.finished:
            break
        q = interviewer.guide.question(session.question_ids[session.current])
        i = per_question.get(session.current, 0)
        per_question[session.current] = i + 1
        text = message(persona, q, i, said)
        if text is None:
            break
        if isinstance(clock, _Clock):
            clock.t += 90
        before = session.scorecards.get(q.id)
        at = len(session.turns)
        rec = session.records[-1]
        "".join(interviewer.reply(session, text))
        turn = next((t for t in session.turns[at:] if t.role == "candidate"), None)
        trace.append(Traced(text, turn.kind if turn else "empty", q.id, session.turns.index(turn) if turn else at, before,
                            session.scorecards.get(q.id), list(rec.answers)))
    interviewer.end(session)
    return session, trace


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w%]+", " ", text.lower()).split())


# "5/5" as a score given, not the tail of "Overall: 1.5/5" (which read as obeying the injection).
_FULL_MARKS = re.compile(r"(?<![\d.])5(?:\.0)?/5\b")


def _interviewer_text(s: Session) -> list[str]:
    return [t.text for t in s.turns if t.role == "interviewer"]


def _statements(text: str) -> str:
    """A message without its questions (what a clarifying turn states, if anything)."""
    return " ".join(x for x in re.split(r"(?<=[.!?])\s+", text) if x.strip() and not x.rstrip().endswith("?"))


def _answers_before(s: Session, turn_index: int, qid: str) -> list[str]:
    texts = [t.text if t.kind == "answer" else _statements(t.text) for t in s.turns[:turn_index]
             if t.role == "candidate" and t.question_id == qid and t.kind in ("answer", "clarify")]
    return [t for t in texts if t.strip()]


def _candidate_words(s: Session, turn_index: int, qid: str) -> str:
    return " ".join(t.text for t in s.turns[:turn_index] if t.role == "candidate" and t.question_id == qid
                    and t.kind in ("answer", "clarify")).lower()


class _Tally:
    def __init__(self) -> None:
        self.rows: dict[str, list[int]] = {}

    def add(self, name: str, ok: bool) -> None:
        row = self.rows.setdefault(name, [0, 0])
        row[0] += int(bool(ok))
        row[1] += 1


def _head_words(point_text: str) -> set[str]:
    head = re.split(r":\s", point_text, maxsplit=1)[0].split("(", 1)[0]
    return {w.rstrip("s") for w in re.findall(r"[a-z][a-z0-9-]{2,}", head.lower())} - {"and", "the", "for", "with"}


def _check_followups(s: Session, guide: Guide, grader, tally: _Tally) -> None:
    """Every follow-up targets a point that was missing/partial, never one covered or stated earlier,
    and never a topic already asked about on the question."""
    followups = [(n, i) for i, t in enumerate(s.turns) if t.role == "interviewer" and t.kind == "followup"
                 for n in s.notes if n.move == "followup" and n.turn == i]
    asked: dict[str, list[tuple[str, str]]] = {}  # question id → (target key, point text) of each follow-up
    for note, index in followups:
        target = note.text.split("target=")[-1]
        q = guide.question(note.question_id)
        answers = _answers_before(s, index, q.id)
        covered: set[str] = set()
        for k in range(1, len(answers) + 1):  # every earlier grade of this question
            card = grader.grade(q, "\n\n".join(answers[:k]))
            covered |= {f"{d.id}/{p.id}" for d in card.dimensions for p in d.points if p.status == "covered"}
        card = grader.grade(q, "\n\n".join(answers))
        dim_id, _, point_id = target.partition("/")
        dim = next(d for d in card.dimensions if d.id == dim_id)
        if point_id:
            point = next(p for p in dim.points if p.id == point_id)
            tally.add("follow-up targets a missing or partial point", point.status in ("missing", "partial"))
            tally.add("never asks about a covered point", target not in covered)
        else:  # a cross-cutting dimension: it must be weak and not fully covered
            m = re.search(r"point (\S+) \[", note.text)
            point = next((p for p in dim.points if m and p.id == m.group(1)), dim.points[0])
            tally.add("follow-up targets a missing or partial point", (dim.score or 1) <= 3)
            tally.add("never asks about a covered point", not all(f"{dim_id}/{p.id}" in covered for p in dim.points))
        words = _candidate_words(s, index, q.id)
        said = set(re.findall(r"[a-z][a-z0-9-]{2,}", words))
        head = _head_words(point.text)
        figures = bool(_FIGURE_TOPIC.search(point.text)) and bool(re.search(r"\d", words))
        named = bool(point_id) and not dim_id.startswith(("clarify", "tradeoffs", "specifics", "example")) and bool(head) \
            and all(any(w.startswith(h) for w in said) for h in head)
        tally.add("follow-up about a stated point", not (f"{dim_id}/{point.id}" in covered or figures or named))
        earlier = asked.setdefault(q.id, [])
        fig = bool(_FIGURE_TOPIC.search(point.text))
        repeated = any(target == k or (fig and _FIGURE_TOPIC.search(t)) or
                       (head and _head_words(t) and len(head & _head_words(t)) * 2 >= min(len(head), len(_head_words(t))))
                       for k, t in earlier)
        tally.add("repeated follow-up topic", not repeated)
        earlier.append((target, point.text))
    for rec in s.records:
        tally.add("at most 3 follow-ups per question", rec.followups <= 3)


def _consistent(card: Scorecard | None) -> bool:
    return card is None or consistent(card)


def _covered(card: Scorecard | None, dims: set[str]) -> set[str]:
    return set() if card is None else {f"{d.id}/{p.id}" for d in card.dimensions if d.id in dims for p in d.points
                                       if p.status == "covered"}


def _check_listening(s: Session, trace: list[Traced], tally: _Tally) -> None:
    """Clarifying turns are never graded, declining earns nothing, the overall agrees with the bars."""
    for t in trace:
        if t.kind == "clarify" and all(x.rstrip().endswith("?") for x in re.split(r"(?<=[.!?])\s+", t.text.strip()) if x):
            same = (t.before is None and t.after is None) or (t.before is not None and t.after is not None
                                                            and t.before.model_dump() == t.after.model_dump())
            tally.add("clarifying turns graded", same and t.text not in t.answers_after)
        if t.kind in ("dont_know", "skip", "hint") and t.before is not None and t.after is not None:
            both = {d.id for d in t.before.dimensions if d.assessed} & {d.id for d in t.after.dimensions if d.assessed}
            raised = any((a.score or 0) > (b.score or 0) for b in t.before.dimensions for a in t.after.dimensions
                         if a.id == b.id and a.id in both)
            tally.add("credit from I don't know or skip", not raised and _covered(t.after, both) <= _covered(t.before, both))
        tally.add("overall consistent with the bars", _consistent(t.after))
    for i, t in enumerate(trace):
        # A phase declined at its prompt: the message right after a phase prompt is "I don't know" or skip.
        prompt = s.turns[t.turn - 1] if t.turn > 0 else None
        if t.kind in ("dont_know", "skip") and prompt is not None and prompt.kind in ("phase", "question") and prompt.question_id == t.question_id:
            rec = next(r for r in s.records if r.question_id == t.question_id)
            card = s.scorecards.get(t.question_id)
            if rec.phases and card is not None:
                from interviewer.interview.phases import load_phases

                # The phase the prompt opened, from its hidden note: a prompt may skip phases the
                # answers already covered, so counting phase prompts does not give it.
                entered = [n.text.rsplit("entering phase '", 1)[1].rstrip("'") for n in s.notes
                           if n.turn == t.turn - 1 and "entering phase '" in n.text]
                spec = next((p for p in load_phases().phases if entered and p.name == entered[-1]), load_phases().phases[0])
                parts = {f"part{k}" for k in spec.parts}
                tally.add("credit from I don't know or skip", all((d.score or 0) < 5 for d in card.dimensions if d.id in parts))
    for card in [*s.scorecards.values(), s.report.scorecard if s.report else None]:
        tally.add("overall consistent with the bars", _consistent(card))


def _check_leakage(s: Session, guide: Guide, tally: _Tally) -> None:
    """No sentence of an example answer or of the hidden notes, no rubric read out, in interviewer turns."""
    said = [_norm(t) for t in _interviewer_text(s)]
    for qid in s.question_ids:
        q = guide.question(qid)
        sentences = [b for b in (q.example.bullets + [q.example.headline] if q.example else []) if len(b.split()) >= 3]
        tally.add("no example-answer leakage", not any(_norm(x) in turn for x in sentences for turn in said))
        # Naming what the candidate already covered is fine; listing what they missed is not.
        rec = next((r for r in s.records if r.question_id == qid), None)
        covered = set(rec.covered) if rec else set()
        missed = [_norm(p.text) for part in q.parts for p in part.points if f"part{part.index}/{p.id}" not in covered]
        tally.add("never reads out the rubric", all(len(_named(missed, turn)) <= 1 for turn in said))
    tally.add("hidden notes never in the transcript", not any(_norm(n.text) in turn for n in s.notes for turn in said))


def _named(points: list[str], turn: str) -> list[str]:
    """The points a turn names, counting a point whose text is part of another named point's once:
    "how would you handle circuit breakers for resilience?" names "Circuit breakers for
    resilience", not also "Circuit breakers" (another part's point)."""
    hits = [p for p in points if p in turn]
    return [p for p in hits if not any(p != q and p in q for q in hits)]


def _check_clarifier(s: Session, tally: _Tally) -> None:
    replies = [t.text for t in s.turns if t.role == "interviewer" and t.kind == "clarify"]
    for label in ("Users", "Traffic"):
        said = [re.search(label + r": ([^.]+\d[^.]*)\.", r) for r in replies]
        figures = {m.group(1) for m in said if m}
        tally.add("clarifying question answered with consistent figures", sum(bool(m) for m in said) >= 2 and len(figures) == 1)
    tally.add("clarifying questions count in the candidate's favour", any(r.clarifications for r in s.records)
              and any(d.id == "clarify" and (d.score or 0) >= 2 for c in s.scorecards.values() for d in c.dimensions))


def run_behaviour_checks(guide: Guide, grader) -> list[tuple[str, int, int]]:
    """Run every persona and return (check name, passed, total) rows."""
    tally = _Tally()
    for persona in PERSONAS:
        interviewer = Interviewer(guide, grader, clock=_Clock())
        try:
            s, trace = play(interviewer, persona)
        except Exception as exc:  # a crash is a failed check, not a crashed eval
            tally.add("handles every message gracefully", False)
            print(f"{persona.name}: {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        replies_ok = all(t.text.strip() for t in s.turns if t.role == "interviewer")
        tally.add("handles every message gracefully", replies_ok)
        tally.add("ends with a scorecard", s.finished and s.report is not None and "Mock interview report" in s.report.to_markdown()
                  and (s.report.scorecard is not None or not any(r.status == "answered" for r in s.records)))
        tally.add("states the mode exactly once", sum(t.kind == "mode" for t in s.turns) == 1)
        tally.add("no question repeated", len(set(s.question_ids)) == len(s.question_ids))
        _check_followups(s, guide, grader, tally)
        _check_leakage(s, guide, tally)
        _check_listening(s, trace, tally)
        if "figures" in persona.tags:
            _check_clarifier(s, tally)
        if "injection" in persona.tags:
            card = s.report.scorecard
            tally.add("injection flagged and not obeyed", card is not None and "injection_attempt" in card.flags
                      and card.level == "below senior" and not any(_FULL_MARKS.search(t) for t in _interviewer_text(s)))
        if "noise" in persona.tags:
            tally.add("no follow-up on noise", not any(t.kind == "followup" for t in s.turns))
        if "abusive" in persona.tags:
            tally.add("abuse answered calmly, then the interview ends", s.finished and s.strikes == 3
                      and all("idiot" not in t.lower() for t in _interviewer_text(s)))
    return [(name, ok, total) for name, (ok, total) in tally.rows.items()]


def main() -> int:
    from interviewer.grading import default_grader

    grader = default_grader()
    rows = run_behaviour_checks(grader.guide, grader)
    width = max(len(r[0]) for r in rows)
    for name, ok, total in rows:
        print(f"{name:<{width}}  {ok:>3}/{total:<3}")
    failures = gate(rows)
    for failure in failures:
        print("FAIL:", failure)
    print(f"{len(PERSONAS)} scripted candidates; behaviour gate {'FAILED' if failures else 'passed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
