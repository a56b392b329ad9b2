"""The LLM prompt for one interviewer turn, kept within a token budget.

The prompt is ``prompts/interviewer/system.md`` plus ``turn.md`` filled with: a computed
summary of the interview so far, a window of the most recent turns, the current
question's guide notes (retrieved by question id, never by the answer's text), the
move and the offline draft. The window takes whatever budget is left after the fixed
parts, newest turns first, so prompt tokens per turn stay flat however long the
interview runs. Candidate text is fenced as untrusted data.
"""
from __future__ import annotations

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from interviewer.guide import Question
from interviewer.interview.models import Session
from interviewer.llm import count_message_tokens, ensure_token_counting
from interviewer.prompting import load_toml, render
from interviewer.tokens import count_tokens, truncate_to_tokens

GUIDE_SHARE = 0.30  # of the budget, at most, for guide notes
SUMMARY_SHARE = 0.12  # ... for the summary of earlier questions
TURN_TOKENS = 220  # one turn in the window is cut to this many tokens
SAFETY_TOKENS = 24  # message framing the count cannot see exactly


def fence(text: str) -> str:
    """Candidate text between <candidate> tags it cannot close early."""
    return "<candidate>" + text.replace("</candidate", "</ candidate") + "</candidate>"


def summary(session: Session, questions: dict[str, str], budget: int, model: str = "") -> str:
    """Computed (not model-written) summary: earlier questions, figures already given."""
    lines = []
    for rec in session.records[:-1]:
        lines.append(f"Q{rec.number}: {questions.get(rec.question_id, rec.question_id)} ({rec.status}, "
                     f"{rec.followups} follow-up(s)).")
    if session.facts:
        lines.append("Figures already given to the candidate (repeat them exactly if relevant): "
                     + " ".join(f"{k}: {v}." for k, v in session.facts.items()))
    rec = session.records[-1] if session.records else None
    if rec is not None:
        lines.append(f"Current question is Q{rec.number} of {len(session.question_ids)}; {rec.followups} follow-up(s) asked.")
    # Newest lines matter most: keep them when the summary must shrink.
    kept: list[str] = []
    used = 0
    for line in reversed(lines):
        cost = count_tokens(line, model) + 1
        if used + cost > budget:
            break
        kept.insert(0, line)
        used += cost
    omitted = len(lines) - len(kept)
    return (f"({omitted} earlier item(s) omitted.)\n" if omitted else "") + ("\n".join(kept) or "This is the start of the interview.")


def window(session: Session, budget: int, model: str = "") -> str:
    """The most recent visible turns that fit in ``budget`` tokens, oldest first."""
    picked: list[str] = []
    used = 0
    for turn in reversed(session.turns):
        if turn.role == "system":
            continue
        text = truncate_to_tokens(turn.text, TURN_TOKENS, model)
        line = ("Candidate: " + fence(text)) if turn.role == "candidate" else f"Interviewer: {text}"
        cost = count_tokens(line, model) + 1
        if used + cost > budget:
            break
        picked.insert(0, line)
        used += cost
    return "\n".join(picked) or "(no turns yet)"


def build_messages(session: Session, question: Question, questions: dict[str, str], *, move: str, draft: str,
                   guide_notes: list[str], budget: int, model: str = "") -> tuple[list[BaseMessage], int]:
    """System + user message for one turn, and their token count (≤ ``budget`` when it can be)."""
    ensure_token_counting()
    system = SystemMessage(render("interviewer/system.md", level=session.plan.level))
    notes = truncate_to_tokens("\n\n".join(guide_notes), int(budget * GUIDE_SHARE), model)
    values = dict(question=question.text, summary=summary(session, questions, int(budget * SUMMARY_SHARE), model),
                  guide_notes=notes or "(none)", move=move, draft=draft,
                  instruction=load_toml("interviewer/moves.toml")["instructions"][move])
    fixed = count_message_tokens([system, HumanMessage(render("interviewer/turn.md", window="", **values))], model)
    room = max(0, budget - fixed - SAFETY_TOKENS)
    messages: list[BaseMessage] = [system, HumanMessage(render("interviewer/turn.md", window=window(session, room, model), **values))]
    return messages, count_message_tokens(messages, model)


def guide_notes(question: Question) -> list[str]:
    """Notes for a question straight from the guide: its framework parts, never the example answer."""
    return [f"{question.framework_label or 'Framework'} › {p.summary()}" for p in question.parts]
