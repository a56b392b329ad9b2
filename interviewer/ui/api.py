"""Stable, named API endpoints for scripts (``gradio_client``), separate from the UI's events.

The UI's own events are private; these endpoints are the public contract, typed by their
signatures (``gr.api``) and stateless between calls: an interview is addressed by its
session id and lives in the session store, so any app replica can serve the next turn.
Sessions started here belong to the owner ``"api"`` (they do not show in browsers' history).
Every interview endpoint goes through :class:`~interviewer.interview_service.InterviewService`,
the same code as the app's callbacks and ``interviewer chat``.
Failures reach the client as ``AppError`` with the same friendly message the UI shows.
"""
from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Iterator
from typing import Any

import gradio as gr

from interviewer.errors import InputError
from interviewer.ui import interview, transcript
from interviewer.ui.context import AppContext
from interviewer.interview.guard import redact
from interviewer.ui.errors import friendly
from interviewer.ui.guide_tab import MAX_K

API_OWNER = "api"


def _scorecard_payload(card: Any) -> dict[str, Any] | None:
    if card is None:
        return None
    return {"overall": card.overall, "level": card.level, "markdown": card.to_markdown(), "scorecard": card.model_dump(mode="json")}


def _load(ctx: AppContext, session_id: str) -> Any:
    # Only the API's own sessions: a browser's or a terminal user's interview is theirs, and a
    # reply through the API would otherwise re-save it under the API's owner.
    try:
        return ctx.service.load(session_id, API_OWNER)
    except InputError:
        raise InputError(f"No session with id '{session_id}'. Start one with /start_interview.") from None


def _state(ctx: AppContext, session: Any) -> dict[str, Any]:
    state = ctx.service.state(session)
    return {
        "session_id": state.session_id,
        "mode": session.mode,
        "finished": state.finished,
        "messages": transcript.turns_to_messages(session.turns),
        "scorecard": _scorecard_payload(state.scorecard),
        "report_markdown": transcript.report_markdown(state.report),
        "pending": state.pending,
    }


def register_api(ctx: AppContext) -> None:
    """Declare the endpoints inside the current ``gr.Blocks``."""

    def list_questions(track: str = "") -> list[dict]:
        """The guide's questions: id, track and text (optionally of one track, e.g. "system-design")."""
        return [{"id": q.id, "track": q.track, "text": q.text} for q in ctx.guide.questions if not track or q.track == track]

    def draft_feedback(question: str, draft: str, model_answer: str = "") -> dict:
        """Grade a draft. question: a guide question id or its text, or your own question (then model_answer, optional, becomes the rubric). Returns overall, level, markdown and the full scorecard."""
        q = (question or "").strip()
        if not q:
            raise InputError("Give a question: a guide question id, its text, or your own question.")
        if not (draft or "").strip():
            raise InputError("The draft is empty.")
        target = next((x for x in ctx.guide.questions if x.id == q), None) or q
        return _scorecard_payload(ctx.grader.grade(target, draft, reference=(model_answer or "").strip() or None))

    def start_interview(track: str = "mixed", n_questions: int = 3, level: str = "senior", question_id: str = "") -> dict:
        """Start a mock interview. track: "mixed" or a track id; n_questions 1-6; level "senior" or "staff"; question_id (optional): ask exactly this guide question. Returns session_id, mode and the interviewer's first messages."""
        if not 1 <= int(n_questions) <= 6:
            raise InputError("n_questions must be between 1 and 6.")
        if track != interview.MIXED and track not in ctx.guide.tracks():
            raise InputError(f"Unknown track '{track}'. Use 'mixed' or one of: {', '.join(ctx.guide.tracks())}.")
        if question_id:
            ctx.guide.question(question_id)  # an unknown id is refused with the guide's own message
        view = next(interview.start_interview(ctx, track, n_questions, level, API_OWNER, question_id=question_id or None))
        return _state(ctx, view.session)

    def interview_reply(session_id: str, message: str) -> Iterator[str]:
        """Send the candidate's message; streams the interviewer's reply (the final value is the whole reply). The message is stored before grading and the turn is saved when the reply is complete."""
        session = _load(ctx, session_id)
        text = ""
        for chunk in ctx.service.reply(session, message, API_OWNER):
            text += chunk
            yield text
        if not text:
            yield ""

    def interview_state(session_id: str) -> dict:
        """A session's messages, latest scorecard, whether it is finished, the final report if any, and a message whose turn was cut off (pending)."""
        return _state(ctx, _load(ctx, session_id))

    def end_interview(session_id: str) -> dict:
        """End the interview: returns the final state including report_markdown."""
        return _state(ctx, interview.end_interview(ctx, _load(ctx, session_id), API_OWNER).session)

    def export_session(session_id: str) -> dict:
        """The transcript with scorecards and report as Markdown, and the session as JSON data."""
        session = _load(ctx, session_id)
        return {"markdown": transcript.session_markdown(session), "session": transcript.session_data(session)}

    def search_guide(query: str, k: int = 5) -> list[dict]:
        """Semantic search over the guide index; each hit has text, citation, kind, question_id and score."""
        if not (query or "").strip():
            raise InputError("The search query is empty.")
        hits = ctx.index.search(query[:500], k=max(1, min(int(k), MAX_K)))
        return [{"text": h.text, "citation": h.citation, "kind": h.kind, "question_id": h.question_id,
                 "score": round(h.score, 4)} for h in hits]

    for fn in (list_questions, draft_feedback, start_interview, interview_reply, interview_state, end_interview,
               export_session, search_guide):
        gr.api(friendly(_scrubbed(fn, ctx.secrets), ctx.secrets), api_name=fn.__name__)


def _scrubbed(fn, secrets: tuple[str, ...]):
    """The endpoint with secret values removed from whatever it returns or streams."""
    if not any(secrets):
        return fn

    def clean(value):
        return json.loads(redact(json.dumps(value, ensure_ascii=False), secrets))

    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def gen(*args, **kwargs):
            for value in fn(*args, **kwargs):
                yield clean(value)

        return gen

    @functools.wraps(fn)
    def plain(*args, **kwargs):
        return clean(fn(*args, **kwargs))

    return plain
