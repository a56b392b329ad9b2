"""Guide search results as readable cards that open onto their question's framework and example answer.

A chunk's text is the guide's own Markdown flattened for embedding ("Requirements: - High
availability - …"); here its list items become a list again. Each result is a
``<details>`` card: the summary is the passage, and opening it shows the whole question —
the framework parts, diagram and example answer — without leaving the search. Everything
from the guide is escaped (a user may drop in any guide).
"""
from __future__ import annotations

import re
from html import escape

from interviewer.guide import Question
from interviewer.ui.context import AppContext

MAX_K = 20
SNIPPET_ITEMS = 6  # list items shown in a closed card; the open card has the whole question
_ITEM = re.compile(r"(?:^|\s)[-*•]\s+")


def _passage_html(text: str, question: str) -> str:
    """The passage with its list items as a list and the repeated question line dropped."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if lines and question and lines[0].startswith(question):
        lines[0] = lines[0][len(question):].lstrip(" :—-")
    head: list[str] = []
    items: list[str] = []
    for line in lines:
        pieces = [p.strip() for p in _ITEM.split(line)]
        if line.lstrip().startswith(("-", "*", "•")):
            items += [p for p in pieces if p]
        else:
            if pieces[0]:
                head.append(pieces[0])
            items += [p for p in pieces[1:] if p]
    more = f'<li class="sc-muted">…and {len(items) - SNIPPET_ITEMS} more</li>' if len(items) > SNIPPET_ITEMS else ""
    listed = "".join(f"<li>{escape(i)}</li>" for i in items[:SNIPPET_ITEMS])
    intro = " ".join(head).strip()
    if len(intro) > 360:  # cut the text, then escape it: a cut escaped text can split "&amp;"
        intro = intro[:359] + "…"
    intro = escape(intro)
    return (f"<span>{intro}</span>" if intro else "") + (f"<ul>{listed}{more}</ul>" if listed else "")


def question_html(q: Question) -> str:
    """A question's framework parts (points, diagram) and its example answer, as HTML."""
    out = [f'<p class="sc-muted">{escape(q.track_title)}{" › " + escape(q.section) if q.section else ""}</p>']
    for p in q.parts:
        out.append(f"<h5>{p.index}. {escape(p.title)}</h5>")
        if p.points:
            out.append("<ul>" + "".join(f"<li>{escape(pt.text)}</li>" for pt in p.points) + "</ul>")
        if p.diagram:
            out.append(f"<pre>{escape(p.diagram)}</pre>")
    if q.example:
        out.append(f"<h5>{len(q.parts) + 1}. {escape(q.example_part_title)}</h5><p><i>{escape(q.example.headline)}</i></p>")
        out.append("<ul>" + "".join(f"<li>{escape(b)}</li>" for b in q.example.bullets) + "</ul>")
    return "".join(out)


def _message(text: str) -> str:
    return f'<div class="sc sc-empty">{text}</div>'


def search_html(ctx: AppContext, query: str, k: int, track: str | None = None) -> str:
    """Semantic search over the Chroma index: one card per hit, with its citation and similarity."""
    query = (query or "").strip()
    if not query:
        return _message("Type what you are looking for, e.g. <i>idempotent payment retries</i> or <i>handling a low performer</i>.")
    index = ctx.index
    if index.count() == 0:
        return _message("The search index is empty. Run <code>interviewer ingest</code> (or <code>make run</code>, which does it) "
                        "and try again.")
    hits = index.search(query[:500], k=max(1, min(int(k or 5), MAX_K)), track=track or None)
    if not hits:
        return _message("No matching passages. Try other words, or browse the questions on the left.")
    questions = {q.id: q for q in ctx.guide.questions}
    cards = []
    for n, h in enumerate(hits, 1):
        q = questions.get(h.question_id)
        meta = f"{h.kind.replace('_', ' ')} · similarity {h.score:.2f}"
        summary = (f'<span class="hit-title">{n}. {escape(h.citation or "Guide")}</span><span class="hit-meta">{escape(meta)}</span>'
                   f'<span class="hit-text">{_passage_html(h.text, q.text if q else "")}</span>')
        if q is None:  # general frameworks and tips: the passage is the whole answer
            cards.append(f'<details class="hit"><summary>{summary}</summary></details>')
            continue
        summary += '<span class="hit-open">Show the framework and example answer</span>'
        cards.append(f'<details class="hit"><summary>{summary}</summary><div class="hit-body">'
                     f'<h4>{escape(q.text)}</h4>{question_html(q)}</div></details>')
    return f'<div class="hits">{"".join(cards)}</div>'
