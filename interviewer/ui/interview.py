"""Mock interview: start, stream the interviewer's replies, score live, end with a report.

The behaviour is in plain generator functions over the interview service
(:func:`start_interview`, :func:`send_answer`, :func:`end_interview`, :func:`resume_session`)
that yield :class:`InterviewView` snapshots; :mod:`interviewer.ui.interview_tab` maps those onto
components. Storing, grading and redaction happen in :mod:`interviewer.interview_service`, the
same code the API and the CLI use; this module only renders.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from typing import Any

from interviewer.errors import InputError
from interviewer.guide import Guide
from interviewer.guide.model import TRACK_TITLES
from interviewer.ui import cards, report_view, transcript
from interviewer.ui.context import AppContext
from interviewer.interview.guard import redact
from interviewer.interview_service import MAX_MESSAGE_CHARS  # noqa: F401  (re-exported)
from interviewer.ui.exports import write_pair

MIXED = "mixed"
LEVELS = ("senior", "staff")


@dataclass
class InterviewView:
    """Everything the tab shows for one moment of an interview."""

    session: Any | None
    messages: list[dict[str, str]] = field(default_factory=list)
    status_html: str = ""
    card_html: str = ""
    report_md: str = ""  # the on-screen summary (the full report is in the downloads)
    report_html: str = ""  # one scorecard card per answered question
    files: tuple[str, str] | None = None
    accepting: bool = False  # whether the candidate can type (started, not finished, not streaming)
    streaming: bool = False  # a partial reply is on screen
    pending: str = ""  # a message that was stored but whose turn was cut off: put back in the answer box


def track_choices(guide: Guide) -> list[tuple[str, str]]:
    """(label, value) for the Track dropdown: mixed first (short enough to fit beside the caret), then each track."""
    return [("Mixed tracks", MIXED)] + [(TRACK_TITLES.get(t, qs[0].track_title), t) for t, qs in guide.tracks().items()]


def _phase(session: Any, now: float | None) -> Any | None:
    """The engine's ``PhaseInfo`` (name, seconds_elapsed, budget_s, index, total) or None."""
    getter = getattr(session, "current_phase", None)
    return getter(now) if callable(getter) else None


def _progress(session: Any) -> str:
    total = len(getattr(session, "question_ids", []) or []) or session.plan.n_questions
    asked = len(getattr(session, "records", []) or []) or 1
    return f"Question {min(asked, total)} of {total}"


def status_html(mode: str, session: Any | None, now: float | None = None, reason: str = "") -> str:
    """The mode badge and why that mode, then progress and the phase timer (system design) or "finished".

    ``mode`` is the session's (a resumed interview keeps the model it was run with); ``reason`` is
    the app's current one (:attr:`AppContext.mode_reason`), shown only when the two modes agree.
    """
    kind = "badge-offline" if mode == "offline" else "badge-llm"
    title = "Deterministic interviewer and grader from the guide" if mode == "offline" else "Phrasing and narrative by this model"
    badges = [f'<span class="badge {kind}" id="mode-badge" title="{title}"><span class="dot"></span>{escape(mode)}</span>']
    if session is not None:
        if session.finished:
            badges.append('<span class="badge badge-done">✓ Finished</span>')
        else:
            badges.append(f'<span class="badge">{_progress(session)}</span>')
            phase = _phase(session, now)
            if phase is not None:
                elapsed, budget = float(phase.seconds_elapsed), int(phase.budget_s)
                over = " badge-over" if elapsed > budget else ""
                badges.append(f'<span class="badge badge-phase{over}" id="phase-badge" title="System-design phase and its time budget">'
                              f'Phase {phase.index + 1}/{phase.total}: {escape(phase.name)} · '
                              f'<span class="phase-timer" data-elapsed="{elapsed:.0f}" data-budget="{budget}">'
                              f'{int(elapsed) // 60}:{int(elapsed) % 60:02d} / {budget // 60}:{budget % 60:02d}</span></span>')
    if reason:  # last, so the badges keep their place and a long reason wraps on its own
        badges.append(f'<span class="mode-why" id="mode-why">{escape(reason)}</span>')
    return f'<div class="badges">{"".join(badges)}</div>'


def _now(ctx: AppContext) -> float | None:
    """The interviewer's clock (phase timers must use the clock the engine stamps turns with)."""
    clock = getattr(ctx.interviewer, "clock", None) if ctx.make_interviewer is not None else None
    return clock() if callable(clock) else None


