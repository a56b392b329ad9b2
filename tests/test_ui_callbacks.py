"""UI callbacks as plain functions: draft feedback, guide, history, rendering, errors, exports."""
from __future__ import annotations

import json
import logging
from pathlib import Path

import gradio as gr
import pytest

from interviewer.errors import InputError, UnknownQuestionError
from interviewer.store import SessionSummary
from interviewer.ui import cards, draft, guide_tab, history, history_view
from interviewer.interview.guard import redact
from interviewer.ui.errors import GENERIC_MESSAGE, friendly
from interviewer.ui.exports import write_pair
from interviewer.ui.identity import ensure_owner, owner_of

from test_ui_support import guide_index, ui_ctx  # noqa: F401  (fixtures)

QID = "design-a-payment-processing-system-for-a-fintech-company"
THIN = "I would use a database and an API. It should be fast."
RICH = ("First I'd clarify requirements: transactions per second, latency targets, uptime and PCI DSS compliance. "
        "An API gateway handles rate limiting and authentication; the payment service validates transactions; "
        "Kafka as the message queue gives async processing and reliability, chosen over RabbitMQ for replay at the cost "
        "of operational complexity. Fraud detection scores each payment in real time, and the database keeps an audit trail. "
        "At my last company I led a payments platform handling 10M transactions a day and we cut failures by 30%.")


def test_draft_feedback_scores_and_shows_the_change(ui_ctx):
    first = draft.grade_draft(ui_ctx, QID, "", "", THIN, None)
    assert "sc-dims" in first.card_html and "Requirements Clarification" in first.card_html
    assert "Missing points" in first.gaps_md and "Guide:" in first.gaps_md
    assert "Edit your draft" in first.delta_html  # nothing to compare with yet
    second = draft.grade_draft(ui_ctx, QID, "", "", RICH, first.memory)
    assert second.card.overall > first.card.overall
    assert "Before" in second.delta_html and "▲" in second.delta_html
    md, js = (Path(p) for p in second.files)
    assert md.suffix == ".md" and "Your draft" in md.read_text() and "Scorecard" in md.read_text()
    data = json.loads(js.read_text())
    assert data["scorecard"]["question_id"] == QID and data["previous_overall"] == first.card.overall
    # A different question is not compared with the previous one.
    other = draft.grade_draft(ui_ctx, ui_ctx.guide.questions[1].id, "", "", RICH, second.memory)
    assert "Edit your draft" in other.delta_html


def test_draft_feedback_own_question_with_model_answer(ui_ctx):
    result = draft.grade_draft(ui_ctx, draft.OWN, "How do you roll out a risky schema change?",
                               "Use expand and contract migrations. Backfill in batches. Feature-flag the reads.",
                               "We expand the schema first, backfill in small batches, then flip reads behind a flag.", None)
    assert result.card.rubric_source == "reference"
    assert "roll out a risky schema change" in result.card_html


@pytest.mark.parametrize(("choice", "own", "text", "message"), [
    (QID, "", "   ", "Paste your draft"),
    (draft.OWN, " ", "An answer", "Type your question"),
    (None, "", "An answer", "Choose a question"),
])
def test_draft_feedback_input_errors(ui_ctx, choice, own, text, message):
    with pytest.raises(InputError, match=message):
        draft.grade_draft(ui_ctx, choice, own, "", text, None)


def test_scorecard_escapes_the_candidates_words(ui_ctx):
    hostile = RICH + " <script>alert('x')</script> <img src=x onerror=alert(1)>"
    html = draft.grade_draft(ui_ctx, QID, "", "", hostile, None).card_html
    assert "<script>" not in html and "<img" not in html


def test_empty_and_not_assessed_cards_render():
    assert "after your first answer" in cards.scorecard_html(None)
    assert cards.gaps_markdown(None) == ""


def test_question_preview_and_choices(ui_ctx):
    choices = draft.question_choices(ui_ctx.guide)
    assert choices[0][1] == draft.OWN and len(choices) == len(ui_ctx.guide.questions) + 1
    assert "Requirements Clarification" in draft.question_preview(ui_ctx, QID)
    with pytest.raises(UnknownQuestionError):
        draft.question_preview(ui_ctx, "no-such-question")


