"""Retrieval quality: do paraphrased queries find the right guide question?

Each query in ``evals/retrieval_queries.jsonl`` names the question it is about. We
search, walk the hits in rank order, keep the *distinct* question ids (chunks without a
question — tips, general frameworks — are skipped), and score recall@1, recall@3 and MRR
over that ranking of questions.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from interviewer.errors import DatasetError

if TYPE_CHECKING:
    from interviewer.index.store import GuideIndex

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_QUERIES = REPO_ROOT / "evals" / "retrieval_queries.jsonl"
SEARCH_DEPTH = 40  # chunks fetched per query; enough to rank well over 3 distinct questions


class RetrievalQuery(BaseModel):
    query: str
    question_id: str


class QueryResult(BaseModel):
    query: str
    question_id: str
    ranked_questions: list[str] = Field(description="Distinct question ids in rank order (top 5).")
    rank: int | None = Field(description="1-based rank of the right question; None when not found.")


class RetrievalReport(BaseModel):
    n: int
    recall_at_1: float
    recall_at_3: float
    mrr: float
    misses_at_3: list[QueryResult] = Field(default_factory=list)
    results: list[QueryResult] = Field(default_factory=list)

    def line(self) -> str:
        return (f"retrieval over {self.n} queries: recall@1 {self.recall_at_1:.3f}, "
                f"recall@3 {self.recall_at_3:.3f}, MRR {self.mrr:.3f}")


def load_queries(path: Path = DEFAULT_QUERIES) -> list[RetrievalQuery]:
    """Read the JSONL file; a bad line raises :class:`DatasetError` naming file and line."""
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(RetrievalQuery.model_validate(json.loads(line)))
        except Exception as exc:
            raise DatasetError(f"{path} line {n}: {exc}") from exc
    if not out:
        raise DatasetError(f"{path}: no queries.")
    return out


def distinct_questions(question_ids: list[str]) -> list[str]:
    """Question ids in first-seen order, without blanks or repeats."""
    seen: list[str] = []
    for q in question_ids:
        if q and q not in seen:
            seen.append(q)
    return seen


def evaluate_retrieval(index: "GuideIndex", queries: list[RetrievalQuery] | None = None,
                       depth: int = SEARCH_DEPTH) -> RetrievalReport:
    """recall@1, recall@3 and MRR of ``index.search`` over the queries."""
    queries = queries if queries is not None else load_queries()
    results = []
    for q in queries:
        ranked = distinct_questions([h.question_id for h in index.search(q.query, k=depth)])
        rank = ranked.index(q.question_id) + 1 if q.question_id in ranked else None
        results.append(QueryResult(query=q.query, question_id=q.question_id, ranked_questions=ranked[:5], rank=rank))
    n = len(results)
    r1 = sum(r.rank == 1 for r in results) / n
    r3 = sum(r.rank is not None and r.rank <= 3 for r in results) / n
    mrr = sum(1.0 / r.rank for r in results if r.rank) / n
    return RetrievalReport(
        n=n, recall_at_1=round(r1, 4), recall_at_3=round(r3, 4), mrr=round(mrr, 4),
        misses_at_3=[r for r in results if r.rank is None or r.rank > 3], results=results,
    )
