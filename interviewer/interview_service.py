"""The one interview service every door uses: the app's callbacks, the named API and ``interviewer chat``.

One candidate message is one call to :meth:`InterviewService.reply`: check the message,
store it (committed before any grading, so a crash or a lost database connection never
loses it), let the engine grade it, advance the state machine and phrase the reply
(streamed), then persist the whole turn in one transaction — with secret values removed,
since a model or judge could echo a key it should never have seen. Doors only render.

Sessions are addressed by id and live in the store, so any app replica can serve any turn.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from interviewer.errors import InputError
from interviewer.grading.engine import coerce_answer
from interviewer.grading.scorecard import Scorecard
from interviewer.interview import FinalReport, Interviewer, InterviewPlan, Session
from interviewer.interview.guard import redact
from interviewer.store.base import SessionStore

MAX_MESSAGE_CHARS = 40_000  # the grader truncates further (with a note); this only stops pathological pastes
@dataclass(frozen=True)
class InterviewState:
    """What any door shows of a session: its data, the live scorecard, the report, a held message."""

    session: Session
    scorecard: Scorecard | None
    report: FinalReport | None
    pending: str = ""  # a message stored but never answered (its turn was cut off): offer to resend it

    @property
    def session_id(self) -> str:
        return self.session.id

    @property
    def finished(self) -> bool:
        return self.session.finished


class InterviewService:
    """Start, continue, end and load interviews; every turn is stored before and after grading."""

    def __init__(self, interviewer: Interviewer, store: SessionStore, *, secrets: Sequence[str] = (),
                 max_answer_chars: int = 20_000):
        self.interviewer, self.store = interviewer, store
        self.secrets = tuple(s for s in secrets if s)
        # Never below what the grader lets through (it truncates longer answers itself, with a note).
        self.max_message_chars = max(MAX_MESSAGE_CHARS, 2 * max_answer_chars)

    @property
    def mode(self) -> str:
        """'offline' or the model's name (never a key or URL)."""
        return self.interviewer.mode

    def start(self, plan: InterviewPlan, owner: str) -> Session:
        """Plan and start an interview for ``owner``, avoiding questions they saw recently; saved at once."""
        recent = self.store.recent_question_ids(owner=owner)
        session = self.interviewer.start(plan, recent_question_ids=tuple(recent))
        self._save(session, owner)
        return session

    def load(self, session_id: str, owner: str | None = None) -> Session:
        """The stored session; with ``owner``, only that owner's (an indexed lookup, not a scan)."""
        sid = (session_id or "").strip()
        if not sid:
            raise InputError("Give a session id (see `interviewer sessions list`, or the History tab).")
        found_owner = self.store.owner_of(sid)
        session = self.store.load_session(sid) if found_owner is not None and (owner is None or found_owner == owner) else None
        if session is None:
            raise InputError(f"No session with id '{sid}'. List yours with `interviewer sessions list` or in History.")
        return session

    def state(self, session: Session) -> InterviewState:
        """The view of a session any door renders (redacted like everything else it shows)."""
        report = session.report if session.finished else None
        scorecard = report.scorecard if report is not None and report.scorecard is not None else session.current_scorecard()
        return InterviewState(session=session, scorecard=scorecard, report=report,
                              pending=redact(self.store.pending_message(session.id), self.secrets))

    def check_message(self, session: Session | None, message: str | bytes | None) -> str:
        """The message as it will be graded, or an :class:`InputError` that says what to do."""
        if session is None:
            raise InputError("Start an interview first (choose a track and press Start).")
        if session.finished:
            raise InputError("This interview has ended. Start a new one, or open it from History.")
        text = coerce_answer(message or "").strip()  # binary (NUL bytes, mostly control characters) is refused
        if not text:
            raise InputError("Type your answer (or a clarifying question) first.")
        if len(text) > self.max_message_chars:
            raise InputError(f"That message is over {self.max_message_chars:,} characters; please shorten it.")
        return text

    def reply(self, session: Session, message: str | bytes | None, owner: str) -> Iterator[str]:
        """Take one candidate message; yields the interviewer's reply in pieces, then commits the turn.

        ``session`` is updated in place. The message is stored before grading; the turn
        (both messages, scorecard, hidden notes) is saved in one transaction afterwards.
        """
        text = self.check_message(session, message)
        self.store.hold_message(session.id, text)
        for piece in self.interviewer.reply(session, text):
            yield redact(piece, self.secrets)
        self._save(session, owner)

    def reply_all(self, session: Session, message: str | bytes | None, owner: str) -> str:
        """:meth:`reply` without streaming: the whole reply once the turn is saved."""
        return "".join(self.reply(session, message, owner))

    def end(self, session: Session, owner: str) -> FinalReport:
        """Wrap up now (idempotent): final scorecards and the report, saved with the session."""
        report = self.interviewer.end(session)
        self._save(session, owner)
        return report

    def _save(self, session: Session, owner: str) -> None:
        """Save with secret values removed (one transaction; it also clears the held message)."""
        if self.secrets:
            text = session.model_dump_json()
            clean = redact(text, self.secrets)
            if clean != text:
                session = Session.model_validate_json(clean)
        self.store.save_session(session, owner=owner)