def test_guide_browse_and_search(ui_ctx):
    tracks = dict((v, k) for k, v in guide_tab.track_choices(ui_ctx.guide))
    assert "system-design" in tracks
    qs = guide_tab.question_choices(ui_ctx.guide, "system-design")
    assert qs and all(ui_ctx.guide.question(v).track == "system-design" for _, v in qs)
    md = guide_tab.question_markdown(ui_ctx.guide.question(QID))
    assert "1. Requirements Clarification" in md and "```text" in md  # the architecture diagram stays a diagram
    assert "Common pitfalls" in guide_tab.frameworks_markdown(ui_ctx.guide)
    hits = guide_tab.search_html(ui_ctx, "fraud detection for payments", 3)
    assert hits.count("similarity") == 3 and "›" in hits  # every hit carries its guide citation
    assert "<li>" in hits and " - " not in hits  # list items are a list, not flattened text
    assert "hit-body" in hits and "Example from Experience" in hits  # a hit opens onto its framework and example
    assert "Type what you are looking for" in guide_tab.search_html(ui_ctx, "  ", 3)


def test_guide_search_on_an_empty_index_says_what_to_do(ui_ctx, settings, embedder):
    from interviewer.index import GuideIndex

    empty = GuideIndex(settings, embedder)
    ui_ctx.make_index = lambda: empty
    assert "run <code>interviewer ingest</code>" in guide_tab.search_html(ui_ctx, "caching", 3).lower()
    empty.close()


def _summary(i: int, owner: str = "me", finished: bool = True) -> SessionSummary:
    from interviewer.store.base import DimensionPoint, QuestionSummary

    dims = [DimensionPoint(title="Requirements", kind="framework", score=2.0 + i),
            DimensionPoint(title="Weighs trade-offs", kind="cross", score=1.0 + i)]
    return SessionSummary(id=f"s{i}", owner=owner, created_at=1_700_000_000 + i * 86400, updated_at=1_700_000_000 + i * 86400,
                          tracks=["backend"], question_ids=["q1"], n_questions=1 if finished else 3, n_turns=4,
                          finished=finished, overall=2.0 + i, dimension_scores={"Weighs trade-offs": 1.0 + i},
                          questions=[QuestionSummary(question_id=QID, question="Design payments", overall=2.0 + i, dimensions=dims)])


def test_history_table_choices_and_charts(ui_ctx):
    rows = [_summary(2), _summary(1, finished=False)]
    table = history_view.history_html(rows)
    assert ">1 of 3<" in table and "in progress" in table and "finished" in table  # asked of planned, not "1 q"
    assert history_view.started(rows[0]) in table  # the table and the charts show the same clock
    assert history_view.session_choices(rows)[0][1] == "s2"
    labels, charts = history_view.progress_charts(rows, ui_ctx.guide)
    assert labels == [history_view.started(r, "%m-%d %H:%M") for r in reversed(rows)]  # oldest first
    titles = [c.title for c in charts]
    assert titles == ["Overall", history_view.FRAMEWORK_CHART, "Weighs trade-offs"]  # the scorecard's own labels
    assert [s.name for s in charts[0].series] == ["System design"]  # overall: one line per track
    assert [s.name for s in charts[2].series] == ["Design payments"]  # a dimension: one line per question
    html = history_view.progress_html(rows, ui_ctx.guide)
    assert html.count("<svg") == 3 and "<img" not in html
    assert "No interviews yet" in history_view.history_html([]) and "first graded answer" in history_view.progress_html([], ui_ctx.guide)


def _stored_sessions(ctx, owner: str, n: int, prefix: str = "s") -> list[str]:
    """``n`` real sessions of ``owner`` in the context's store (one interview started, saved under ``n`` ids)."""
    from interviewer.interview import InterviewPlan

    first = ctx.service.start(InterviewPlan(question_id=QID, n_questions=1), owner)
    ids = [f"{prefix}{i:03d}" for i in range(n)]
    for sid in ids:
        ctx.store.save_session(first.model_copy(update={"id": sid}), owner=owner)
    ctx.store.delete(first.id)
    return ids


def test_history_delete_can_be_undone(ui_ctx):
    from interviewer.ui.deletions import PendingDeletions

    me = ensure_owner("")
    [sid] = _stored_sessions(ui_ctx, me, 1)
    ui_ctx.deletions = PendingDeletions(delay=60)
    history.delete_session(ui_ctx, sid, me)
    assert history.list_rows(ui_ctx, me) == [] and ui_ctx.store.load_session(sid) is not None  # hidden now, deleted later
    with pytest.raises(InputError, match="not in your history"):
        history.open_transcript(ui_ctx, sid, me)  # waiting to be deleted: not openable either
    assert not ui_ctx.deletions.undo("someone-else", sid) and ui_ctx.deletions.undo(me, sid)
    assert [r.id for r in history.list_rows(ui_ctx, me)] == [sid]
    deleted = []
    quick = PendingDeletions(delay=0.01)
    quick.schedule("me", "s1", deleted.append)
    import time
    time.sleep(0.2)
    assert deleted == ["s1"] and quick.hidden("me") == set()


