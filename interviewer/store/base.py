"""The session store's contract: a small protocol any backend (SQLite, PostgreSQL) implements.

The UI and the CLI only talk to :class:`SessionStore`; SQLite and PostgreSQL implement it and
one contract test suite (tests/test_store.py) runs against both.
A session is stored whole (its ``model_dump_json()``) plus a :class:`SessionSummary` of the
columns the history list and the progress chart need, so listing never parses transcripts.
"""
from __future__ import annotations

import json
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from interviewer.dimensions import SEMANTIC_KINDS


class DimensionPoint(BaseModel):
    """One dimension's score on one question's scorecard (for per-dimension progress charts)."""

    title: str
    kind: str = ""
    score: float


class QuestionSummary(BaseModel):
    """One answered question's latest scores, with the scorecard's own labels."""

    question_id: str = ""
    question: str = ""
    overall: float | None = None
    dimensions: list[DimensionPoint] = Field(default_factory=list, description="Assessed dimensions only.")


class SessionSummary(BaseModel):
    """What the history list shows about one session, without its transcript."""

    id: str
    owner: str = ""
    created_at: float = Field(description="Unix time of the first save.")
    updated_at: float = Field(description="Unix time of the last save.")
    mode: str = "offline"
    level: str = ""
    tracks: list[str] = Field(default_factory=list)
    question_ids: list[str] = Field(default_factory=list, description="Questions asked so far.")
    n_questions: int = Field(0, description="Questions planned (0 in summaries saved before this field existed).")
    n_turns: int = 0
    finished: bool = False
    overall: float | None = None
    dimension_scores: dict[str, float] = Field(
        default_factory=dict, description="Mean 1-5 score per dimension title over the session's scorecards."
    )
    questions: list[QuestionSummary] = Field(default_factory=list, description="Per-question scores, in grading order.")


def question_ids_of(summaries: list[SessionSummary]) -> list[str]:
    """Question ids in the order the sessions list them (newest first), each once — what every
    store's ``recent_question_ids`` returns from its own ``list_sessions``."""
    seen: dict[str, None] = {}
    for summary in summaries:
        for qid in summary.question_ids:
            seen.setdefault(qid, None)
    return list(seen)


@runtime_checkable
class SessionStore(Protocol):
    """Where interview sessions live. Each ``save_session`` is one atomic transaction."""

    def save_session(self, session: Any, *, owner: str = "") -> None:
        """Insert or replace the session (a pydantic ``Session``) and its summary, atomically."""

    def load_session(self, session_id: str) -> Any | None:
        """The session with this id, or None when there is none."""

    def list_sessions(self, *, owner: str | None = None, limit: int = 50) -> list[SessionSummary]:
        """Most recently updated first; ``owner=None`` lists every owner's sessions."""

    def recent_question_ids(self, *, owner: str | None = None, limit: int = 20) -> list[str]:
        """Question ids asked in the owner's latest sessions, newest first, without repeats."""

    def delete(self, session_id: str) -> bool:
        """Remove a session; True when something was deleted."""

    def owner_of(self, session_id: str) -> str | None:
        """The session's owner (a primary-key lookup), or None when there is no such session."""

    def owned_summary(self, session_id: str, owner: str) -> SessionSummary | None:
        """The session's summary if it exists and belongs to ``owner`` (one primary-key lookup), else None."""

    def hold_message(self, session_id: str, text: str) -> None:
        """Store the candidate's message before it is graded; the next ``save_session`` clears it."""

    def pending_message(self, session_id: str) -> str:
        """The held message whose turn was never saved (a crash or lost connection), else ""."""

    def schema_version(self) -> int:
        """The applied migration number."""

    def ping(self) -> None:
        """Raise if the database cannot answer a trivial query now (for health checks)."""

    def close(self) -> None:
        """Release connections (a no-op where there are none to keep)."""


# ----------------------------------------------------------------- summarising a dump

# Cross-cutting dimensions keep their title across questions; framework parts do not
# ("Requirements" vs "Key Components"), so those are averaged into one chart series.
FRAMEWORK_SERIES = "Framework coverage"


def summarise(data: dict[str, Any], *, owner: str, created_at: float, updated_at: float) -> SessionSummary:
    """Derive the summary columns from a session's JSON dump (tolerant of missing fields)."""
    plan = data.get("plan") or {}
    turns = data.get("turns") or []
    cards = _scorecards(data)
    question_ids = _unique(
        [t.get("question_id") for t in turns if t.get("question_id")] + [c.get("question_id") for c in cards]
    )
    overalls = [c["overall"] for c in cards if isinstance(c.get("overall"), (int, float))]
    return SessionSummary(
        id=str(data["id"]),
        owner=owner,
        created_at=created_at,
        updated_at=updated_at,
        mode=str(data.get("mode") or "offline"),
        level=str(plan.get("level") or ""),
        tracks=list(plan.get("tracks") or []),
        question_ids=question_ids,
        n_questions=len(data.get("question_ids") or []) or int(plan.get("n_questions") or 0),
        n_turns=len(turns),
        finished=bool(data.get("finished")),
        overall=round(sum(overalls) / len(overalls), 2) if overalls else None,
        dimension_scores=dimension_means(cards),
        questions=[_question_summary(c) for c in cards],
    )


def _question_summary(card: dict[str, Any]) -> QuestionSummary:
    dims = [DimensionPoint(title=str(d.get("title") or d.get("id")), kind=str(d.get("kind") or ""), score=float(d["score"]))
            for d in card.get("dimensions", []) if d.get("assessed", True) and isinstance(d.get("score"), (int, float))]
    overall = card.get("overall")
    return QuestionSummary(question_id=str(card.get("question_id") or ""), question=str(card.get("question") or ""),
                           overall=float(overall) if isinstance(overall, (int, float)) else None, dimensions=dims)


def dimension_means(cards: list[dict[str, Any]]) -> dict[str, float]:
    """Mean score per chart series: each cross-cutting dimension, plus framework coverage."""
    buckets: dict[str, list[float]] = {}
    for card in cards:
        framework = [d["score"] for d in card.get("dimensions", []) if d.get("kind") in SEMANTIC_KINDS
                     and d.get("assessed", True) and d.get("score") is not None]
        if framework:
            buckets.setdefault(FRAMEWORK_SERIES, []).append(sum(framework) / len(framework))
        for d in card.get("dimensions", []):
            if d.get("kind") not in SEMANTIC_KINDS and d.get("assessed", True) and d.get("score") is not None:
                buckets.setdefault(str(d.get("title") or d.get("id")), []).append(float(d["score"]))
    return {name: round(sum(v) / len(v), 2) for name, v in buckets.items()}


def _scorecards(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The session's per-question scorecards, whether stored as a mapping or a list."""
    raw = data.get("scorecards") or {}
    items = raw.values() if isinstance(raw, dict) else raw
    return [c for c in items if isinstance(c, dict)]


def _unique(values: list[Any]) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        if v:
            seen.setdefault(str(v), None)
    return list(seen)


def dump(session: Any) -> tuple[str, dict[str, Any]]:
    """The session's JSON text (what is stored) and the same data as a dict (to summarise)."""
    text = session.model_dump_json()
    return text, json.loads(text)
