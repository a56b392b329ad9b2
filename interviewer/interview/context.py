"""The LLM prompt for one interviewer turn: per question, so it stays flat.

The interviewer only phrases the engine's move, so the prompt is ``prompts/interviewer/system.md``
plus ``turn.md`` filled with: the current question, a one-line computed summary of the
interview so far (where we are), the last few turns *of the current
question only*, a few of the question's guide notes (retrieved by question id, never by the
answer's text), the move and the offline draft. Earlier questions never enter the window, so a
prompt late in the interview costs what one early on does (``evals/interview_tokens.py``
measures it). Candidate text is fenced as untrusted data.
"""
from __future__ import annotations

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from interviewer.guide import Question
from interviewer.interview.models import Session
from interviewer.llm import count_message_tokens, ensure_token_counting
from interviewer.prompting import load_toml, render
from interviewer.tokens import count_tokens, truncate_to_tokens

GUIDE_TOKENS = 120  # guide notes: enough for the topic's vocabulary, not a second rubric
SUMMARY_SHARE = 0.12  # of the budget, at most, for the summary of earlier questions
WINDOW_TURNS = 4  # the current question's last turns: the draft carries the move, these carry the tone
TURN_TOKENS = 110  # one turn in the window is cut to this many tokens
SAFETY_TOKENS = 24  # message framing the count cannot see exactly


def fence(text: str) -> str:
    """Candidate text between <candidate> tags it cannot close early."""
    return "<candidate>" + text.replace("</candidate", "</ candidate") + "</candidate>"


def summary(session: Session, questions: dict[str, str], budget: int, model: str = "") -> str:
    """Computed (not model-written) and short: where the interview is.

    Earlier questions are counted, not retold: the interviewer phrases a move on this question.
    Figures the candidate was given need no line here: a clarifying move's draft carries them
    exactly, and the guard holds the reply to them.
    """
    rec = session.records[-1] if session.records else None
    lines = []
    if rec is not None:
        done = session.records[:-1]
        answered = sum(r.status == "answered" for r in done)
        lines.append(f"Question {rec.number} of {len(session.question_ids)}"
                     + (f"; earlier: {answered} answered, {len(done) - answered} skipped or unanswered" if done else "")
                     + f"; {rec.followups} follow-up(s) on this one so far.")
    text = "\n".join(lines) or "This is the start of the interview."
    return truncate_to_tokens(text, budget, model)


def window(session: Session, budget: int, model: str = "") -> str:
    """The current question's last :data:`WINDOW_TURNS` visible turns that fit in ``budget``, oldest first."""
    rec = session.records[-1] if session.records else None
    qid = rec.question_id if rec is not None else None
    picked: list[str] = []
    used = 0
    for turn in reversed(session.turns):
        if len(picked) >= WINDOW_TURNS or (qid is not None and turn.question_id not in (qid, None)):
            break  # an earlier question: it is over, and this turn needs none of it
        if turn.role == "system" or turn.kind in ("intro", "wrapup"):
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
    notes = truncate_to_tokens(_distinct_lines(guide_notes, question.text), min(GUIDE_TOKENS, budget // 4), model)
    values = dict(question=question.text, summary=summary(session, questions, int(budget * SUMMARY_SHARE), model),
                  guide_notes=notes or "(none)", move=move, draft=draft,
                  instruction=load_toml("interviewer/moves.toml")["instructions"][move])
    fixed = count_message_tokens([system, HumanMessage(render("interviewer/turn.md", window="", **values))], model)
    room = max(0, budget - fixed - SAFETY_TOKENS)
    messages: list[BaseMessage] = [system, HumanMessage(render("interviewer/turn.md", window=window(session, room, model), **values))]
    return messages, count_message_tokens(messages, model)


def _distinct_lines(notes: list[str], question: str) -> str:
    """The notes' lines once each, without the question itself (every index chunk repeats it)."""
    seen = {question.strip().lower(), f"interview question: {question.strip().lower()}"}
    lines = []
    for line in "\n".join(notes).splitlines():
        key = line.strip().lower()
        if key and key not in seen:
            seen.add(key)
            lines.append(line)
    return "\n".join(lines)


def guide_notes(question: Question) -> list[str]:
    """Notes for a question straight from the guide: its framework parts, never the example answer."""
    return [f"{question.framework_label or 'Framework'} › {p.summary()}" for p in question.parts]
