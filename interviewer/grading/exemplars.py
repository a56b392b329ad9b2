"""Labelled exemplar sentences per guide point: how other people stated it, and how they missed it.

A point's wording ("Cache invalidation and expiration") is one way to say it; the blind-labelled
answers hold dozens more — the sentences labellers credited ("LRU plus TTLs, and we evict on
writes from CDC events") and the ones they marked as near misses (the guide's words, wrongly
used). For a new answer, the exemplar features say how closely its sentences resemble the
credited statements of this point and how closely its best such sentence resembles the near
misses. Measured leaving each writer out (the bank then holds only other writers' sentences),
they raise point F1 on the blind sets from 0.78 to 0.82 and cut credited near misses from 52 % to
32 % (evals/CALIBRATION.md).

The bank only knows the shipped guide's questions (keyed by question id *and* point wording, so
an edited point falls back to the plain matcher) and only vectors from the embedder that made
it. It holds vectors, not the labelled answers' text. Built by ``python -m evals.calibrate``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

BANK_FILE = Path(__file__).with_name("exemplars.npz")
EXEMPLAR_FEATURES = ("ex_pos", "ex_neg", "ex_diff", "ex_best_diff")
STATED, NEAR_MISS = 1, 0
STATED_ROWS, NEAR_MISS_ROWS = 0, 1  # positions in a point's (stated vectors, near-miss vectors) index entry


def bank_key(question_id: str, point_text: str) -> str:
    return f"{question_id}\t{' '.join(point_text.split())}"


@dataclass(frozen=True)
class ExemplarBank:
    """Exemplar vectors, one row each: its point's key, stated (1) or near miss (0), its writer."""

    embedder: str
    keys: np.ndarray  # (N,) str
    labels: np.ndarray  # (N,) int8
    writers: np.ndarray  # (N,) str
    vectors: np.ndarray  # (N, D) float32, unit length

    def without(self, *, writer: str | None = None, question_id: str | None = None) -> "ExemplarBank":
        """The bank minus one writer's sentences (cross-validation) or one question's."""
        keep = np.ones(len(self.keys), dtype=bool)
        if writer is not None:
            keep &= self.writers != writer
        if question_id is not None:
            keep &= ~np.char.startswith(self.keys.astype(str), question_id + "\t")
        return ExemplarBank(self.embedder, self.keys[keep], self.labels[keep], self.writers[keep], self.vectors[keep])

    @property
    def _index(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        cached = self.__dict__.get("_cache")
        if cached is None:
            cached = {}
            for key in np.unique(self.keys):
                rows = self.keys == key
                cached[str(key)] = (self.vectors[rows & (self.labels == STATED)], self.vectors[rows & (self.labels == NEAR_MISS)])
            object.__setattr__(self, "_cache", cached)
        return cached

    def has(self, question_id: str, point_text: str) -> bool:
        entry = self._index.get(bank_key(question_id, point_text))
        return entry is not None and len(entry[0]) > 0

    def _likeness(self, question_id: str, point_texts: list[str], unit_vecs: np.ndarray, which: int) -> tuple[np.ndarray, np.ndarray]:
        """(P, U) each unit's best cosine with the bank's credited statements (``which`` 0) or near
        misses (1) of each point, and a (P,) mask of the points that have such sentences."""
        out = np.zeros((len(point_texts), len(unit_vecs)))
        known = np.zeros(len(point_texts), dtype=bool)
        for i, text in enumerate(point_texts):
            entry = self._index.get(bank_key(question_id, text))
            if entry is not None and len(entry[which]) and len(unit_vecs):
                out[i] = (unit_vecs @ entry[which].T).max(axis=1)
                known[i] = True
        return out, known

    def stated_similarity(self, question_id: str, point_texts: list[str], unit_vecs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(P, U) each unit's best cosine with a credited statement of each point, and a (P,) mask
        of the points the bank knows (rows of unknown points are 0)."""
        return self._likeness(question_id, point_texts, unit_vecs, STATED_ROWS)

    def near_miss_similarity(self, question_id: str, point_texts: list[str], unit_vecs: np.ndarray) -> np.ndarray:
        """(P, U) each unit's best cosine with a near miss labelled for each point (0 where none is)."""
        return self._likeness(question_id, point_texts, unit_vecs, NEAR_MISS_ROWS)[0]

    def features(self, question_id: str, point_texts: list[str], unit_vecs: np.ndarray,
                 best_unit: np.ndarray, similarity: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(P, len(EXEMPLAR_FEATURES)) features and a (P,) mask of points the bank knows.

        ``ex_pos``: the best cosine of any answer unit with a credited statement of the point;
        ``ex_neg``: that unit's best cosine with a near miss of it; their difference; and the
        same difference at the unit the matcher picked as evidence. ``similarity``: this answer's
        :meth:`stated_similarity`, when the caller already has it.
        """
        out = np.zeros((len(point_texts), len(EXEMPLAR_FEATURES)))
        per_unit, known = similarity or self.stated_similarity(question_id, point_texts, unit_vecs)
        for i in np.flatnonzero(known):
            neg = self._index[bank_key(question_id, point_texts[i])][NEAR_MISS_ROWS]
            j, b = int(per_unit[i].argmax()), int(best_unit[i])
            neg_j = float((unit_vecs[j] @ neg.T).max()) if len(neg) else 0.0
            neg_b = float((unit_vecs[b] @ neg.T).max()) if len(neg) else 0.0
            out[i] = (per_unit[i, j], neg_j, per_unit[i, j] - neg_j, per_unit[i, b] - neg_b)
        return out, known


def read_as_misses(stated: np.ndarray, near: np.ndarray, known: np.ndarray, credited: np.ndarray, min_cos: float,
                   margin: float, stating: np.ndarray | None = None) -> list[tuple[int, int]]:
    """(point, unit) for each point the bank knows that the answer does not state (``credited``
    False) but touches: the sentence most like the near misses labelled for the point (misused
    terms, neighbouring ideas, the confidently wrong claims of rule 5) is at least ``min_cos`` like
    one and more like them, by ``margin``, than like any credited statement of the point.
    ``stated``/``near``: (P, U) over the answer's own sentences and clauses. A sentence that is
    the evidence of a credited point (``stating``, (U,)) is never a miss of another, so stating
    one more point can never make an answer read as missing one."""
    out = []
    if not near.shape[1]:
        return out
    for i in np.flatnonzero(known & ~credited):
        j = int(near[i].argmax())
        if stating is not None and stating[j]:
            continue
        if near[i, j] >= min_cos and near[i, j] - stated[i, j] >= margin:
            out.append((int(i), j))
    return out


def save_bank(bank: ExemplarBank, path: Path = BANK_FILE) -> None:
    np.savez_compressed(path, embedder=np.array(bank.embedder), keys=bank.keys.astype(str), labels=bank.labels.astype(np.int8),
                        writers=bank.writers.astype(str), vectors=bank.vectors.astype(np.float16))


@lru_cache(maxsize=4)
def load_bank(path: Path = BANK_FILE) -> ExemplarBank | None:
    """The shipped bank, or None when there is none."""
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as z:
        vecs = z["vectors"].astype(np.float32)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
        return ExemplarBank(str(z["embedder"]), z["keys"], z["labels"], z["writers"], vecs)
