"""Retrieval quality floor: paraphrased questions find the right guide question (offline MiniLM)."""
from __future__ import annotations

from collections import Counter

import pytest

from interviewer.index import GuideIndex
from interviewer.index.retrieval_eval import evaluate_retrieval, load_queries

RECALL_AT_3_FLOOR = 0.90


@pytest.fixture(scope="module")
def report(tmp_path_factory, guide, embedder):
    from interviewer.settings import Settings

    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("retrieval"), chroma_url="")
    with GuideIndex(settings, embedder) as index:
        index.ingest(guide, progress=False)
        yield evaluate_retrieval(index)


def test_queries_cover_every_question_three_times(guide):
    queries = load_queries()
    counts = Counter(q.question_id for q in queries)
    assert len(queries) >= 48
    assert set(counts) == {q.id for q in guide.questions}
    assert min(counts.values()) >= 3
    texts = {q.text.lower().rstrip("?") for q in guide.questions}
    assert not any(q.query.lower().rstrip("?") in texts for q in queries), "queries must not copy the guide's wording"


def test_recall_at_3_meets_floor(report):
    print(report.line())
    for miss in report.misses_at_3:
        print(f"  miss (rank {miss.rank}): {miss.query} -> {miss.ranked_questions[:3]}")
    assert report.n >= 48
    assert 0 <= report.recall_at_1 <= report.recall_at_3 <= 1 and 0 < report.mrr <= 1
    assert report.recall_at_3 >= RECALL_AT_3_FLOOR, report.line()
