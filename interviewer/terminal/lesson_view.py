"""A question's lesson (``FinalReport.lessons``) as rich renderables: what went well, what to
practise next (each with its guide section and a line of the guide's example answer), the
improved outline and the guide's example answer.

The Markdown of :meth:`Lesson.to_markdown` is for the exports; on a terminal it would show
``**`` and ``<details>``, so the same content is laid out here with grids. Through a pipe the
console drops the styles and the same layout reads as plain text.
"""
from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from interviewer.interview.lesson import Lesson
from interviewer.grading.scorecard import short_citation
from interviewer.terminal.scorecard_view import bullets


def _numbered(rows: list[Text | str]) -> Table:
    """A numbered list whose wrapped lines stay indented under their text."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(ratio=1)
    for i, row in enumerate(rows, 1):
        grid.add_row(f"{i}.", row)
    return grid


def _practice_row(what: str, citation: str, example_line: str, question: str) -> Text:
    row = Text(what, style="bold")
    if citation:
        row.append(f"\nGuide: {short_citation(citation, question)}", style="dim")
    if example_line:
        row.append(f"\nThe guide's example: “{example_line}”", style="italic")
    return row


def lesson_view(lesson: Lesson, number: int, *, show_outline: bool = True) -> Group:
    """One question's lesson; ``show_outline=False`` when its scorecard, printed next, shows the same outline."""
    parts: list[RenderableType] = [Text.assemble((f"Q{number}: what to take away", "bold"), "  ", (lesson.question, "bold cyan"))]
    if lesson.strengths:
        parts += [Text(""), Text("What went well (your words)", style="bold green"), bullets(lesson.strengths, "✓", "")]
    if lesson.practise:
        parts += [Text(""), Text("Practise next", style="bold yellow"),
                  _numbered([_practice_row(p.what, p.citation, p.example_line, lesson.question) for p in lesson.practise])]
    if show_outline and lesson.outline:
        parts += [Text(""), Text("Your answer, improved", style="bold"), _numbered(list(lesson.outline))]
    if lesson.example_answer:
        head, *rest = lesson.example_answer
        parts += [Text(""), Text("The guide's example answer", style="bold"), Text(head, style="italic")]
        if rest:
            parts.append(bullets(rest))
    return Group(*parts)
