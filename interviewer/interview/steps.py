"""One step of the state machine: a candidate message in, the next move (and its draft) out.

:class:`Conductor` applies the move to the session (follow-up counters, phases, hints,
facts, opening and closing questions) and returns a :class:`Step` whose ``draft`` is
the offline phrasing. The engine then says the draft as is (offline) or has the LLM
phrase it. No I/O here besides grading.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from interviewer.guide import Question
from interviewer.interview import phases, phrasing
from interviewer.interview.clarify import answer_facts, asks_beyond_facts
from interviewer.interview.models import Hint, QuestionRecord, Session
from interviewer.interview.intents import split_clarifying
from interviewer.interview.policy import (Move, Target, after_answer, after_dont_know, answers_another_problem, covered_keys,
                                          pick_target, target_topic, told_story)

MAX_EMPTIES = 3  # empty messages on one question before moving on
MAX_STRIKES = 3  # abusive messages before the interview ends


@dataclass
class Step:
    """What to say next: ``kind`` names the move (and the LLM instruction), ``draft`` the words."""

    kind: str
    draft: str
    note: str
    finish: bool = False
    wrap: str = "done"  # done | early | turn_limit | abusive (how the wrap-up opens)
    lead: str = ""
    extra: dict = field(default_factory=dict)


def add_answer(rec: QuestionRecord, text: str) -> None:
    """Record an answer to grade, with the phase it was given in (for phase-level credit) and the
    follow-up it replies to (its sentences are then candidates for that point's evidence)."""
    rec.answers.append(text)
    rec.answer_phases.append(len(rec.phases) - 1)
    # A session saved before replies were tracked has fewer targets than answers: pad to stay aligned.
    rec.answer_targets.extend([""] * (len(rec.answers) - 1 - len(rec.answer_targets)))
    rec.answer_targets.append(rec.pending or "")


def release_off_topic(rec: QuestionRecord) -> None:
    """Grade the answers set aside as off topic when no answer to this question followed them:
    what the candidate said is then all there is, and the scorecard says why it scores low."""
    if not rec.answers:
        for said in rec.off_topic:
            add_answer(rec, said)
    rec.off_topic.clear()


class Conductor:
    """Decides moves for an :class:`~interviewer.interview.engine.Interviewer` (which owns it)."""

    def __init__(self, owner):
        self.o = owner  # the Interviewer: guide, grading, question opening/closing

    def decide(self, s: Session, rec: QuestionRecord, q: Question, intent: str, text: str, now: float, seed: str) -> Step:
        """The step for a message of this intent (state is updated here)."""
        if intent == "empty":
            rec.empties += 1
            if rec.empties >= MAX_EMPTIES:
                return self.advance(s, now, seed, lead=phrasing.say("empty.move_on", seed), why="silence: moving on")
            return Step("empty", phrasing.say("empty", seed, prompt=rec.last_prompt), "empty message: nudging")
        rec.empties = 0
        if intent == "abusive":
            s.strikes += 1
            if s.strikes >= MAX_STRIKES:
                return self.advance(s, now, seed, why="abuse: ending", wrap_only=True, wrap="abusive")
            return Step("abusive", phrasing.say("abusive", seed, prompt=rec.last_prompt), f"abusive message (strike {s.strikes})")
        if intent == "end":
            return self.advance(s, now, seed, why="candidate ended the interview", wrap_only=True, wrap="early")
        if intent == "skip":
            if rec.phases:  # a skipped phase earns nothing from what was said elsewhere
                rec.declined_phases.append(len(rec.phases) - 1)
            return self.advance(s, now, seed, lead=phrasing.say("skip.lead", seed), why="candidate skipped", skipped=True)
        if intent == "repeat":
            return Step("repeat", phrasing.say("repeat", seed, text=rec.last_prompt), "repeated the last question")
        if intent == "off_topic":
            return Step("off_topic", phrasing.say("off_topic", seed, prompt=rec.last_prompt), "off-topic message: redirecting")
        if intent == "hint":
            return self._hint(s, rec, q, now, seed)
        if intent == "clarify":
            # Answered and recorded, never graded as an answer: the scores stay as they were. Once
            # there is an answer, the question earns the clarify point (coverage.accumulate).
            asks, statement = split_clarifying(text)
            rec.clarifications += 1
            rec.clarifying.append(asks)
            if statement:
                # Only a stated assumption is graded. A bare question changes nothing now (the
                # phase may have moved on since the last grade); the next answer's grade credits it.
                add_answer(rec, statement)
                self.o.grade(s, rec, q)
            pairs = answer_facts(s.facts, s.id, asks)
            reply = phrasing.clarify_answer(pairs, seed, rest_open=asks_beyond_facts(asks))
            return Step("clarify", reply, "clarifying question: " + (", ".join(k for k, _ in pairs) or "assumption"))
        if intent == "dont_know":
            if rec.pending and rec.pending not in rec.declined:
                rec.declined.append(rec.pending)
                rec.declined_at[rec.pending] = len(rec.answers)
            elif not rec.pending and rec.phases:
                rec.declined_phases.append(len(rec.phases) - 1)
            card = self.o.grade(s, rec, q)
            return self.apply(s, rec, q, after_dont_know(card, rec, now, s.plan.level), card, [], now, seed)
        return self._answer(s, rec, q, text, now, seed)

    def _answer(self, s: Session, rec: QuestionRecord, q: Question, text: str, now: float, seed: str) -> Step:
        single = self.o.grade_text(q, text)
        injection = "injection_attempt" in single.flags
        # A fluent answer to another question is often also "no substance" for this one; it is told
        # it answered something else, not asked to rephrase ("I couldn't follow that").
        another = (answers_another_problem(single) and not rec.pending and not rec.phases
                   and (rec.unclear or not rec.answers))
        if "no_substance" in single.flags and (injection or not another):
            rec.unclear += 1
            if injection:
                add_answer(rec, text)  # graded, so the scorecard shows the attempt (and gives it nothing)
            card = s.scorecards.get(q.id) or self.o.grade(s, rec, q)
            move = after_answer(single, rec, now, s.plan.level)
            step = self.apply(s, rec, q, move, card, [], now, seed)
            return self._note_injection(s, step, seed) if injection else step
        if another:
            # An answer to another problem (say, payments to the REST question): a follow-up on a
            # framework point would pretend it was on topic. (A short vague answer is drawn out with
            # follow-ups instead.) It is set aside and the question is put again, so the answer that
            # follows is graded on its own; twice in a row, both are graded (the scorecard shows the
            # off-topic cap) and the interview moves on.
            rec.unclear += 1
            rec.off_topic.append(text)
            if rec.unclear >= 2:
                release_off_topic(rec)
                card = self.o.grade(s, rec, q)
                return self.apply(s, rec, q, Move(kind="next", lead="unclear", reason="two off-topic answers in a row: moving on"),
                                  card, [], now, seed)
            return Step("off_topic", phrasing.say("off_topic.answer", seed, prompt=rec.last_prompt), "answer is off topic: redirecting")
        rec.unclear = 0
        rec.off_topic.clear()  # kept in the transcript, not graded with this answer
        duplicate = " ".join(text.lower().split()) in {" ".join(a.lower().split()) for a in rec.answers}
        if not duplicate:
            add_answer(rec, text)
        before = set(rec.covered)
        card = self.o.grade(s, rec, q)
        now_covered = set(covered_keys(card))
        # Acknowledge only what the candidate visibly said: a topic word must be in their quote.
        newly = [p.text for d in card.dimensions for p in d.points if d.id.startswith("part") and p.evidence
                 and f"{d.id}/{p.id}" in now_covered - before and phrasing.grounded(p.text, p.evidence.quote)]
        rec.pending = None
        move = after_answer(card, rec, now, s.plan.level, has_substance=True)  # "no_substance" alone was handled above
        if duplicate and move.kind == "followup":
            move.lead = "duplicate"
        elif "fluent_filler" in single.flags and move.kind == "followup":
            move.lead = "general"  # read, and general: asked for something concrete, never "couldn't follow"
        step = self.apply(s, rec, q, move, card, newly, now, seed)
        return self._note_injection(s, step, seed) if injection else step

    @staticmethod
    def _note_injection(s: Session, step: Step, seed: str) -> Step:
        """Say once per session that text aimed at the grader is ignored."""
        if not any("injection noted" in n.text for n in s.notes):
            step.draft = phrasing.join(phrasing.say("ack.injection", seed), step.draft)
        step.note += "; injection noted"
        return step

    def apply(self, s: Session, rec: QuestionRecord, q: Question, move: Move, card, newly: list[str], now: float, seed: str) -> Step:
        """Carry out a policy move: update counters/phases and phrase it."""
        if move.kind == "followup" and move.target is not None:
            t = move.target
            rec.followups += 1
            rec.targets.append(t.key)
            rec.asked_topics.append(" ".join(sorted(target_topic(t))))
            rec.pending = t.key
            if rec.phases:
                rec.phases[-1].followups += 1
            ack = phrasing.acknowledgement(card, newly, seed, move.lead)
            bare = phrasing.followup(t, "", seed, q.kind == "behavioural")
            rec.last_prompt = bare
            return Step("followup", phrasing.followup(t, ack, seed, q.kind == "behavioural"), move.reason,
                        extra={"target": t.key, "status": t.status})
        if move.kind == "unclear":
            return Step("unclear", phrasing.say("unclear", seed, prompt=rec.last_prompt), move.reason)
        if move.kind == "phase":
            previous = phases.current(rec)
            answered = [phases.begin(rec, now).title for _ in move.ahead]  # entered and closed at once
            spec = phases.begin(rec, now)
            if answered:
                self.o.grade(s, rec, q)  # their parts are assessed now: the live card must not say "not assessed"
            rec.pending = None
            ask = spec.ask_text(told_example=told_story(card))
            rec.last_prompt = ask
            key = "phase.overrun" if move.lead == "overrun" else "phase.answered" if answered else "phase.transition"
            draft = phrasing.say(key, seed, ask=ask, previous=previous.title if previous else "that part",
                                 answered=" and ".join(f"the {title}" for title in answered))
            if move.lead == "dont_know":
                draft = phrasing.join(phrasing.say("ack.dont_know", seed), ask)
            return Step("phase", draft, f"{move.reason}; entering phase '{spec.name}'")
        lead = {"dont_know": phrasing.say("ack.dont_know_next", seed), "unclear": phrasing.say("unclear.move_on", seed)}.get(move.lead or "", "")
        return self.advance(s, now, seed, lead=lead, why=move.reason)

    def _hint(self, s: Session, rec: QuestionRecord, q: Question, now: float, seed: str) -> Step:
        card = self.o.grade(s, rec, q)
        scope = phases.current(rec).dimension_ids if rec.phases else None
        target = self._pending_target(card, rec) or pick_target(card, rec, scope=scope, level=s.plan.level, allow_asked=True)
        s.hints.append(Hint(question_id=q.id, dimension_id=target.dimension_id if target else None,
                            point_id=target.point_id if target else None, at=now))
        return Step("hint", phrasing.hint(target, seed), f"hint {s.hints_for(q.id)} on {target.key if target else 'general advice'}")

    @staticmethod
    def _pending_target(card, rec: QuestionRecord) -> Target | None:
        if not rec.pending:
            return None
        for d in card.dimensions:
            for p in d.points:
                t = Target(dimension_id=d.id, dimension_title=d.title, dimension_kind=d.kind, point_id=p.id, point_text=p.text, status=p.status)
                if t.key == rec.pending and p.status != "covered":
                    return t
        return None

    def advance(self, s: Session, now: float, seed: str, *, lead: str = "", why: str, skipped: bool = False,
                wrap_only: bool = False, wrap: str = "done") -> Step:
        """Close the current question; ask the next one, or wrap up."""
        self.o.close_question(s, now, skipped=skipped)
        if not wrap_only and s.current + 1 < len(s.question_ids):
            s.current += 1
            question_text = self.o.open_question(s, now)
            n, total = s.current + 1, len(s.question_ids)
            draft = phrasing.join(lead, phrasing.say("ask.next", seed, question=question_text, n=n, total=total))
            return Step("question", draft, f"{why}; asking question {n}/{total}")
        return Step("wrapup", lead, f"{why}; wrapping up", finish=True, wrap=wrap, lead=lead)
