"""HTML renderings of scorecards: score bars, evidence, gaps, and before/after deltas.

Pure functions from typed data to HTML strings, so they are tested without a browser.
Everything that came from the user (quotes, own questions) is escaped: an answer is
untrusted text and must never become markup. Styling lives in :mod:`interviewer.ui.theme`.
"""
from __future__ import annotations

from html import escape

from interviewer.grading import DimensionScore, PointResult, Scorecard
from interviewer.grading.scorecard import clip, short_citation
from interviewer.grading.verdict import stated_under

STATUS_ICON = {"covered": "✓", "partial": "◐", "missing": "✗"}
ELSEWHERE_ICON = "↪"  # a missing point whose idea the answer stated under another of the guide's ids
QUOTE_CHARS = 220  # a quote longer than this is cut on the card (the full answer is in the transcript)


def _tone(score: float | None) -> str:
    if score is None:
        return "na"
    return "low" if score < 2.5 else ("mid" if score < 3.5 else "high")


def empty_card(message: str) -> str:
    """A placeholder panel (before the first answer, or when nothing is graded)."""
    return f'<div class="sc sc-empty">{escape(message)}</div>'


def _point(p: PointResult, question: str, elsewhere: tuple[DimensionScore, PointResult] | None = None, hint: str = "") -> str:
    quote = f'<q class="sc-quote">{escape(clip(p.evidence.quote, QUOTE_CHARS))}</q>' if p.evidence and p.status != "missing" else ""
    if hint:
        quote += f'<span class="sc-muted">{escape(hint[0].upper() + hint[1:])}.</span>'
    if elsewhere is not None:
        # The guide names this idea twice; the answer stated it, credited under the other id.
        other = elsewhere[1]
        return (f'<li class="sc-pt sc-elsewhere"><span class="sc-icon" title="stated under another point">{ELSEWHERE_ICON}</span>'
                f'<span class="sc-pt-body"><span class="sc-pt-text">{escape(p.text)}</span>'
                f'<span class="sc-muted">Stated under “{escape(other.text)}” ({escape(short_citation(elsewhere[0].title, question))})</span>'
                f'<cite title="{escape(p.citation)}">{escape(short_citation(p.citation, question))}</cite></span></li>')
    return (f'<li class="sc-pt sc-{p.status}"><span class="sc-icon" title="{p.status}">{STATUS_ICON[p.status]}</span>'
            f'<span class="sc-pt-body"><span class="sc-pt-text">{escape(p.text)}</span>{quote}'
            f'<cite title="{escape(p.citation)}">{escape(short_citation(p.citation, question))}</cite></span></li>')


def _dimension(d: DimensionScore, question: str, elsewhere: dict | None = None, hints: dict[str, str] | None = None) -> str:
    if not d.assessed or d.score is None:
        bar, label = '<span class="sc-bar sc-bar-na"></span>', '<span class="sc-score sc-na-label">not assessed</span>'
    else:
        bar = (f'<span class="sc-bar"><span class="sc-fill sc-{_tone(d.score)}" style="width:{d.score * 20}%"></span></span>')
        label = f'<span class="sc-score">{d.score}/5</span>'
    covered = sum(p.status == "covered" for p in d.points)
    elsewhere = elsewhere or {}
    hints = hints or {}
    points = "".join(_point(p, question, elsewhere.get((d.id, p.id)), hints.get(p.text, "") if p.status == "missing" else "")
                     for p in sorted(d.points, key=lambda p: ("covered", "partial", "missing").index(p.status)))
    body = f'<ul class="sc-points">{points}</ul>' if d.assessed else '<p class="sc-muted">This dimension was not asked about, so it is not scored.</p>'
    # A dimension not asked about has no points to count ("0 of 2" read as two points missed).
    count = f"{covered} of {len(d.points)}" if d.assessed else "—"
    return (f'<details class="sc-dim"><summary><span class="sc-title">{escape(d.title)}</span>{bar}{label}'
            f'<span class="sc-count" title="Points covered">{count}</span></summary>{body}</details>')


# Names the two number columns, so "3/5" (the score) beside "0 of 2" (points covered) is no puzzle.
COLUMNS = ('<div class="sc-cols" aria-hidden="true"><span>Dimension</span><span></span><span>Score</span>'
           '<span>Points</span></div>')


