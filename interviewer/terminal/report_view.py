"""The final report of a mock interview as rich renderables.

Each question's lesson (what went well, what to practise, the guide's example answer) comes
before the scorecards, as in the Markdown report. Each scorecard appears once: with one
answered question, its scorecard is the report's; with several, the combined card is shown
as a summary table (it aggregates the others) followed by each question's scorecard in full.
"""
from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from interviewer.interview.report import FinalReport
from interviewer.terminal.lesson_view import lesson_view
from interviewer.terminal.scorecard_view import LEVEL_STYLE, bullets, score_style, scorecard_summary_view, scorecard_view


def _questions_table(report: FinalReport) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    for name, justify in (("#", "right"), ("Question", "left"), ("Overall", "right"), ("Level", "left"),
                          ("Follow-ups", "right"), ("Hints", "right")):
        table.add_column(name, justify=justify, ratio=1 if name == "Question" else None, overflow="fold")
    for i, q in enumerate(report.questions, 1):
        # A question without a score says why (skipped, not reached) where the score would be.
        overall = Text(q.status, style="dim") if q.overall is None else Text(f"{q.overall:.1f}", style=score_style(q.overall))
        table.add_row(str(i), q.question, overall, Text(q.level, style=LEVEL_STYLE.get(q.level, "")), str(q.followups), str(q.hints))
    return table


def _lessons(report: FinalReport) -> list[RenderableType]:
    """What to take away from each answered question, before the scorecards it is drawn from (as in the
    Markdown report). A scorecard printed below already shows the same improved outline, so the lesson
    leaves it out."""
    numbers = {q.question_id: i for i, q in enumerate(report.questions, 1)}
    parts: list[RenderableType] = []
    for lesson in report.lessons:
        parts += [Text(""), Rule(style="dim"),
                  lesson_view(lesson, numbers.get(lesson.question_id, 0), show_outline=not report.card_shows_outline(lesson))]
    return parts


def report_view(report: FinalReport) -> Group:
    """Summary, notes, per-question table, timing, usage, the lessons, then the scorecards (each once)."""
    card = report.scorecard
    parts: list[RenderableType] = [Rule(Text("Mock interview report", style="bold"), style="dim")]
    line = Text.assemble(("Mode ", "dim"), report.mode, ("  ·  Target level ", "dim"), report.target_level)
    if card is not None and card.overall is not None:
        line.append("  ·  Overall ", style="dim")
        line.append(f"{card.overall:.1f} / 5", style=f"bold {score_style(card.overall)}")
        line.append("  ·  Level ", style="dim")
        line.append(card.level, style=LEVEL_STYLE.get(card.level, "bold"))
    parts.append(line)
    if report.notes:
        parts.append(bullets(report.notes))
    if report.questions:
        parts += [Text(""), _questions_table(report)]
    if report.overruns:
        parts.append(Text("Time overruns", style="bold"))
        parts += [Text(f"  {o.phase} ({o.question_id}): {o.elapsed_s / 60:.1f} min of a {o.budget_s / 60:.0f} min budget")
                  for o in report.overruns]
    parts += [Text(""), Text(report.usage.summary(), style="dim")]
    parts += _lessons(report)
    if len(report.scorecards) > 1 and card is not None:
        parts += [Text(""), Text("Across the interview", style="bold underline"), scorecard_summary_view(card)]
    for i, c in enumerate(report.scorecards, 1):
        parts += [Text(""), Rule(style="dim"), scorecard_view(c, heading=f"Q{i}: {c.question}")]
    return Group(*parts)
