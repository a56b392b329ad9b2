"""Mock interview tab: the layout, and thin callbacks that map :class:`InterviewView` onto it.

The id of the interview in progress is kept in the browser (``gr.BrowserState``), so a
reload or a second tab reopens it (:meth:`InterviewTab.restore`, run on page load).
End asks for a confirmation first: it closes the interview for good.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from interviewer.ui import cards, interview
from interviewer.ui.context import AppContext
from interviewer.ui.errors import friendly, user_message
from interviewer.ui.identity import owner_of


@dataclass
class InterviewTab:
    """The components other tabs (History's "resume") update, and how to fill them."""

    outputs: list[Any]
    state: gr.State
    render: Callable[[interview.InterviewView], tuple]
    current: gr.BrowserState  # the id of the interview in progress in this browser ("" when none)
    restore: Callable[..., tuple]  # page load: reopen that interview


def build_interview_tab(ctx: AppContext, owner: gr.BrowserState) -> InterviewTab:
    session = gr.State(None)
    current = gr.BrowserState("", storage_key="interviewer-current-session")
    with gr.Row(equal_height=False):
        with gr.Column(scale=7, min_width=320):
            # Folds away during an interview so the chat and the answer box fit a laptop screen.
            with gr.Accordion("New interview", open=True, elem_id="iv-setup") as setup, gr.Row(equal_height=True, elem_classes=["stack-sm"]):
                track = gr.Dropdown(interview.track_choices(ctx.guide), value=interview.MIXED, label="Track", scale=2,
                                    min_width=200, elem_id="iv-track")  # room for a track's name beside the caret
                n_questions = gr.Slider(1, 6, value=3, step=1, label="Questions", scale=2, min_width=140, elem_id="iv-n")
                level = gr.Radio(list(interview.LEVELS), value="senior", label="Level", scale=2, min_width=205, elem_id="iv-level")
                # Enabled by the page-load chain once this browser's owner id is known: an interview started
                # before that would be saved under no owner and could not be reopened after a reload.
                start = gr.Button("▶ Start", variant="primary", scale=1, min_width=90, elem_id="iv-start", interactive=False)
            status = gr.HTML(interview.status_html(ctx.mode, None, reason=ctx.mode_reason), elem_id="iv-status")
            chat = gr.Chatbot(label="Interview", show_label=False, height="calc(100vh - 390px)", min_height=300, elem_id="chat", buttons=["copy"],
                              feedback_options=None, placeholder="Choose a track, a length and a level, then press **Start**.")
            with gr.Row(equal_height=True):
                msg = gr.Textbox(placeholder="Your answer… (Enter sends · Shift+Enter: new line)",
                                 show_label=False, lines=1, max_lines=12, scale=8, interactive=False, elem_id="iv-msg")
                send = gr.Button("Send", variant="primary", scale=1, min_width=80, interactive=False, elem_id="iv-send")
            with gr.Row():
                end = gr.Button("■ End interview…", variant="stop", size="sm", interactive=False, elem_id="iv-end")
                md_file = gr.DownloadButton("⬇ Transcript (Markdown)", visible=False, size="sm")
                json_file = gr.DownloadButton("⬇ Transcript (JSON)", visible=False, size="sm")
            with gr.Group(visible=False, elem_id="iv-end-confirm") as confirm_box:
                gr.HTML('<div class="banner banner-note"><b>End the interview now?</b> Unanswered questions are left out, '
                        'and you get the final report. You cannot add answers afterwards.</div>')
                with gr.Row():
                    end_yes = gr.Button("Yes, end and show the report", size="sm", variant="stop", elem_id="iv-end-yes")
                    end_no = gr.Button("Keep going", size="sm", elem_id="iv-end-no")
        with gr.Column(scale=5, min_width=300):
            gr.Markdown("#### Live scorecard")
            card = gr.HTML(cards.empty_card("Start an interview: your scorecard updates after each answer."),
                           elem_id="iv-scorecard")
    with gr.Accordion("Final report", open=True, visible=False, elem_id="iv-report-box") as report_box:
        report = gr.Markdown(elem_id="iv-report", elem_classes=["report-md"])
        report_cards = gr.HTML(elem_id="iv-report-cards")

    outputs = [chat, session, status, card, report, report_cards, report_box, md_file, json_file, msg, send, end, setup, current,
               confirm_box, start]

    def render(view: interview.InterviewView, clear_message: bool = False) -> tuple:
        files = view.files
        return (
            view.messages, view.session, view.status_html, view.card_html,
            view.report_md,
            view.report_html,
            gr.update(visible=bool(view.report_md)),
            gr.update(value=files[0], visible=True) if files else gr.update(),
            gr.update(value=files[1], visible=True) if files else gr.update(),
            gr.update(interactive=view.accepting,
                      **({"value": view.pending} if view.pending else {"value": ""} if clear_message else {})),
            gr.update(interactive=view.accepting),
            gr.update(interactive=view.session is not None and not view.session.finished),
            gr.update(open=view.session is None or view.session.finished),
            view.session.id if view.session is not None and not view.session.finished else "",
            gr.update(visible=False),
            gr.update(interactive=True),
        )

    def on_start(track_v: str, n_v: float, level_v: str, owner_v: str, request: gr.Request) -> Iterator[tuple]:
        for view in interview.start_interview(ctx, track_v, n_v, level_v, owner_of(owner_v, request)):
            yield render(view, clear_message=True)

    def on_send(text: str, state: Any, owner_v: str, request: gr.Request) -> Iterator[tuple]:
        first = True
        for view in interview.send_answer(ctx, text, state, owner_of(owner_v, request)):
            yield render(view, clear_message=first)
            first = False

    def on_end(state: Any, owner_v: str, request: gr.Request) -> tuple:
        return render(interview.end_interview(ctx, state, owner_of(owner_v, request)))

    def on_restore(current_v: str, owner_v: str, request: gr.Request) -> tuple:
        # Start is disabled until this runs: whatever goes wrong reopening the old interview (the
        # store is down, the session is unreadable), the page must still let the user start one.
        try:
            view = interview.restore_session(ctx, current_v, owner_of(owner_v, request))
        except Exception as exc:  # noqa: BLE001 - shown (and logged) as one message, then Start is enabled
            gr.Warning(user_message(exc, ctx.secrets))
            view = None
        return render(view) if view is not None else (*(gr.update() for _ in outputs[:-1]), gr.update(interactive=True))

    start.click(friendly(on_start, ctx.secrets), [track, n_questions, level, owner], outputs, api_visibility="private")
    for trigger in (send.click, msg.submit):
        trigger(friendly(on_send, ctx.secrets), [msg, session, owner], outputs, api_visibility="private",
                show_progress="hidden")
    end.click(lambda: gr.update(visible=True), None, confirm_box, api_visibility="private")
    end_no.click(lambda: gr.update(visible=False), None, confirm_box, api_visibility="private")
    end_yes.click(friendly(on_end, ctx.secrets), [session, owner], outputs, api_visibility="private")
    return InterviewTab(outputs=outputs, state=session, render=render, current=current,
                        restore=friendly(on_restore, ctx.secrets))