def scorecard_html(card: Scorecard | None, *, heading: str = "") -> str:
    """The scorecard panel: overall, level, one bar per dimension; click a bar for its evidence."""
    if card is None:
        return empty_card("Your scorecard appears here after your first answer.")
    overall = "–" if card.overall is None else f"{card.overall:.1f}"
    tone = _tone(card.overall)
    title = escape(heading or card.question)
    notes = "".join(f'<p class="sc-note">{escape(n)}</p>' for n in card.notes)
    judge = (f'<p class="sc-muted">LLM judge ({escape(card.judge.model)}): {escape(card.judge.status)}'
             f'{" — " + escape(card.judge.message) if card.judge.message else ""}</p>') if card.judge.used else ""
    reasons = " ".join(card.level_reasons)
    elsewhere = stated_under(card.dimensions, card.stated_from)
    hints = {g.point: g.hint for g in card.gaps if g.hint}
    return (
        f'<div class="sc"><div class="sc-head"><div class="sc-overall sc-{tone}"><b>{overall}</b><small>/5</small></div>'
        f'<div class="sc-meta"><div class="sc-question">{title}</div>'
        f'<div>Level <b>{escape(card.level)}</b> · confidence {escape(card.confidence)}</div>'
        f'<div class="sc-muted" title="{escape(reasons)}">{escape(card.grader)}</div></div></div>'
        f'{notes}{judge}<div class="sc-dims">{COLUMNS}{"".join(_dimension(d, card.question, elsewhere, hints) for d in card.dimensions)}</div>'
        f'<p class="sc-hint">Click a dimension to see your words as evidence and what is missing, with '
        f'{"the point of your reference" if card.rubric_source == "reference" else "the guide section"}.</p>'
        f'{"".join(f"<p class=sc-hint>{escape(r)}</p>" for r in card.confidence_reasons)}</div>'
    )


def gaps_markdown(card: Scorecard | None) -> str:
    """Missing points with citations, then the improved outline (Markdown)."""
    if card is None:
        return ""
    lines: list[str] = []
    if card.gaps:
        lines += ["#### Missing points", *[f"- **{g.dimension}** — {g.point}" + (f" — *{g.hint}*" if g.hint else "")
                                          + f"  \n  <sub>Guide: {short_citation(g.citation, card.question)}</sub>" for g in card.gaps], ""]
    else:
        lines += ["#### Missing points", "Nothing essential is missing.", ""]
    if card.outline:
        lines += ["#### Improved outline", *[f"{i}. {step}" for i, step in enumerate(card.outline, 1)]]
    return "\n".join(lines)


def _arrow(before: float | None, after: float | None, digits: int = 0) -> str:
    if before is None or after is None:
        return '<span class="dl-same">—</span>'
    diff = round(after - before, digits)
    if diff > 0:
        return f'<span class="dl-up">▲ +{diff:.{digits}f}</span>'
    if diff < 0:
        return f'<span class="dl-down">▼ {diff:.{digits}f}</span>'
    return '<span class="dl-same">= 0</span>'


def _fmt(score: float | None, digits: int = 0) -> str:
    return "n/a" if score is None else f"{score:.{digits}f}"


def delta_html(before: Scorecard | None, after: Scorecard) -> str:
    """Per-dimension change between the previous version of a draft and this one."""
    if before is None:
        return empty_card("Edit your draft and grade it again to see what changed, dimension by dimension.")
    prev = {d.id: d for d in before.dimensions}
    rows = [f'<tr class="dl-overall"><td>Overall</td><td>{_fmt(before.overall, 1)}</td><td>{_fmt(after.overall, 1)}</td>'
            f'<td>{_arrow(before.overall, after.overall, 1)}</td></tr>']
    for d in after.dimensions:
        old = prev.get(d.id)
        old_score = old.score if old is not None and old.assessed else None
        new_score = d.score if d.assessed else None
        rows.append(f'<tr><td>{escape(d.title)}</td><td>{_fmt(old_score)}</td><td>{_fmt(new_score)}</td>'
                    f'<td>{_arrow(old_score, new_score)}</td></tr>')
    newly = sorted({p.text for d in after.dimensions for p in d.points if p.status == "covered"}
                   - {p.text for d in before.dimensions for p in d.points if p.status == "covered"})
    lost = sorted({p.text for d in before.dimensions for p in d.points if p.status == "covered"}
                  - {p.text for d in after.dimensions for p in d.points if p.status == "covered"})
    extra = "".join(f'<li class="dl-up">+ {escape(t)}</li>' for t in newly) + "".join(f'<li class="dl-down">− {escape(t)}</li>' for t in lost)
    return (f'<div class="dl"><table><thead><tr><th>Dimension</th><th>Before</th><th>Now</th><th>Change</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>'
            + (f'<p class="sc-muted">Points now covered (+) or no longer covered (−):</p><ul class="dl-points">{extra}</ul>' if extra else "")
            + "</div>")


