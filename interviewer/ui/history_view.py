"""What the History tab shows, as pure functions over :class:`~interviewer.store.SessionSummary` rows.

Listing never loads a transcript: the table, the session picker and the progress charts
read only the summaries. Every time shown comes from one clock (a session's start, in the
server's local time) through :func:`started`, so the table and the charts always agree.
"""
from __future__ import annotations

import datetime as dt
from html import escape

from interviewer.dimensions import SEMANTIC_KINDS
from interviewer.guide import Guide
from interviewer.guide.model import TRACK_TITLES
from interviewer.store import SessionSummary
from interviewer.ui.charts import PALETTE_SIZE, Chart, Series, line_chart_html

FRAMEWORK_CHART = "Guide framework parts"
OVERALL_CHART = "Overall"
OWN_QUESTION = "Your own questions"


def started(s: SessionSummary, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """When the session started, in the server's local time (the one clock History shows)."""
    return dt.datetime.fromtimestamp(s.created_at).strftime(fmt)


def tracks_label(s: SessionSummary) -> str:
    return ", ".join(TRACK_TITLES.get(t, t) for t in s.tracks) or "Mixed"


def questions_label(s: SessionSummary) -> str:
    """"2 of 3" while in progress, "3" when finished (asked count when the plan is unknown)."""
    asked, planned = len(s.question_ids), s.n_questions
    if not planned or (s.finished and asked == planned):
        return str(asked)
    return f"{asked} of {planned}"


def status_label(s: SessionSummary) -> str:
    return "finished" if s.finished else "in progress"


def history_html(rows: list[SessionSummary]) -> str:
    """The sessions table (newest first); an empty state that says what to do."""
    if not rows:
        return ('<div class="sc sc-empty">No interviews yet. Start one in <b>Mock interview</b>: it is saved after every '
                'answer and listed here, with your scores over time.</div>')
    body = "".join(
        f'<tr><td class="when">{started(s)}</td>'
        f'<td>{escape(tracks_label(s))} · {escape(s.level or "—")}<span class="sub">{escape(s.mode)}</span></td>'
        # data-label names the number where the header row is hidden (phone cards).
        f'<td class="num" title="Questions asked of planned" data-label="Questions">{questions_label(s)}</td>'
        f'<td class="num" title="Mean overall score (1–5)" data-label="Overall">{"–" if s.overall is None else f"{s.overall:.1f}/5"}</td>'
        f'<td><span class="status {"status-done" if s.finished else "status-open"}">{status_label(s)}</span></td></tr>'
        for s in rows)
    return ('<div class="hist"><table><thead><tr><th>Started</th><th>Interview</th><th class="num">Questions</th>'
            f'<th class="num">Overall</th><th>Status</th></tr></thead><tbody>{body}</tbody></table></div>')


def session_choices(rows: list[SessionSummary]) -> list[tuple[str, str]]:
    return [(f"{started(s)} · {tracks_label(s)} · {status_label(s)}", s.id) for s in rows]


def progress_charts(rows: list[SessionSummary], guide: Guide) -> tuple[list[str], list[Chart]]:
    """X labels (one per session with scores, oldest first) and one chart per dimension.

    Overall has one line per track; every other chart one line per question, named and
    titled as on the scorecard. Framework parts differ per question, so their chart shows
    each question's mean over its own parts (the caption says so).
    """
    questions = {q.id: q for q in guide.questions}
    scored = [s for s in sorted(rows, key=lambda r: r.created_at) if s.questions]
    labels = [started(s, "%m-%d %H:%M") for s in scored]
    overall: dict[str, Series] = {}
    framework: dict[str, Series] = {}
    dims: dict[str, dict[str, Series]] = {}
    for x, s in enumerate(scored):
        when = started(s)
        by_track: dict[str, list[float]] = {}
        for q in s.questions:
            guide_q = questions.get(q.question_id)
            name = q.question or q.question_id
            if q.overall is not None:
                by_track.setdefault(guide_q.track_title if guide_q else OWN_QUESTION, []).append(q.overall)
            parts = [d.score for d in q.dimensions if d.kind in SEMANTIC_KINDS]
            if parts:
                mean = sum(parts) / len(parts)
                framework.setdefault(name, Series(name)).points.append((x, mean, f"{name} · {when}: {mean:.1f}/5"))
            for d in q.dimensions:
                if d.kind not in SEMANTIC_KINDS:
                    dims.setdefault(d.title, {}).setdefault(name, Series(name)).points.append(
                        (x, d.score, f"{name} · {when}: {d.score:g}/5"))
        for track, values in by_track.items():
            mean = sum(values) / len(values)
            overall.setdefault(track, Series(track)).points.append((x, mean, f"{track} · {when}: {mean:.1f}/5"))
    charts = [Chart(OVERALL_CHART, _recent(overall), "One line per track: the mean overall of its questions in each session.")]
    if framework:
        charts.append(Chart(FRAMEWORK_CHART, _recent(framework), "One line per question: the mean of that question's own framework parts."))
    charts += [Chart(title, _recent(lines)) for title, lines in dims.items()]
    return labels, [c for c in charts if c.series]


def _recent(series: dict[str, Series]) -> list[Series]:
    """At most one palette's worth of lines, those practised most recently."""
    ordered = sorted(series.values(), key=lambda s: max(x for x, _, _ in s.points), reverse=True)
    return ordered[:PALETTE_SIZE]


def progress_html(rows: list[SessionSummary], guide: Guide) -> str:
    """The grid of per-dimension charts, or an empty state that says what to do."""
    labels, charts = progress_charts(rows, guide)
    if not charts:
        message = ("Your scores appear here once an answer has been graded: answer a question in <b>Mock interview</b>."
                   if rows else "Your progress per dimension appears here after your first graded answer.")
        return f'<div class="sc sc-empty">{message}</div>'
    return f'<div class="charts">{"".join(line_chart_html(c, labels) for c in charts)}</div>'