def test_history_only_opens_the_owners_sessions(ui_ctx):
    with pytest.raises(InputError, match="Pick a session"):
        history.open_transcript(ui_ctx, None, "me")
    with pytest.raises(InputError, match="not in your history"):
        history.open_transcript(ui_ctx, "someone-elses-session", "me")


def test_history_opens_and_deletes_any_of_the_owners_sessions_however_long_the_history(ui_ctx):
    """The owner check is a lookup in the store, not a search of the 50 newest rows the list shows."""
    me, other = ensure_owner(""), ensure_owner("")
    mine = _stored_sessions(ui_ctx, me, 55)
    [theirs] = _stored_sessions(ui_ctx, other, 1, prefix="t")
    oldest = mine[0]
    assert oldest not in [r.id for r in history.list_rows(ui_ctx, me)]  # beyond the list's 50
    markdown, files = history.open_transcript(ui_ctx, oldest, me)
    assert "payment" in markdown.lower() and all(Path(f).exists() for f in files)
    assert history.delete_session(ui_ctx, oldest, me).id == oldest
    for sid in (theirs, "no-such-session"):
        with pytest.raises(InputError, match="not in your history"):
            history.open_transcript(ui_ctx, sid, me)
        with pytest.raises(InputError, match="not in your history"):
            history.delete_session(ui_ctx, sid, me)
    assert ui_ctx.store.load_session(theirs) is not None


def test_friendly_errors_show_messages_not_tracebacks(caplog):
    def known():
        raise InputError("Paste your draft answer first.")

    def unknown():
        raise KeyError("internal detail sk-secret-123456")

    def gen():
        yield 1
        raise RuntimeError("boom")

    with pytest.raises(gr.Error) as exc:
        friendly(known)()
    assert exc.value.message == "Paste your draft answer first."
    with caplog.at_level(logging.ERROR, logger="interviewer.ui"), pytest.raises(gr.Error) as exc:
        friendly(unknown)()
    assert exc.value.message == GENERIC_MESSAGE and "internal detail" in caplog.text
    wrapped = friendly(gen)()
    assert next(wrapped) == 1
    with pytest.raises(gr.Error) as exc:
        next(wrapped)
    assert exc.value.message == GENERIC_MESSAGE
    with pytest.raises(gr.Error) as exc:
        friendly(lambda: (_ for _ in ()).throw(InputError("key sk-secret-123456 rejected")), ["sk-secret-123456"])()
    assert "sk-secret" not in exc.value.message


def test_exports_redact_secrets(tmp_path):
    md, js = write_pair("x", "key=sk-live-abcdef", {"k": "sk-live-abcdef"}, ("sk-live-abcdef",))
    assert "sk-live" not in Path(md).read_text() and "sk-live" not in Path(js).read_text()
    assert redact("abc", ["", "ab"]) == "abc"  # empty and trivially short values are not secrets


def test_owner_identity():
    minted = ensure_owner("")
    assert minted.startswith("browser:") and ensure_owner(minted) == minted and ensure_owner("x" * 100) != "x" * 100
    assert owner_of(minted, None) == minted and ensure_owner("") != minted  # each browser its own key

    class Req:
        username = "ada"

    assert owner_of(minted, Req()) == "user:ada"


@pytest.mark.parametrize("claimed", ["", "anonymous", "user:ada", "api", "browser:short", "browser:" + "G" * 32])
def test_a_browser_cannot_claim_another_kind_of_owner(claimed):
    """The key comes from the browser: only a minted browser key is taken, never a user's or the API's."""
    with pytest.raises(InputError, match="reload the page"):
        owner_of(claimed, None)
    assert ensure_owner(claimed) != claimed and ensure_owner(claimed).startswith("browser:")


def test_history_shows_how_to_put_terminal_interviews_there():
    key = ensure_owner("")
    help_md = history.owner_key_help(key)
    assert f"interviewer chat --owner {key}" in help_md and f"INTERVIEWER_OWNER={key}" in help_md


def test_app_builds_with_named_api_endpoints(ui_ctx):
    from interviewer.ui import build_app

    app = build_app(ui_ctx)
    public = {fn.api_name for fn in app.fns.values() if fn.api_visibility == "public"}
    assert public == {"list_questions", "draft_feedback", "start_interview", "interview_reply", "interview_state",
                      "end_interview", "export_session", "search_guide"}
