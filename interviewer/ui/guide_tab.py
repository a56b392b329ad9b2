"""Guide tab: browse tracks → questions → frameworks, and search the index with citations.

Rendering is plain functions over the typed guide; search results are rendered by
:mod:`interviewer.ui.guide_search`. The tab itself only lays out components and wires them.
"""
from __future__ import annotations

import gradio as gr

from interviewer.guide import GeneralFramework, Guide, Question
from interviewer.guide.model import TRACK_TITLES
from interviewer.ui.context import AppContext
from interviewer.ui.errors import friendly
from interviewer.ui.guide_search import MAX_K, search_html

__all__ = ["MAX_K", "build_guide_tab", "question_markdown", "search_html"]


def track_choices(guide: Guide) -> list[tuple[str, str]]:
    """(label, track id) for every track with questions, in guide order."""
    return [(TRACK_TITLES.get(t, qs[0].track_title), t) for t, qs in guide.tracks().items()]


def question_choices(guide: Guide, track: str | None) -> list[tuple[str, str]]:
    return [(q.text, q.id) for q in guide.questions if not track or q.track == track]


def _part_lines(index: int, title: str, points: list, diagram: str) -> list[str]:
    lines = [f"**{index}. {title}**", ""]
    lines += [f"- {p.text}" for p in points]
    if diagram:
        lines += ["```text", diagram, "```"]
    return lines + [""]


def question_markdown(q: Question) -> str:
    """A question's framework as the guide writes it, with where it comes from."""
    lines = [f"### {q.text}", f"<sub>{q.track_title}{' › ' + q.section if q.section else ''} · "
                                 f"{q.source}{':' + str(q.line) if q.line else ''}</sub>", ""]
    if q.framework_label:
        lines += [f"_{q.framework_label}_", ""]
    for p in q.parts:
        lines += _part_lines(p.index, p.title, p.points, p.diagram)
    if q.example:
        lines += [f"**{len(q.parts) + 1}. {q.example_part_title}**", "", f"_{q.example.headline}_", ""]
        lines += [f"- {b}" for b in q.example.bullets]
    return "\n".join(lines).strip()


def frameworks_markdown(guide: Guide) -> str:
    """The guide's general frameworks, tips and pitfalls."""
    lines: list[str] = []
    for fw in guide.general_frameworks:
        lines += _framework(fw)
    for tip in guide.tips:
        lines += [f"#### {tip.title}", *[f"- {i}" for i in tip.items], ""]
    if guide.pitfalls:
        lines += ["#### Common pitfalls to avoid", *[f"- {p}" for p in guide.pitfalls]]
    return "\n".join(lines).strip() or "This guide has no general frameworks or tips."


def _framework(fw: GeneralFramework) -> list[str]:
    lines = [f"#### {fw.title}", ""]
    for p in fw.parts:
        lines += _part_lines(p.index, p.title, p.points, p.diagram)
    return lines


def build_guide_tab(ctx: AppContext) -> dict[str, gr.components.Component]:
    """Lay out the tab; returns the selected-question dropdown and the "practise" button."""
    guide = ctx.guide
    first_track = next(iter(guide.tracks()), None)
    first_q = next(iter(question_choices(guide, first_track)), (None, None))[1]
    with gr.Row(equal_height=False):
        with gr.Column(scale=6, min_width=300):
            with gr.Row(elem_classes=["stack-sm"]):
                track = gr.Dropdown(track_choices(guide), value=first_track, label="Track", scale=2, min_width=120)
                question = gr.Dropdown(question_choices(guide, first_track), value=first_q, label="Question", scale=4,
                                       min_width=180, elem_id="guide-question")
            practise = gr.Button("Practise this question in Draft feedback →", size="sm", variant="secondary")
            framework = gr.Markdown(question_markdown(guide.question(first_q)) if first_q else "", elem_id="guide-framework",
                                    elem_classes=["guide-md"])
            with gr.Accordion("General frameworks, tips and pitfalls", open=False):
                gr.Markdown(frameworks_markdown(guide), elem_classes=["guide-md"])
        with gr.Column(scale=5, min_width=300):
            gr.Markdown("#### Search the guide")
            query = gr.Textbox(label="Search", placeholder="e.g. exactly-once payments", elem_id="guide-search")
            with gr.Row(equal_height=True, elem_classes=["stack-sm"]):
                k = gr.Slider(1, MAX_K, value=5, step=1, label="Number of results", scale=3, min_width=200, elem_id="guide-k")
                search_btn = gr.Button("Search", variant="primary", scale=1, min_width=90)
            results = gr.HTML(elem_id="guide-results")

    def on_track(value: str | None):
        choices = question_choices(guide, value)
        return gr.update(choices=choices, value=choices[0][1] if choices else None)

    def on_question(value: str | None):
        return question_markdown(guide.question(value)) if value else ""

    def on_search(q: str, n: float):
        return search_html(ctx, q, int(n))

    track.change(friendly(on_track, ctx.secrets), track, question, api_visibility="private")
    question.change(friendly(on_question, ctx.secrets), question, framework, api_visibility="private")
    for trigger in (search_btn.click, query.submit):
        trigger(friendly(on_search, ctx.secrets), [query, k], results, api_visibility="private")
    return {"question": question, "practise": practise}
