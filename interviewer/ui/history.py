"""History tab: this user's past sessions, their transcripts, resume, delete with undo, progress charts,
and the owner's history key (to put terminal interviews here: see :mod:`interviewer.owners`).

What is shown is rendered by :mod:`interviewer.ui.history_view`; this module lays out the
components and wires thin callbacks. Delete asks first, then can be undone for
:data:`~interviewer.ui.deletions.UNDO_SECONDS` (see :mod:`interviewer.ui.deletions`).
"""
from __future__ import annotations

from html import escape
from typing import Any

import gradio as gr

from interviewer.errors import InputError
from interviewer.owners import is_browser_key
from interviewer.store import SessionSummary
from interviewer.ui import interview, transcript
from interviewer.ui.context import AppContext
from interviewer.ui.deletions import UNDO_SECONDS
from interviewer.ui.errors import friendly
from interviewer.ui.exports import write_pair
from interviewer.ui.history_view import history_html, progress_html, session_choices, started, tracks_label
from interviewer.ui.identity import owner_of
from interviewer.ui.interview_tab import InterviewTab


def list_rows(ctx: AppContext, owner: str) -> list[SessionSummary]:
    """The owner's sessions, newest first, without those waiting to be deleted."""
    hidden = ctx.deletions.hidden(owner)
    return [s for s in ctx.store.list_sessions(owner=owner) if s.id not in hidden]


def _owned(ctx: AppContext, session_id: str | None, owner: str) -> SessionSummary:
    """The owner's session (one indexed lookup in the store, however long the history), not one waiting to be deleted."""
    if not session_id:
        raise InputError("Pick a session from the list first.")
    row = ctx.store.owned_summary(session_id, owner)
    if row is None or row.id in ctx.deletions.hidden(owner):
        raise InputError("That session is not in your history.")
    return row


def owner_key_help(owner: str) -> str:
    """How to put terminal interviews in this History (shown under the key)."""
    how = f"Terminal interviews go here with `interviewer chat --owner {owner}` (or `export INTERVIEWER_OWNER={owner}`)."
    if is_browser_key(owner):  # a bearer secret; a user: key is only ever taken from the login
        return f"{how} Anyone with this key can read this History: keep it like a password."
    return f"{how} You are logged in: this is also the terminal's default owner on an account with that login name."


def open_transcript(ctx: AppContext, session_id: str | None, owner: str) -> tuple[str, tuple[str, str]]:
    """The session's Markdown transcript and its export files (only the owner's sessions)."""
    _owned(ctx, session_id, owner)
    session = ctx.store.load_session(session_id)
    if session is None:
        raise InputError("That session no longer exists.")
    md = transcript.session_markdown(session)
    return md, write_pair(f"interview-{session.id[:8]}", md, transcript.session_data(session), ctx.secrets)


def describe(row: SessionSummary) -> str:
    """How a session is named in the delete question and the undo banner."""
    return f"{tracks_label(row)} interview started {started(row)}"


def delete_session(ctx: AppContext, session_id: str | None, owner: str) -> SessionSummary:
    """Hide the session now and delete it after the undo window; returns what was deleted."""
    row = _owned(ctx, session_id, owner)
    ctx.deletions.schedule(owner, row.id, ctx.store.delete)
    return row


