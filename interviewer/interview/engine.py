"""The interviewer: start a session, reply to each candidate message, end with a report.

The state machine (:mod:`~interviewer.interview.steps` over
:mod:`~interviewer.interview.policy`) decides every move from the evidence-based
scorecard. Offline, the move's template draft is the turn. With an LLM, the model
phrases the draft from ``prompts/interviewer/`` and its tokens stream out; if the model
fails, or its reply would reveal private material or lose the draft's question or figures
(:mod:`~interviewer.interview.guard`), that one turn falls back to the draft with a
one-line notice and the interview goes on.
"""
from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator, Sequence

from interviewer.errors import InputError, LLMError
from interviewer.grading.scorecard import Scorecard
from interviewer.grading.verdict import level_verdict
from interviewer.guide import Guide, Question
from interviewer.interview import overall, phases, phrasing
from interviewer.interview.context import build_messages, guide_notes
from interviewer.interview.coverage import accumulate
from interviewer.interview.teaching import improved_outline
from interviewer.interview.guard import TurnGuard
from interviewer.interview.intents import classify
from interviewer.interview.models import HiddenNote, InterviewPlan, QuestionRecord, Session, Turn
from interviewer.interview.planner import choose_questions, describe_tracks
from interviewer.interview.policy import covered_keys
from interviewer.interview.report import FinalReport, build_report
from interviewer.interview.steps import Conductor, Step, release_off_topic
from interviewer.llm import ChatStream, model_name
from interviewer.rubric import Rubric, rubric_for_question

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
Retriever = Callable[[Question], list[str]]


def _phase_dimensions(index: int) -> set[str]:
    return phases.load_phases().phases[index].dimension_ids


