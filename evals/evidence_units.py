"""The labelled evidence of the fitting sets, located among an answer's matcher units.

Evidence labels (``evals/datasets/evidence/``, LABELLING.md) give, per labelled point, the text of
the answer that states it (or, for a near miss, the text that tempts a matcher). Fitting reads
them to train the cross-encoder on the sentence that states a point (``export_pairs``) and to fill
the exemplar bank with the sentences labellers credited (``calibrate``), whatever the matcher's
own pick for that point was.
"""
from __future__ import annotations

from interviewer.evaluation.evidence import evidence_path, load_evidence, span
from interviewer.settings import REPO_ROOT

DATASETS = REPO_ROOT / "evals" / "datasets"


def located_evidence(names, items) -> dict[str, dict[str, str]]:
    """{item id: {point id: the labelled text that states it}} from the sets' evidence files."""
    out: dict[str, dict[str, str]] = {}
    for name in names:
        path = evidence_path(DATASETS / f"{name}.jsonl")
        if path.is_file():
            out.update(load_evidence(path, items))
    return out


def holding(answer: str, units, quote: str):
    """The unit that shares the most text with the labelled quote (the shorter one on ties)."""
    target = span(answer, quote)
    best, best_key = None, (0, 0)
    for u in units:
        shared = shared_chars(target, span(answer, u.text))
        key = (shared or 0, -len(u.text))
        if shared and shared > 0 and key > best_key:
            best, best_key = u, key
    return best


def most_of(answer: str, units, quote: str):
    """The unit whose text is most nearly the labelled quote (shared characters over the union of
    the two spans), for the exemplar bank: the unit *holding* a quote that crosses a clause
    boundary is often the whole sentence, and its vector then carries the sentence's other points
    too ("Hash ring with virtual nodes …; each shard gets a replica …; TTL plus LRU eviction, and
    delete-on-write …" stored as a statement of invalidation made a consistent-hashing answer read
    as one)."""
    target = span(answer, quote)
    best, best_ratio = None, 0.0
    for u in units:
        where = span(answer, u.text)
        shared = shared_chars(target, where)
        if shared and shared > 0:
            ratio = shared / (max(target[1], where[1]) - min(target[0], where[0]))
            if ratio > best_ratio:
                best, best_ratio = u, ratio
    return best


def shared_chars(a, b) -> int | None:
    """Characters two (start, end) spans share (≤ 0 when apart); None when either was not found."""
    if a is None or b is None:
        return None
    return min(a[1], b[1]) - max(a[0], b[0])
