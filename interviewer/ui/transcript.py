"""A session as chat messages, as a Markdown transcript and as export data.

Reads the engine's ``Session`` through a few attributes only (id, plan, mode, turns,
scorecards, finished, report), so the UI does not depend on the engine's internals.
"""
from __future__ import annotations

import json
import time
from typing import Any

from interviewer.grading import Scorecard

ROLE = {"interviewer": "assistant", "candidate": "user", "system": "assistant"}


def turns_to_messages(turns: list[Any]) -> list[dict[str, str]]:
    """Chatbot messages (``{"role", "content"}``); system turns are shown as quiet notes."""
    messages = []
    for t in turns:
        text = str(getattr(t, "text", "") or "").strip()
        if not text:
            continue
        if t.role == "system":
            text = "\n".join(f"_{line.strip()}_" if line.strip() else "" for line in text.splitlines())
        messages.append({"role": ROLE.get(t.role, "assistant"), "content": text})
    return messages


def scorecards(session: Any) -> list[Scorecard]:
    """The session's per-question scorecards in the order they were graded."""
    raw = getattr(session, "scorecards", None) or {}
    items = list(raw.values()) if isinstance(raw, dict) else list(raw)
    return [c if isinstance(c, Scorecard) else Scorecard.model_validate(c) for c in items if c is not None]


def final_report(session: Any) -> Any | None:
    """The final report stored on a finished session (field name tolerant), or None."""
    for name in ("report", "final_report"):
        value = getattr(session, name, None)
        if value is not None:
            return value
    return None


def report_markdown(report: Any | None) -> str:
    if report is None:
        return ""
    return report.to_markdown() if hasattr(report, "to_markdown") else str(report)


def plan_line(session: Any) -> str:
    """E.g. "System design, Backend · 3 questions · staff"."""
    from interviewer.guide.model import TRACK_TITLES

    plan = session.plan
    tracks = ", ".join(TRACK_TITLES.get(t, t) for t in (plan.tracks or [])) or "Mixed"
    n = plan.n_questions
    return f"{tracks} · {n} question{'s' if n != 1 else ''} · {plan.level}"


def session_markdown(session: Any) -> str:
    """Transcript, per-question scorecards and the final report, as one Markdown document."""
    lines = [f"# Mock interview — {plan_line(session)}", "",
             f"_Mode: {session.mode} · session {session.id} · exported {time.strftime('%Y-%m-%d %H:%M')}_", "",
             "## Transcript", ""]
    for t in session.turns:
        who = {"interviewer": "**Interviewer**", "candidate": "**You**", "system": "_Note_"}.get(t.role, t.role)
        body = str(t.text).strip().replace("\n", "\n> ")
        lines += [f"{who}:", "", f"> {body}", ""]
    report = report_markdown(final_report(session))
    cards = scorecards(session)
    if report:  # it holds every question's scorecard: listing them here too would print each twice
        lines += ["## Final report", "", report]
    elif cards:  # an interview in progress: the scorecards so far
        lines += ["## Scorecards", ""]
        lines += [c.to_markdown() for c in cards]
    return "\n".join(lines).rstrip() + "\n"


# The interviewer's private reasoning stays in the store, out of what the candidate downloads.
PRIVATE_FIELDS = {"notes"}


def session_data(session: Any) -> dict[str, Any]:
    """The session as plain JSON data for exports (without the interviewer's hidden notes)."""
    data = json.loads(session.model_dump_json())
    return {k: v for k, v in data.items() if k not in PRIVATE_FIELDS}