def view_of(ctx: AppContext, session: Any | None, *, extra: list[dict[str, str]] | None = None,
            streaming: bool = False, with_files: bool = True, pending: str = "") -> InterviewView:
    """Snapshot of a session; ``extra`` messages (the turn in flight) are appended to the chat."""
    if session is None:
        return InterviewView(None, status_html=status_html(ctx.mode, None, reason=ctx.mode_reason),
                             card_html=cards.empty_card("Start an interview: your scorecard updates after each answer."))
    final = transcript.final_report(session)
    combined = getattr(final, "scorecard", None)
    card = combined if combined is not None else session.current_scorecard()
    files = None
    if with_files and not streaming:
        files = write_pair(f"interview-{session.id[:8]}", transcript.session_markdown(session),
                           transcript.session_data(session), ctx.secrets)
    return scrub(ctx, InterviewView(
        session=session,
        messages=transcript.turns_to_messages(session.turns) + (extra or []),
        status_html=status_html(session.mode, session, _now(ctx), reason=ctx.mode_reason if session.mode == ctx.mode else ""),
        card_html=cards.scorecard_html(card, heading="Whole interview" if combined is not None else "") if card is not None else cards.empty_card("Your scorecard appears here after your first answer."),
        report_md=report_view.summary_markdown(final),
        report_html=report_view.question_cards_html(final),
        files=files,
        accepting=not session.finished and not streaming,
        streaming=streaming,
        pending=pending,
    ))


def scrub(ctx: AppContext, view: InterviewView) -> InterviewView:
    """Remove secret values from everything shown (a model could echo a key it should never have seen)."""
    secrets = ctx.secrets
    if any(secrets):
        view.messages = [{**m, "content": redact(m["content"], secrets)} for m in view.messages]
        view.status_html, view.card_html = redact(view.status_html, secrets), redact(view.card_html, secrets)
        view.report_md, view.report_html = redact(view.report_md, secrets), redact(view.report_html, secrets)
    return view


def start_interview(ctx: AppContext, track: str | None, n_questions: int | float, level: str | None,
                    owner: str, question_id: str | None = None) -> Iterator[InterviewView]:
    """Plan and start an interview, avoiding questions this user saw recently; saved at once."""
    from interviewer.interview import InterviewPlan

    if level not in LEVELS:
        raise InputError("Choose a level: senior or staff.")
    tracks = None if not track or track == MIXED else [track]
    plan = InterviewPlan(tracks=tracks, n_questions=int(n_questions), level=level, question_id=question_id or None)
    yield view_of(ctx, ctx.service.start(plan, owner))


def send_answer(ctx: AppContext, message: str, session: Any | None, owner: str) -> Iterator[InterviewView]:
    """Stream the interviewer's reply to ``message``; the service saves the turn when it completes."""
    message = ctx.service.check_message(session, message)
    before = transcript.turns_to_messages(session.turns)
    you = {"role": "user", "content": message}
    view = view_of(ctx, session, extra=[you, {"role": "assistant", "content": "…"}], streaming=True)
    yield view
    text = ""
    for chunk in ctx.service.reply(session, message, owner):
        text += chunk
        view.messages = before + [you, {"role": "assistant", "content": text or "…"}]
        yield scrub(ctx, view)
    yield view_of(ctx, session)


def end_interview(ctx: AppContext, session: Any | None, owner: str) -> InterviewView:
    """Wrap up: the engine writes the final report onto the session; saved, then shown."""
    if session is None:
        raise InputError("There is no interview to end yet.")
    ctx.service.end(session, owner)
    return view_of(ctx, session)


def restore_session(ctx: AppContext, session_id: str | None, owner: str) -> InterviewView | None:
    """On page load: the interview this browser had in progress, or None (gone, finished, or not this owner's)."""
    if not session_id:
        return None
    try:
        view = resume_session(ctx, session_id, owner)
    except InputError:
        return None
    return view if not view.session.finished else None


def resume_session(ctx: AppContext, session_id: str | None, owner: str) -> InterviewView:
    """Load one of this user's stored sessions into this browser session (finished ones open read-only).

    A message whose turn was cut off (a crash, a lost connection) is put back in the answer box.
    """
    if not session_id:
        raise InputError("Pick a session from the list first.")
    try:
        session = ctx.service.load(session_id, owner)  # an indexed ownership check, not a scan of the history
    except InputError:
        raise InputError("That session no longer exists.") from None
    return view_of(ctx, session, pending=ctx.service.state(session).pending)
