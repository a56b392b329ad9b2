"""The interview service on its own: the candidate's message is stored before grading, so a turn
cut off mid-way (a crash in grading or phrasing, a lost connection) loses nothing, and the
message comes back when the session is reopened — in the app, over the API and in the terminal."""
from __future__ import annotations

import pytest

from interviewer.errors import InputError
from interviewer.interview import InterviewPlan
from interviewer.ui import interview

from test_ui_support import guide_index, make_context, needs_engine  # noqa: F401  (fixtures)

QID = "how-do-you-handle-database-transactions-and-consistency"
ANSWER = "I keep transactions short, pick the isolation level per use case and use the outbox pattern for events."


@pytest.fixture
def ctx(settings, guide, embedder, guide_index):
    needs_engine()
    return make_context(settings, guide, embedder, guide_index)


class Boom(RuntimeError):
    pass


def test_a_turn_cut_off_mid_reply_keeps_the_message_and_offers_it_again(ctx, monkeypatch):
    service = ctx.service
    session = service.start(InterviewPlan(question_id=QID, n_questions=1), "alice")
    turns_before = len(session.turns)

    def crashing_reply(s, message):
        yield "Thanks, let me"
        raise Boom("the grader died")  # e.g. the process is killed while grading

    monkeypatch.setattr(service.interviewer, "reply", crashing_reply)
    with pytest.raises(Boom):
        service.reply_all(session, ANSWER, "alice")
    monkeypatch.undo()

    stored = ctx.store.load_session(session.id)
    assert len(stored.turns) == turns_before, "no half turn was saved"
    assert ctx.store.pending_message(session.id) == ANSWER, "but the message itself was"
    resumed = interview.resume_session(ctx, session.id, "alice")
    assert resumed.pending == ANSWER, "the app puts it back in the answer box"
    assert service.state(stored).pending == ANSWER

    reply = service.reply_all(stored, ANSWER, "alice")  # sent again: answered and committed
    assert reply and ctx.store.pending_message(session.id) == ""
    assert [t.text for t in ctx.store.load_session(session.id).turns if t.role == "candidate"] == [ANSWER]


def test_ownership_and_bad_messages_are_refused_with_what_to_do(ctx):
    service = ctx.service
    session = service.start(InterviewPlan(question_id=QID, n_questions=1), "alice")
    with pytest.raises(InputError, match="No session"):
        service.load(session.id, "mallory")
    assert service.load(session.id, "alice").id == session.id
    for bad, message in (("   ", "Type your answer"), (b"\x00\x01binary", "binary")):
        with pytest.raises(InputError, match=message):
            service.reply_all(session, bad, "alice")
    assert ctx.store.pending_message(session.id) == "", "a refused message is not held"
    service.end(session, "alice")
    with pytest.raises(InputError, match="has ended"):
        service.reply_all(session, ANSWER, "alice")
