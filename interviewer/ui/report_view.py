"""The final report on screen: a short summary, then one visual scorecard per question.

The engine's ``FinalReport.to_markdown()`` is the complete document and goes into the
exports; on screen the per-question scorecards are shown as cards (bars and evidence)
rather than repeated as Markdown tables, so the report reads in one screen.
"""
from __future__ import annotations

import re
from typing import Any

from interviewer.ui import cards

MAX_GAPS = 6


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}"


def summary_markdown(report: Any | None) -> str:
    """Overall, per-question table, timing, what to practise next (once), usage."""
    if report is None:
        return ""
    card = getattr(report, "scorecard", None)
    lines = ["### Mock interview report", ""]
    if card is not None and card.overall is not None:
        lines.append(f"**Overall {card.overall:.1f} / 5 · level {card.level}** (target: {report.target_level}) · mode: {report.mode}")
    else:
        lines.append(f"No answer was graded (target: {report.target_level}) · mode: {report.mode}")
    lines.append("")
    lines += [f"- {note}" for note in report.notes]
    if report.questions:
        lines += ["", "| # | Question | Status | Overall | Level | Follow-ups | Hints |", "|---|---|---|---|---|---|---|"]
        lines += [f"| {i} | {q.question} | {q.status} | {_fmt(q.overall)} | {q.level} | {q.followups} | {q.hints} |"
                  for i, q in enumerate(report.questions, 1)]
    if report.overruns:
        lines += ["", "**Time:** " + "; ".join(f"{o.phase} took {o.elapsed_s / 60:.1f} of {o.budget_s / 60:.0f} min"
                                               for o in report.overruns)]
    lines += ["", *_advice(report, card)]
    usage = getattr(report, "usage", None)
    if usage is not None and hasattr(usage, "summary"):
        lines += ["", f"<sub>{usage.summary()}</sub>"]
    return "\n".join(lines).strip()


def _advice(report: Any, card: Any | None) -> list[str]:
    """What to do next, once: the lessons (they quote the guide and its example answer) when there are
    any, else the combined card's gaps; showing both repeated the same points in two lists."""
    if getattr(report, "lessons", None):
        # The lessons' own headings are h3, like the report's title; one level down they read as its sections.
        text = re.sub(r"^### ", "#### ", report.lessons_markdown(), flags=re.M)
        for lesson in report.lessons:  # the heading names the question: its citations need not repeat it
            text = text.replace(f"({lesson.question} › ", "(guide: ")
        return [text]
    if card is None or not card.gaps:
        return []
    lines = ["**Work on next**", *[f"- {g.point}" + (f" — *{g.hint}*" if g.hint else "") + f"  \n  <sub>Guide: {g.citation}</sub>"
                                   for g in card.gaps[:MAX_GAPS]]]
    if len(card.gaps) > MAX_GAPS:
        lines.append(f"- …and {len(card.gaps) - MAX_GAPS} more in the downloadable report.")
    return lines


def question_cards_html(report: Any | None) -> str:
    """Each answered question's scorecard as a card, two per row on a laptop screen."""
    scorecards = list(getattr(report, "scorecards", []) or []) if report is not None else []
    if not scorecards:
        return ""
    items = "".join(f'<div>{cards.scorecard_html(c, heading=f"Q{i}: {c.question}")}</div>' for i, c in enumerate(scorecards, 1))
    return f'<div class="report-grid">{items}</div>'
