"""TF-IDF cosine in plain Python, computed exactly as scikit-learn's
``TfidfVectorizer(stop_words="english", sublinear_tf=True)`` computes it.

The baseline grader is its only user; importing scikit-learn for it took ``interviewer eval``
past its 500 MB memory floor (539 MB on 112 answers with the default baseline beside the
grader). ``tests/test_tfidf.py`` checks the cosines against scikit-learn's.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from importlib.resources import files

import numpy as np

# scikit-learn's default token pattern: runs of two or more word characters.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
STOP_WORDS = frozenset(
    line.strip() for line in files(__package__).joinpath("english_stop_words.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#"))


def tokens(text: str) -> list[str]:
    """Lower-cased words of two or more characters, English stop words removed."""
    return [w for w in _TOKEN.findall(text.lower()) if w not in STOP_WORDS]


class TfidfCosine:
    """A vocabulary and smoothed idf fitted on ``documents``; cosines between L2-normalised
    sublinear TF-IDF vectors (words outside the vocabulary are ignored, as scikit-learn does)."""

    def __init__(self, documents: Sequence[str]):
        counts = [set(tokens(d)) for d in documents]
        df = Counter(w for words in counts for w in words)
        if not df:
            raise ValueError("empty vocabulary: the documents hold no usable words")
        n = len(documents)
        self.idf = {w: math.log((1 + n) / (1 + k)) + 1.0 for w, k in df.items()}

    def vector(self, text: str) -> dict[str, float]:
        """The text's unit-length TF-IDF vector as {word: weight} (empty when no word is known)."""
        tf = Counter(w for w in tokens(text) if w in self.idf)
        weights = {w: (1.0 + math.log(c)) * self.idf[w] for w, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in weights.values()))
        return {w: v / norm for w, v in weights.items()} if norm else {}

    def cosine(self, a: str, b: str) -> float:
        """Cosine between two texts' vectors (0 when either has no known word)."""
        return _dot(self.vector(a), self.vector(b))

    def cosines(self, pairs: Iterable[tuple[str, str]]) -> np.ndarray:
        """Cosine of each (a, b) pair, each distinct text vectorised once."""
        cache: dict[str, dict[str, float]] = {}

        def vec(text: str) -> dict[str, float]:
            if text not in cache:
                cache[text] = self.vector(text)
            return cache[text]

        return np.array([_dot(vec(a), vec(b)) for a, b in pairs], dtype=float)


def _dot(u: dict[str, float], v: dict[str, float]) -> float:
    if len(u) > len(v):
        u, v = v, u
    return float(sum(x * v.get(w, 0.0) for w, x in u.items()))
