"""A scorecard as rich renderables: headline, dimension table, point checklist, outline.

Each rubric point is shown once, in a checklist under its dimension: covered or partly
covered with the candidate's quoted words, or missing. (The Markdown rendering lists
evidence and gaps in two sections; on a terminal one list reads faster.) Styles are only
hints: through a pipe the console drops them and the same layout is plain text.
"""
from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from interviewer.grading.scorecard import DimensionScore, PointResult, Scorecard, clip, short_citation
from interviewer.grading.verdict import stated_under

STATUS = {"covered": ("✓", "green"), "partial": ("◐", "yellow"), "missing": ("✗", "red")}
ELSEWHERE = ("↪", "cyan")  # a missing point whose idea the answer stated under another of the guide's ids
LEVEL_STYLE = {"staff": "bold green", "senior": "bold green", "below senior": "bold red", "not assessed": "dim"}
QUOTE_LIMIT = 160


def score_style(score: float | None) -> str:
    """Red below 3, yellow below 4 (the senior bar is 3.5), green from 4."""
    if score is None:
        return "dim"
    return "red" if score < 3 else "yellow" if score < 4 else "green"


def bullets(items: list[str], mark: str = "•", style: str = "") -> Table:
    """A bulleted list whose wrapped lines stay indented under their text."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for item in items:
        grid.add_row(Text(mark, style=style), Text(item, style=style))
    return grid


def headline(card: Scorecard) -> Text:
    """``Overall 3.4 / 5 (≈ 3) · Level senior · Confidence high``."""
    line = Text("Overall ", style="dim")
    if card.overall is None:
        line.append("n/a", style="dim")
    else:
        line.append(f"{card.overall:.1f} / 5", style=f"bold {score_style(card.overall)}")
        line.append(f" (≈ {card.overall_rounded})", style="dim")
    line.append("  ·  Level ", style="dim")
    line.append(card.level, style=LEVEL_STYLE.get(card.level, "bold"))
    line.append("  ·  Confidence ", style="dim")
    line.append(card.confidence)
    return line


def dimension_table(card: Scorecard) -> Table:
    """One row per dimension: score with a bar, and how many of its points were covered."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("Dimension", ratio=1, overflow="fold")
    table.add_column("Score", no_wrap=True)
    table.add_column("Points covered", no_wrap=True)
    for d in card.dimensions:
        table.add_row(short_citation(d.title, card.question), _score_cell(d), _points_cell(d))
    return table


def _score_cell(d: DimensionScore) -> Text:
    if not d.assessed or d.score is None:
        return Text("not assessed", style="dim")
    style = score_style(d.score)
    return Text.assemble((f"{d.score}/5 ", f"bold {style}"), ("■" * d.score, style), ("□" * (5 - d.score), "dim"))


def _points_cell(d: DimensionScore) -> Text:
    if not d.assessed:
        return Text("—", style="dim")
    covered = sum(p.status == "covered" for p in d.points)
    partial = sum(p.status == "partial" for p in d.points)
    cell = Text(f"{covered} of {len(d.points)}")
    if partial:
        cell.append(f" (+{partial} partly)", style="yellow")
    return cell


def _evidence_cell(p: PointResult, dim_citation: str, question: str) -> Text:
    cell = Text(p.text)
    if p.evidence is not None and p.status != "missing":
        cell.append("\n“" + clip(p.evidence.quote, QUOTE_LIMIT) + "”", style="italic")
    if p.citation and p.citation != dim_citation:
        cell.append(f"\n{short_citation(p.citation, question)}", style="dim")
    return cell


def checklist(card: Scorecard) -> Group:
    """Every point of every assessed dimension, once, with its status and the quote that shows it."""
    parts: list[RenderableType] = []
    elsewhere = stated_under(card.dimensions, card.stated_from)
    hints = {g.point: g.hint for g in card.gaps if g.hint}
    for d in card.dimensions:
        if not d.assessed or not d.points:
            continue
        title, where = short_citation(d.title, card.question), short_citation(d.citation, card.question)
        head = Text(title, style="bold")
        if where and where != title:
            head.append(f"  {where}", style="dim")
        # A grid, so a wrapped point or quote stays indented under its own text.
        grid = Table.grid(padding=(0, 1), pad_edge=True)
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        for p in d.points:
            where = elsewhere.get((d.id, p.id))
            mark, style = ELSEWHERE if where is not None else STATUS[p.status]
            cell = _evidence_cell(p, d.citation, card.question)
            if where is not None:
                cell.append(f"\nstated under “{where[1].text}” ({short_citation(where[0].title, card.question)})", style="dim")
            elif p.status == "missing" and hints.get(p.text):
                cell.append(f"\n{hints[p.text]}", style="dim")
            grid.add_row(Text(mark, style=f"bold {style}"), cell)
        parts += [head, Padding(grid, (0, 0, 0, 1))]
    return Group(*parts)


def scorecard_summary_view(card: Scorecard) -> Group:
    """Headline, who graded, notes, the dimension table and the level's reasons."""
    parts: list[RenderableType] = [headline(card), Text(f"Graded by {card.grader}", style="dim")]
    parts += [Text(reason, style="dim italic") for reason in card.confidence_reasons]
    if card.judge.used:
        parts.append(Text(f"LLM judge ({card.judge.model}): {card.judge.status} — {card.judge.message}", style="dim"))
    if card.notes:
        parts.append(bullets(card.notes, "!", "yellow"))
    parts += [Text(""), dimension_table(card)]
    if card.level_reasons:
        parts += [Text(""), Text.assemble(("Why this level: ", "bold"), " ".join(card.level_reasons))]
    return Group(*parts)


def scorecard_view(card: Scorecard, heading: str | None = None) -> Group:
    """The whole scorecard: summary, the checklist of points, then the improved outline."""
    title = Text.assemble(("Scorecard", "bold"), "  ", (heading or card.question, "bold cyan"))
    parts: list[RenderableType] = [title, scorecard_summary_view(card)]
    points = checklist(card)
    if points.renderables:
        parts += [Text(""), Text("Checklist: ✓ covered  ◐ partly  ✗ missing  ↪ said under another point (your words in quotes)", style="bold"), points]
    if card.outline:
        outline = Table.grid(padding=(0, 1))
        outline.add_column(justify="right", no_wrap=True)
        outline.add_column(ratio=1)
        for i, step in enumerate(card.outline, 1):
            outline.add_row(f"{i}.", short_citation(step, card.question))
        parts += [Text(""), Text("Improved outline", style="bold"), outline]
    return Group(*parts)
