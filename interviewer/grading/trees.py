"""Boosted decision trees evaluated with numpy: the model class of the matcher's exemplar stage.

Fitted by ``python -m evals.calibrate`` (scikit-learn's ``HistGradientBoostingClassifier``) and
shipped as the trees' node arrays in an ``.npz`` file, so grading needs neither scikit-learn nor a
pickle, and a file made by one scikit-learn version reads the same under any other. The logit is
the fitted model's own decision function (``tests/test_trees.py`` compares the two).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class TreeEnsemble:
    """Every tree's nodes in flat arrays; a tree starts at its entry in ``roots``."""

    features: tuple[str, ...]  # the input columns, in order (a file fitted on other columns fails loudly)
    baseline: float
    roots: np.ndarray  # (T,) node index of each tree's root
    feature: np.ndarray  # (N,) column a split node reads
    threshold: np.ndarray  # (N,) x[feature] <= threshold goes left
    missing_left: np.ndarray  # (N,) where a missing (NaN) value goes
    left: np.ndarray  # (N,) child node indices
    right: np.ndarray
    leaf: np.ndarray  # (N,) bool
    value: np.ndarray  # (N,) a leaf's contribution to the logit

    def logit(self, X: np.ndarray) -> np.ndarray:
        """(n,) the ensemble's logit for each row of ``X`` (n, len(features))."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != len(self.features):
            raise ValueError(f"expected {len(self.features)} feature columns ({', '.join(self.features)}), got shape {X.shape}")
        if not len(X):
            return np.zeros(0)
        node = np.repeat(self.roots[None, :], len(X), axis=0)
        rows = np.arange(len(X))[:, None]
        while not self.leaf[node].all():
            x = X[rows, self.feature[node]]
            go_left = np.where(np.isnan(x), self.missing_left[node], x <= self.threshold[node])
            node = np.where(self.leaf[node], node, np.where(go_left, self.left[node], self.right[node]))
        return self.baseline + self.value[node].sum(axis=1)

    def save(self, path: Path) -> None:
        np.savez_compressed(path, features=np.array(self.features), baseline=np.array(self.baseline), roots=self.roots,
                            feature=self.feature, threshold=self.threshold, missing_left=self.missing_left,
                            left=self.left, right=self.right, leaf=self.leaf, value=self.value)


@lru_cache(maxsize=4)
def load_trees(path: Path) -> TreeEnsemble:
    """A saved ensemble (cached: the shipped file is read once per process)."""
    with np.load(path, allow_pickle=False) as z:
        return TreeEnsemble(features=tuple(str(f) for f in z["features"]), baseline=float(z["baseline"]),
                            roots=z["roots"].astype(np.int64), feature=z["feature"].astype(np.int64),
                            threshold=z["threshold"].astype(np.float64), missing_left=z["missing_left"].astype(bool),
                            left=z["left"].astype(np.int64), right=z["right"].astype(np.int64), leaf=z["leaf"].astype(bool),
                            value=z["value"].astype(np.float64))
