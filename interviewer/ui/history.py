"""History tab: this user's past sessions, their transcripts, resume, and progress over time.

The table, the choices and the chart data are plain functions over
:class:`~interviewer.store.SessionSummary` rows, so listing never loads a transcript.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import gradio as gr
import pandas as pd
from matplotlib.figure import Figure

from interviewer.errors import InputError
from interviewer.guide.model import TRACK_TITLES
from interviewer.store import SessionSummary
from interviewer.ui import interview, transcript
from interviewer.ui.context import AppContext
from interviewer.ui.errors import friendly
from interviewer.ui.exports import write_pair
from interviewer.ui.identity import owner_of
from interviewer.ui.interview_tab import InterviewTab

COLUMNS = ["When", "Interview", "Mode", "Turns", "Overall", "Status"]
OVERALL = "Overall"


def _when(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


def _tracks(s: SessionSummary) -> str:
    return ", ".join(TRACK_TITLES.get(t, t) for t in s.tracks) or "Mixed"


def history_table(rows: list[SessionSummary]) -> pd.DataFrame:
    data = [[_when(s.updated_at), f"{_tracks(s)} · {len(s.question_ids)} q · {s.level}", s.mode, s.n_turns,
             "–" if s.overall is None else f"{s.overall:.1f}", "finished" if s.finished else "in progress"] for s in rows]
    return pd.DataFrame(data, columns=COLUMNS)


def session_choices(rows: list[SessionSummary]) -> list[tuple[str, str]]:
    return [(f"{_when(s.updated_at)} · {_tracks(s)} · {'finished' if s.finished else 'in progress'}", s.id) for s in rows]


def score_frame(rows: list[SessionSummary]) -> pd.DataFrame:
    """Long-format scores (when, dimension, score) for the progress chart, oldest first."""
    points = []
    for s in sorted(rows, key=lambda r: r.created_at):
        when = dt.datetime.fromtimestamp(s.created_at)
        if s.overall is not None:
            points.append((when, OVERALL, s.overall))
        points += [(when, name, score) for name, score in s.dimension_scores.items()]
    return pd.DataFrame(points, columns=["when", "dimension", "score"])


def progress_figure(rows: list[SessionSummary]) -> Figure | None:
    """Scores per dimension, session after session (overall in bold); None without data.

    The x axis is the session sequence labelled with its date, so several sessions on one
    day stay readable and a single session is a visible point rather than a lost dot.
    """
    frame = score_frame(rows)
    if frame.empty:
        return None
    order = {when: i for i, when in enumerate(sorted(frame["when"].unique()), 1)}
    frame = frame.assign(n=frame["when"].map(order))
    fig = Figure(figsize=(6.4, 3.5), dpi=110, layout="constrained")
    ax = fig.add_subplot()
    for name, group in frame.groupby("dimension", sort=False):
        bold = name == OVERALL
        ax.plot(group["n"], group["score"], marker="o", markersize=6 if bold else 4, linewidth=2.6 if bold else 1.3,
                color="#4338ca" if bold else None, alpha=1 if bold else 0.85, label=_short(str(name)), zorder=3 if bold else 2)
    ticks = sorted(order.values())
    step = max(1, len(ticks) // 8)
    labels = {n: pd.Timestamp(when).strftime("%b %d\n%H:%M") for when, n in order.items()}
    ax.set_xticks(ticks[::step], [labels[n] for n in ticks[::step]], fontsize=7)
    ax.set_xlim(0.5, len(ticks) + 0.5)
    ax.set_ylim(0.8, 5.2)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_ylabel("score (1–5)", fontsize=8)
    ax.grid(alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=3, frameon=False)
    return fig


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def open_transcript(ctx: AppContext, session_id: str | None, owner: str) -> tuple[str, tuple[str, str]]:
    """The session's Markdown transcript and its export files (only the owner's sessions)."""
    if not session_id:
        raise InputError("Pick a session from the list first.")
    if not any(s.id == session_id for s in ctx.store.list_sessions(owner=owner, limit=1000)):
        raise InputError("That session is not in your history.")
    session = ctx.store.load_session(session_id)
    if session is None:
        raise InputError("That session no longer exists.")
    md = transcript.session_markdown(session)
    return md, write_pair(f"interview-{session.id[:8]}", md, transcript.session_data(session), ctx.secrets)


def build_history_tab(ctx: AppContext, owner: gr.BrowserState, tab: InterviewTab, tabs: gr.Tabs) -> tuple[Any, list[Any]]:
    """Lay out the tab; returns the refresh callback and its outputs (the app runs it when the tab opens)."""
    with gr.Row(equal_height=False):
        with gr.Column(scale=6, min_width=420):
            empty = gr.Markdown("No sessions yet. Finish a turn in **Mock interview** and it appears here — saved after every answer.",
                                elem_classes=["muted-md"], elem_id="history-empty")
            table = gr.Dataframe(history_table([]), interactive=False, label="Your sessions (newest first)", max_height=300,
                                 elem_id="history-table", wrap=True, column_widths=["19%", "36%", "13%", "9%", "10%", "13%"])
            with gr.Row(equal_height=True):
                picker = gr.Dropdown([], label="Session", scale=4, elem_id="history-pick")
                refresh = gr.Button("↻ Refresh", size="sm", scale=1, min_width=80)
            with gr.Row():
                open_btn = gr.Button("Open transcript", size="sm")
                resume_btn = gr.Button("Resume in Mock interview", size="sm", variant="primary")
                delete_btn = gr.Button("Delete", size="sm", variant="stop")
        with gr.Column(scale=5, min_width=360):
            gr.Markdown("#### Your scores per dimension over time")
            chart = gr.Plot(label="Scores per dimension over time", show_label=False, format="png", elem_id="history-chart")
    with gr.Row():
        md_file = gr.DownloadButton("⬇ Markdown", visible=False, size="sm")
        json_file = gr.DownloadButton("⬇ JSON", visible=False, size="sm")
    text = gr.Markdown(elem_id="history-transcript", elem_classes=["report-md"], visible=False)

    def on_refresh(owner_v: str, request: gr.Request):
        rows = ctx.store.list_sessions(owner=owner_of(owner_v, request))
        choices = session_choices(rows)
        return (history_table(rows), gr.update(choices=choices, value=choices[0][1] if choices else None), progress_figure(rows),
                gr.update(visible=not rows))

    def on_open(session_id: str | None, owner_v: str, request: gr.Request):
        md, files = open_transcript(ctx, session_id, owner_of(owner_v, request))
        return gr.update(value=md, visible=True), gr.update(value=files[0], visible=True), gr.update(value=files[1], visible=True)

    def on_resume(session_id: str | None, owner_v: str, request: gr.Request):
        view = interview.resume_session(ctx, session_id, owner_of(owner_v, request))
        return (*tab.render(view), gr.Tabs(selected="interview"))

    def on_delete(session_id: str | None, owner_v: str, request: gr.Request):
        who = owner_of(owner_v, request)
        if not session_id or not any(s.id == session_id for s in ctx.store.list_sessions(owner=who, limit=1000)):
            raise InputError("Pick one of your sessions first.")
        ctx.store.delete(session_id)
        gr.Info("Session deleted.")
        return (*on_refresh(owner_v, request), gr.update(value="", visible=False))

    refresh_outputs = [table, picker, chart, empty]
    refresh.click(friendly(on_refresh, ctx.secrets), owner, refresh_outputs, api_visibility="private")
    open_btn.click(friendly(on_open, ctx.secrets), [picker, owner], [text, md_file, json_file], api_visibility="private")
    resume_btn.click(friendly(on_resume, ctx.secrets), [picker, owner], [*tab.outputs, tabs], api_visibility="private")
    delete_btn.click(friendly(on_delete, ctx.secrets), [picker, owner], [*refresh_outputs, text], api_visibility="private")
    return friendly(on_refresh, ctx.secrets), refresh_outputs