class Interviewer:
    """Runs mock interviews over a guide; build it with ``services.build_interviewer``."""

    def __init__(self, guide: Guide, grader, *, llm=None, model: str = "", judge=None, retriever: Retriever | None = None,
                 clock: Callable[[], float] | None = None, token_budget: int = 3000, max_turns: int = 200,
                 max_answer_chars: int = 20_000, secrets: Sequence[str] = ()):
        self.guide, self.grader, self.judge, self.llm = guide, grader, judge, llm
        self.secrets = tuple(secrets)  # values the model's replies may never show (the API key)
        self.model = model_name(llm, model) if llm is not None else ""
        self.retriever = retriever
        self.clock = clock or time.time
        self.token_budget, self.max_turns, self.max_answer_chars = token_budget, max_turns, max_answer_chars
        self.conductor = Conductor(self)
        self._rubrics: dict[str, Rubric] = {}
        self._notes: dict[str, list[str]] = {}

    @property
    def mode(self) -> str:
        """'offline', or the model's name (never a key or URL)."""
        return self.model if self.llm is not None else "offline"

    # -- public API ----------------------------------------------------------------------
    def start(self, plan: InterviewPlan, recent_question_ids: Sequence[str] = (), session_id: str | None = None) -> Session:
        """A new session holding the mode notice, the intro and the first question."""
        sid = session_id or uuid.uuid4().hex[:12]
        questions = choose_questions(self.guide, plan, recent_question_ids, seed=sid)
        now = self.clock()
        s = Session(id=sid, plan=plan, mode=self.mode, question_ids=[q.id for q in questions], started_at=now)
        mode = phrasing.say("mode.llm", sid, model=self.model) if self.llm is not None else phrasing.say("mode.offline", sid)
        s.turns.append(Turn(role="system", text=mode, kind="mode", at=now))
        tracks = describe_tracks(questions)
        plan_text = phrasing.say("intro.plan_one" if len(questions) == 1 else "intro.plan_many", sid, n=len(questions), tracks=tracks)
        s.turns.append(Turn(role="interviewer", text=phrasing.say("intro", f"{sid}:0", level=plan.level, plan=plan_text), kind="intro", at=now))
        question_text = self.open_question(s, now)
        s.turns.append(Turn(role="interviewer", text=phrasing.say("ask.first", f"{sid}:1", question=question_text),
                            kind="question", question_id=s.question_ids[0], at=now))
        return s

    def reply(self, session: Session, message: str) -> Iterator[str]:
        """Yield the interviewer's answer to ``message`` (token chunks with an LLM, one piece offline).

        The session holds both turns, hidden notes and the latest scorecard once the
        iterator is exhausted.
        """
        if session.finished or session.record is None:
            if not session.finished:  # a stored session with no open question: finish it properly
                self.end(session)
            yield phrasing.say("finished", session.id)
            return
        now = self.clock()
        text, clipped = self._clean(message)
        rec = session.record
        q = self.guide.question(rec.question_id)
        intent = classify(text, q)
        if len(session.turns) >= self.max_turns:
            intent = "end"
        if intent != "empty":
            session.turns.append(Turn(role="candidate", text=text, kind=intent, question_id=q.id, at=now))
        if clipped:
            session.turns.append(Turn(role="system", text=clipped, kind="notice", question_id=q.id, at=now))
        seed = f"{session.id}:{len(session.turns)}"
        step = self.conductor.decide(session, rec, q, intent, text, now, seed)
        if step.finish:
            step = self._wrap(session, step, now, seed, turn_limit=len(session.turns) >= self.max_turns)
        target = f"; target={step.extra['target']}" if step.extra.get("target") else ""
        session.notes.append(HiddenNote(turn=len(session.turns), question_id=q.id, move=step.kind,
                                        text=f"intent={intent}; {step.note}{target}"))
        current = self.guide.question(session.question_ids[session.current])
        yield from self._speak(session, current, step, now)
        if session.report is not None:
            session.report.usage = session.usage.model_copy(deep=True)

    def end(self, session: Session) -> FinalReport:
        """Finish the interview now (idempotent): final scorecards, overruns, hints, report."""
        if session.finished and session.report is not None:
            return session.report
        now = self.clock()
        seed = f"{session.id}:{len(session.turns)}"
        if session.record is not None:
            self.close_question(session, now)
        step = self._wrap(session, Step("wrapup", "", "ended by the app", finish=True, wrap="early"), now, seed)
        session.turns.append(Turn(role="interviewer", text=step.draft, kind="wrapup", at=now))
        session.notes.append(HiddenNote(turn=len(session.turns), move="wrapup", text=step.note))
        return session.report

    # -- used by the conductor -----------------------------------------------------------
    def rubric(self, q: Question) -> Rubric:
        if q.id not in self._rubrics:
            self._rubrics[q.id] = rubric_for_question(q)
        return self._rubrics[q.id]

    def _assess(self, rec: QuestionRecord, q: Question) -> set[str] | None:
        if not rec.phases:
            return None
        reached, phased = phases.reached_dimensions(rec), phases.all_phase_dimensions()
        return {d.id for d in self.rubric(q).dimensions if d.id not in phased or d.id in reached}

    def grade_text(self, q: Question, text: str) -> Scorecard:
        """One message on its own (to spot gibberish or injection in just this message)."""
        try:
            return self.grader.grade(q, text, rubric=self.rubric(q))
        except InputError:
            return self.grader.grade(q, "", rubric=self.rubric(q))

    def grade(self, s: Session, rec: QuestionRecord, q: Question, *, final: bool = False) -> Scorecard:
        """Grade everything said on this question as one coverage state; store it as the latest
        scorecard once there is an answer."""
        text, assess = "\n\n".join(rec.answers), self._assess(rec, q)
        replies = [(key, answer) for key, answer in zip(rec.answer_targets, rec.answers) if key]
        if final and self.judge is not None and hasattr(self.judge, "grade_with_usage"):
            card, calls = self.judge.grade_with_usage(q, text, rubric=self.rubric(q), assess=assess, replies=replies)
            for call in calls:
                s.usage.add(call)
        else:
            card = self.grader.grade(q, text, rubric=self.rubric(q), assess=assess, replies=replies)
        card = accumulate(card, rec, self.rubric(q), _phase_dimensions)
        if rec.answers:  # the outline a candidate reads is their own answer, improved, not the rubric's list
            card = card.model_copy(update={"outline": improved_outline(card, rec)})
        hints = s.hints_for(q.id)
        if hints:
            level, reasons = level_verdict(card.overall, card.dimensions, card.flags, hints)
            card = card.model_copy(update={"level": level, "level_reasons": reasons})
        card = overall.explain(card, hints)
        rec.covered = list(dict.fromkeys(rec.covered + covered_keys(card)))
        if rec.answers:  # the live score appears once there is an answer (never for a hint or a question)
            s.scorecards[q.id] = card
        return card

    def open_question(self, s: Session, now: float) -> str:
        """Start the record of the current question; returns the text to ask."""
        q = self.guide.question(s.question_ids[s.current])
        rec = QuestionRecord(question_id=q.id, number=s.current + 1, asked_at=now, last_prompt=q.text)
        s.records.append(rec)
        text = q.text if q.text.rstrip()[-1:] in ".?!" else q.text.rstrip() + "."
        rec.last_prompt = text
        if q.is_system_design:
            spec = phases.begin(rec, now)
            return f"{text} {spec.ask_text()}"
        return text

    def close_question(self, s: Session, now: float, skipped: bool = False) -> None:
        """Final grade of the current question (with the judge, if any) and its status."""
        rec = s.record
        if rec is None:
            return
        phases.end_current(rec, now)
        release_off_topic(rec)
        answered = any(t.role == "candidate" and t.kind in ("answer", "dont_know") and t.question_id == rec.question_id for t in s.turns)
        if answered and rec.answers:
            self.grade(s, rec, self.guide.question(rec.question_id), final=True)
            rec.status = "answered"
        else:
            s.scorecards.pop(rec.question_id, None)
            rec.status = "skipped" if skipped else "not answered"

    # -- internals -----------------------------------------------------------------------
    def _clean(self, message) -> tuple[str, str]:
        text = _CONTROL.sub("", message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message or "")).strip()
        if len(text) > self.max_answer_chars:
            return text[: self.max_answer_chars], f"Your message was longer than {self.max_answer_chars:,} characters; only the first {self.max_answer_chars:,} were kept."
        return text, ""

    def _wrap(self, s: Session, step: Step, now: float, seed: str, turn_limit: bool = False) -> Step:
        report = self._finish(s)
        card = report.scorecard
        answered = sum(q.status == "answered" for q in report.questions)
        summary = phrasing.summary(answered, len(report.questions), card.overall if card else None, card.level if card else "", seed)
        if step.wrap == "abusive":
            step.draft = phrasing.join(phrasing.say("abusive.end", seed), summary)
        else:
            step.draft = phrasing.join(step.lead, phrasing.say("wrapup.turn_limit" if turn_limit else f"wrapup.{step.wrap}", seed, summary=summary))
        step.kind = "wrapup"
        return step

    def _finish(self, s: Session) -> FinalReport:
        s.finished = True
        s.report = build_report(s, {q.id: q.text for q in self.guide.questions}, self.guide)
        return s.report

    def _speak(self, s: Session, q: Question, step: Step, now: float) -> Iterator[str]:
        """Say the step: the draft offline; the LLM's phrasing (streamed) otherwise, with fallback."""
        qid = None if step.kind == "wrapup" else q.id
        if self.llm is None:
            yield step.draft
            s.turns.append(Turn(role="interviewer", text=step.draft, kind=step.kind, question_id=qid, at=now))
            return
        notes = self._guide_notes(q)
        messages, _ = build_messages(s, q, {x.id: x.text for x in self.guide.questions}, move=step.kind, draft=step.draft,
                                     guide_notes=notes, budget=self.token_budget, model=self.model)
        stream = ChatStream(self.llm, messages, purpose="interviewer", model=self.model, turn=len(s.turns))
        guard = self._guard(s, q, step, messages)
        started, shown, reply, seen = False, "", "", ""
        pieces = iter(stream)
        try:
            for piece in pieces:
                reply += piece
                seen = guard.redact(reply)  # what may be shown: never the API key, should the model echo it
                if guard.leak(seen):
                    pieces.close()  # stop listening: nothing of it has been shown yet
                    break
                safe = guard.safe_prefix(seen)  # the last few words wait until the next piece clears them
                if len(safe) > len(shown):
                    started = True
                    yield safe[len(shown):]
                    shown = safe
            problem = guard.problem(seen)
            if problem:
                raise LLMError(problem)
            if len(seen) > len(shown):
                yield seen[len(shown):]
            text = guard.redact(stream.text)
        except LLMError as exc:
            if len(seen) > len(shown) and not guard.leak(seen):
                yield seen[len(shown):]  # what the model said before failing stays said (it reveals nothing)
                started = True
            notice = phrasing.say("notice.llm_fallback", s.id, reason=str(exc))
            yield ("\n" if started else "") + notice + "\n" + step.draft
            s.turns.append(Turn(role="system", text=notice, kind="notice", question_id=qid, at=now))
            text = step.draft
        finally:
            for call in stream.calls:
                s.usage.add(call)
        s.turns.append(Turn(role="interviewer", text=text, kind=step.kind, question_id=qid, at=now))

    def _guard(self, s: Session, q: Question, step: Step, messages) -> TurnGuard:
        """What this turn's phrasing may not reveal (prompts, notes, rubric, example) and must keep."""
        example = [q.example.headline, *q.example.bullets] if q.example else []
        private = [str(m.content) for m in messages] + ["\n".join(example)] + [n.text for n in s.notes]
        points = [p.text for part in q.parts for p in part.points]
        # The turns as the prompt's window labels them too: a model quoting a turn with its label reveals nothing.
        public = [f"Candidate: <candidate>{t.text}</candidate>" if t.role == "candidate" else f"Interviewer: {t.text}"
                  for t in s.turns]
        public += [self.guide.question(qid).text for qid in s.question_ids]
        return TurnGuard(move=step.kind, draft=step.draft, private=private, points=points, example=example, public=public,
                         question=q.text, secrets=self.secrets)

    def _guide_notes(self, q: Question) -> list[str]:
        if q.id not in self._notes:
            notes: list[str] = []
            if self.retriever is not None:
                try:
                    notes = list(self.retriever(q))
                except Exception:  # an index that is missing or down must not stop the interview
                    notes = []
            example = {b.lower() for b in (q.example.bullets + [q.example.headline] if q.example else []) if b}
            example.add(q.example_part_title.lower() + ":")
            # Belt and braces: no note that carries the example answer reaches the model.
            notes = [n for n in notes if not any(e in n.lower() for e in example)]
            self._notes[q.id] = notes or guide_notes(q)
        return self._notes[q.id]