def build_history_tab(ctx: AppContext, owner: gr.BrowserState, tab: InterviewTab, tabs: gr.Tabs) -> tuple[Any, list[Any]]:
    """Lay out the tab; returns the refresh callback and its outputs (the app runs it when the tab opens)."""
    deleted = gr.State(None)  # the id that Undo restores
    with gr.Row(equal_height=False):
        with gr.Column(scale=6, min_width=320):
            gr.Markdown("#### Your interviews (newest first)")
            table = gr.HTML(history_html([]), elem_id="history-table")
            with gr.Row(equal_height=False, elem_classes=["stack-sm", "align-end"]):
                picker = gr.Dropdown([], label="Session", scale=4, min_width=200, elem_id="history-pick")
                refresh = gr.Button("↻ Refresh", size="sm", scale=1, min_width=90, elem_id="history-refresh")
            with gr.Row(elem_classes=["stack-sm"]):
                open_btn = gr.Button("Open transcript", size="sm", min_width=120)
                resume_btn = gr.Button("Resume in Mock interview", size="sm", variant="primary", min_width=170, elem_id="history-resume")
                delete_btn = gr.Button("Delete…", size="sm", variant="stop", min_width=90, elem_id="history-delete")
            with gr.Group(visible=False, elem_id="history-confirm") as confirm_box:
                confirm_text = gr.HTML()
                with gr.Row():
                    confirm_yes = gr.Button("Yes, delete", size="sm", variant="stop", elem_id="history-delete-yes")
                    confirm_no = gr.Button("Keep it", size="sm")
            with gr.Group(visible=False, elem_id="history-undo") as undo_box:
                undo_text = gr.HTML()
                undo_btn = gr.Button("↶ Undo", size="sm", elem_id="history-undo-btn")
            undo_timer = gr.Timer(UNDO_SECONDS, active=False)
        with gr.Column(scale=5, min_width=300):
            gr.Markdown("#### Your scores per dimension over time")
            chart = gr.HTML(progress_html([], ctx.guide), elem_id="history-chart")
    with gr.Accordion("Your history key (for terminal interviews)", open=False, elem_id="history-key-box"):
        # Shown so its owner can copy it into `interviewer chat --owner`; it is this browser's own key.
        key = gr.Textbox(label="History key", interactive=False, buttons=["copy"], elem_id="history-key")
        key_help = gr.Markdown()
    with gr.Row():
        md_file = gr.DownloadButton("⬇ Markdown", visible=False, size="sm")
        json_file = gr.DownloadButton("⬇ JSON", visible=False, size="sm")
    text = gr.Markdown(elem_id="history-transcript", elem_classes=["report-md"], visible=False)

    def on_refresh(owner_v: str, request: gr.Request):
        who = owner_of(owner_v, request)
        rows = list_rows(ctx, who)
        choices = session_choices(rows)
        return (history_html(rows), gr.update(choices=choices, value=choices[0][1] if choices else None),
                progress_html(rows, ctx.guide), who, owner_key_help(who))

    def on_open(session_id: str | None, owner_v: str, request: gr.Request):
        md, files = open_transcript(ctx, session_id, owner_of(owner_v, request))
        return gr.update(value=md, visible=True), gr.update(value=files[0], visible=True), gr.update(value=files[1], visible=True)

    def on_resume(session_id: str | None, owner_v: str, request: gr.Request):
        view = interview.resume_session(ctx, session_id, owner_of(owner_v, request))
        return (*tab.render(view), gr.Tabs(selected="interview"))

    def on_ask_delete(session_id: str | None, owner_v: str, request: gr.Request):
        row = _owned(ctx, session_id, owner_of(owner_v, request))
        question = (f'<div class="banner banner-note"><b>Delete the {escape(describe(row))}?</b> Its transcript and scores '
                    f'go too. You can undo for {UNDO_SECONDS:.0f} seconds.</div>')
        return gr.update(visible=True), question

    def on_delete(session_id: str | None, owner_v: str, request: gr.Request):
        row = delete_session(ctx, session_id, owner_of(owner_v, request))
        note = f'<div class="banner">Deleted the {escape(describe(row))}.</div>'
        return (*on_refresh(owner_v, request), gr.update(value="", visible=False), gr.update(visible=False),
                gr.update(visible=True), note, row.id, gr.Timer(active=True))

    def on_undo(session_id: str | None, owner_v: str, request: gr.Request):
        if not ctx.deletions.undo(owner_of(owner_v, request), session_id):
            raise InputError("Too late to undo: that session has been deleted.")
        gr.Info("Restored.")
        return (*on_refresh(owner_v, request), gr.update(visible=False), None, gr.Timer(active=False))

    refresh_outputs = [table, picker, chart, key, key_help]
    safe = ctx.secrets
    refresh.click(friendly(on_refresh, safe), owner, refresh_outputs, api_visibility="private")
    open_btn.click(friendly(on_open, safe), [picker, owner], [text, md_file, json_file], api_visibility="private")
    resume_btn.click(friendly(on_resume, safe), [picker, owner], [*tab.outputs, tabs], api_visibility="private")
    delete_btn.click(friendly(on_ask_delete, safe), [picker, owner], [confirm_box, confirm_text], api_visibility="private")
    confirm_no.click(lambda: gr.update(visible=False), None, confirm_box, api_visibility="private")
    picker.change(lambda: gr.update(visible=False), None, confirm_box, api_visibility="private")  # the question named another session
    confirm_yes.click(friendly(on_delete, safe), [picker, owner],
                      [*refresh_outputs, text, confirm_box, undo_box, undo_text, deleted, undo_timer], api_visibility="private")
    undo_btn.click(friendly(on_undo, safe), [deleted, owner], [*refresh_outputs, undo_box, deleted, undo_timer],
                   api_visibility="private")
    undo_timer.tick(lambda: (gr.update(visible=False), None, gr.Timer(active=False)), None, [undo_box, deleted, undo_timer],
                    api_visibility="private")
    return friendly(on_refresh, safe), refresh_outputs
