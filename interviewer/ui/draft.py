"""Draft feedback tab: grade a draft answer, show evidence and gaps, compare with the last version.

:func:`grade_draft` is the whole behaviour as a plain function (tested without Gradio);
:func:`build_draft_tab` lays out the components and wires one thin callback to it. The
previous version's scorecard lives in the browser session's ``gr.State`` only.

Input problems (an empty draft, no question) are one warning toast, and the panels are
reset to say what to do: raising would also stamp Gradio's red "Error" badge on every
output, over a scorecard that belongs to an earlier draft. Ctrl/Cmd+Enter in the draft
grades it (see :mod:`interviewer.ui.scripts`).
"""
from __future__ import annotations

from dataclasses import dataclass

import gradio as gr
from pydantic import BaseModel

from interviewer.errors import InputError
from interviewer.grading import Scorecard
from interviewer.guide import Guide
from interviewer.ui import cards
from interviewer.ui.context import AppContext
from interviewer.ui.errors import friendly
from interviewer.ui.exports import draft_markdown, write_pair

OWN = "__own__"
OWN_LABEL = "✏️ My own question…"


EMPTY_CARD = "Your scorecard appears here. Write or paste a draft, then press Grade (or Ctrl+Enter)."
EMPTY_DELTA = "Grade, edit, grade again: the change per dimension shows here."


class DraftMemory(BaseModel):
    """The last graded version of a draft, kept per browser session for the before/after view."""

    key: str
    card: Scorecard


@dataclass
class DraftResult:
    card: Scorecard
    card_html: str
    gaps_md: str
    delta_html: str
    files: tuple[str, str]
    memory: DraftMemory


def question_choices(guide: Guide) -> list[tuple[str, str]]:
    """Dropdown choices: own question first, then every guide question labelled with its track."""
    return [(OWN_LABEL, OWN)] + [(f"{q.track_title} — {q.text}", q.id) for q in guide.questions]


def question_preview(ctx: AppContext, choice: str | None) -> str:
    """One line about the chosen guide question's framework, so the rubric is no surprise."""
    if not choice or choice == OWN:
        return "Type your question below. Add a model answer if you have one: its key points become the rubric."
    q = ctx.guide.question(choice)
    parts = " · ".join(f"{p.index}. {p.title}" for p in q.parts)
    return f"**Graded against the guide's framework:** {parts}" + (" · example from experience" if q.example else "")


def grade_draft(ctx: AppContext, choice: str | None, own_question: str, reference: str, draft: str,
                memory: DraftMemory | None) -> DraftResult:
    """Grade ``draft``; the delta compares with ``memory`` when it is the same question."""
    draft = draft or ""
    if not draft.strip():
        raise InputError("Paste your draft answer first.")
    if not choice:
        raise InputError("Choose a question from the guide, or pick “My own question”.")
    if choice == OWN:
        text = (own_question or "").strip()
        if not text:
            raise InputError("Type your question, or choose one from the guide.")
        ref = (reference or "").strip() or None
        card = ctx.grader.grade(text, draft, reference=ref)
        key = f"own::{text}::{ref or ''}"
    else:
        question = ctx.guide.question(choice)
        card = ctx.grader.grade(question, draft)
        text, ref, key = question.text, None, f"guide::{choice}"
    previous = memory.card if memory is not None and memory.key == key else None
    files = write_pair(f"draft-feedback-{text}", draft_markdown(text, draft, card.to_markdown(), ref or ""),
                       {"question": text, "model_answer": ref, "draft": draft, "scorecard": card.model_dump(mode="json"),
                        "previous_overall": previous.overall if previous else None}, ctx.secrets)
    return DraftResult(card=card, card_html=cards.scorecard_html(card), gaps_md=cards.gaps_markdown(card),
                       delta_html=cards.delta_html(previous, card), files=files, memory=DraftMemory(key=key, card=card))


def build_draft_tab(ctx: AppContext) -> dict[str, gr.components.Component]:
    """Lay out the tab inside the current ``gr.Tab``; returns components other tabs link to."""
    memory = gr.State(None)
    with gr.Row(equal_height=False):
        with gr.Column(scale=5, min_width=300):
            choice = gr.Dropdown(question_choices(ctx.guide), value=ctx.guide.questions[0].id if ctx.guide.questions else OWN,
                                 label="Question", filterable=True, elem_id="draft-question")
            preview = gr.Markdown(question_preview(ctx, ctx.guide.questions[0].id) if ctx.guide.questions else "",
                                  elem_classes=["muted-md"])
            with gr.Group(visible=not ctx.guide.questions) as own_box:
                own_question = gr.Textbox(label="Your question", lines=2, placeholder="e.g. How would you migrate a monolith to services?")
                reference = gr.Textbox(label="Model answer (optional)", lines=4,
                                       placeholder="Paste a model answer; its key points become the rubric.")
            draft = gr.Textbox(label="Your draft answer", lines=14, max_lines=30, elem_id="draft-answer",
                               placeholder="Paste or write your answer. Edit it and grade again to see what changed. "
                                           "Ctrl+Enter (⌘+Enter) grades.")
            with gr.Row():
                grade_btn = gr.Button("Grade my draft", variant="primary", elem_id="draft-grade", min_width=140)
                gr.ClearButton([draft], value="Clear draft", min_width=110, elem_id="draft-clear")
        with gr.Column(scale=6, min_width=300):
            card_html = gr.HTML(cards.empty_card(EMPTY_CARD), elem_id="draft-scorecard")
            with gr.Accordion("What changed since the last version", open=True):
                delta = gr.HTML(cards.empty_card(EMPTY_DELTA), elem_id="draft-delta")
            with gr.Accordion("Missing points and improved outline", open=True):
                gaps = gr.Markdown(elem_id="draft-gaps")
            with gr.Row():
                md_file = gr.DownloadButton("⬇ Markdown", visible=False, size="sm")
                json_file = gr.DownloadButton("⬇ JSON", visible=False, size="sm")

    def cleared(message: str = EMPTY_CARD) -> tuple:
        """Panels with nothing graded (the last scorecard was for another question or draft)."""
        return (cards.empty_card(message), cards.empty_card(EMPTY_DELTA), "", gr.update(visible=False), gr.update(visible=False))

    def on_choice(value: str | None):
        return (question_preview(ctx, value), gr.update(visible=value == OWN), *cleared())

    def on_grade(choice_value, own, ref, text, mem):
        try:
            r = grade_draft(ctx, choice_value, own, ref, text, mem)
        except InputError as exc:  # one toast, and panels that say what to do (see the module docstring)
            gr.Warning(str(exc))
            return (*cleared(str(exc)), mem)
        return (r.card_html, r.delta_html, r.gaps_md, gr.update(value=r.files[0], visible=True),
                gr.update(value=r.files[1], visible=True), r.memory)

    panels = [card_html, delta, gaps, md_file, json_file]
    choice.change(friendly(on_choice, ctx.secrets), choice, [preview, own_box, *panels], api_visibility="private")
    grade_btn.click(friendly(on_grade, ctx.secrets), [choice, own_question, reference, draft, memory],
                    [*panels, memory], api_visibility="private", scroll_to_output=False)
    return {"choice": choice, "draft": draft}
