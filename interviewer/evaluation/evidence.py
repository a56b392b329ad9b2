"""Does the scorecard quote the sentence that states a point?

A user reads a credited point together with the sentence quoted as its evidence; a right
credit with the wrong quote ("Secrets from Vault …" for "build and package") reads as a wrong
credit. Evidence labels locate, for each labelled covered, partial or near-miss point, the
text of the answer that states it (or, for a near miss, the text that tempts a matcher). They
live beside a dataset, in ``evidence/<dataset file name>`` — one JSON object per line,
``{"id": "gi-001", "evidence": {"1.2": "<exact text of the answer>", ...}}`` — so adding
them never changes a frozen split's file or its hash.

Agreement is measured on the points both sides credit: the grader's quote agrees when it
overlaps the labelled text by at least half of the shorter of the two.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel

from interviewer.errors import DatasetError

from .dataset import EvalItem, json_objects
from .points import is_cross_cutting

# Share of the shorter span the two quotes must share to count as the same evidence.
MIN_OVERLAP = 0.5


class EvidenceAgreement(BaseModel):
    """How often the grader's quote for a point it credits is the labelled text."""

    # Labelled covered/partial framework points the grader also credits, with a quote on both sides.
    n_credited: int
    n_agree: int
    rate: float | None
    # Labelled near misses the grader credits: how often its quote is the tempting text.
    n_near_miss_credited: int
    n_near_miss_tempting: int


def evidence_path(dataset_path: Path) -> Path:
    """Where a dataset's evidence labels live (the file may not exist)."""
    return dataset_path.parent / "evidence" / dataset_path.name


def load_evidence(path: Path, items: Sequence[EvalItem]) -> dict[str, dict[str, str]]:
    """Item id → point id → labelled text; every text must occur verbatim in its answer.

    Raises:
        DatasetError: a line is not a JSON object with ``id`` and ``evidence``, names an
            unknown item, or quotes text that is not in the answer.
    """
    answers = {item.id: item.answer for item in items}
    out: dict[str, dict[str, str]] = {}
    for where, row in json_objects(path, "evidence file"):
        if not isinstance(row.get("evidence"), dict):
            raise DatasetError(f"{where}: expected {{\"id\": ..., \"evidence\": {{point id: text}}}}")
        answer = answers.get(str(row.get("id")))
        if answer is None:
            raise DatasetError(f"{where}: no item '{row.get('id')}' in the dataset")
        for point, text in row["evidence"].items():
            if not isinstance(text, str) or not text or text not in answer:
                raise DatasetError(f"{where}: the text for point {point} is not in the answer of '{row['id']}'")
        out[str(row["id"])] = dict(row["evidence"])
    return out


def span(answer: str, text: str) -> tuple[int, int] | None:
    """Where ``text`` first occurs in ``answer`` (start, end), or None."""
    start = answer.find(text)
    return None if start < 0 else (start, start + len(text))


def agree(answer: str, quoted: str, labelled: str) -> bool:
    """True when the grader's quote and the labelled text share at least ``MIN_OVERLAP`` of the shorter."""
    a, b = span(answer, quoted), span(answer, labelled)
    if a is None or b is None:
        # A quote that is not verbatim (normalised text) is compared as text.
        return labelled in quoted or quoted in labelled
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared >= MIN_OVERLAP * min(a[1] - a[0], b[1] - b[0])


def evidence_agreement(items: Sequence[EvalItem], labels: Mapping[str, Mapping[str, str]],
                       credits: Sequence[Mapping[str, float]], quotes: Sequence[Mapping[str, str]]) -> EvidenceAgreement | None:
    """Agreement of the grader's quotes with the labelled texts; None when nothing is comparable."""
    n = agree_n = near_n = near_agree = 0
    for item, credit, quote in zip(items, credits, quotes):
        labelled = labels.get(item.id)
        if not labelled:
            continue
        stated = set(item.covered or []) | set(item.partial or [])
        near = set(item.near_miss or []) - stated
        for point, text in labelled.items():
            if is_cross_cutting(point) or credit.get(point, 0.0) <= 0 or not quote.get(point):
                continue
            hit = agree(item.answer, quote[point], text)
            if point in stated:
                n, agree_n = n + 1, agree_n + hit
            elif point in near:
                near_n, near_agree = near_n + 1, near_agree + hit
    if not n and not near_n:
        return None
    return EvidenceAgreement(n_credited=n, n_agree=agree_n, rate=agree_n / n if n else None,
                             n_near_miss_credited=near_n, n_near_miss_tempting=near_agree)
