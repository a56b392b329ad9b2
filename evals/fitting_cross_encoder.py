"""The cross-encoder as the fitting scripts see it: out-of-fold logits.

``evals/train_cross_encoder.py`` writes, for every dev point, the logit of a model trained without
that point's writer (``evals/cross_encoder_oof.jsonl.gz``). ``evals.calibrate`` and ``evals.crossval``
grade the dev answers through :class:`OutOfFoldCrossEncoder`, so the matcher's weight on the
cross-encoder describes a new writer's answers, not the shipped model's own training sentences.
"""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np

from interviewer.grading.cross_encoder import CrossEncoder
from interviewer.grading.engine import matcher_view
from interviewer.grading.matcher import Matcher
from interviewer.settings import REPO_ROOT

# Each dev point's cross-encoder logit from a model trained without its writer (train_cross_encoder.py).
# Gzipped: with every shortlist pair it is ~10 MB as plain text.
CROSS_ENCODER_OOF = REPO_ROOT / "evals" / "cross_encoder_oof.jsonl.gz"


class OutOfFoldCrossEncoder:
    """The cross-encoder as fitting must see it: a dev sentence's logit comes from a model that never
    saw its writer, so the weights fitted on it describe a new writer's answers, not the model's own
    training sentences. Pairs the file does not hold (a sentence picked differently) go to the
    shipped model."""

    def __init__(self, path: Path = CROSS_ENCODER_OOF, fallback: CrossEncoder | None = None):
        rows = (json.loads(line) for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines() if line.strip())
        self.table: dict[tuple[str, str], float] = {}
        for r in rows:
            # Older files hold the raw sentence, newer ones the matcher's view of it.
            self.table[(r["point"], r["text"])] = r["logit"]
            self.table.setdefault((r["point"], matcher_view(r["text"])), r["logit"])
        self.fallback = fallback or CrossEncoder()
        self.misses = 0

    def score(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        out = np.array([self.table.get(p, np.nan) for p in pairs], dtype=np.float32)
        missing = np.isnan(out)
        if missing.any():
            self.misses += int(missing.sum())
            out[missing] = self.fallback.score([p for p, m in zip(pairs, missing) if m])
        return out


def fitting_cross_encoder(matcher: Matcher) -> OutOfFoldCrossEncoder | None:
    """What graders used for fitting read as the cross-encoder (None when the matcher reads none)."""
    return OutOfFoldCrossEncoder() if matcher.uses_cross_encoder else None
