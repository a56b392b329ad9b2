"""Fit the exemplar stage's boosted trees and turn them into the grader's numpy ensemble.

The exemplar stage decides "does this sentence state this point" from the cross-encoder's logit,
the bi-encoder contrasts and the sentence's likeness to labelled statements and near misses. A
logistic model adds these up; trees can read them together (a high cross-encoder logit means less
when the sentence is also very like the point's labelled near misses). Leaving one writer out
over sixteen blind writers, trees credit fewer near misses at a higher point F1 (CALIBRATION.md,
sixteenth session), with any reasonable size setting.

The evidence features are monotone: a sentence more like the point (cross-encoder, contrast,
likeness to its credited statements) never gets less credit, so a draft that states a point
better never loses it.
"""
from __future__ import annotations

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

from interviewer.grading.trees import TreeEnsemble

# +1: the probability may only rise with this feature (see the module docstring).
MONOTONE_UP = ("contrast_q", "cross", "ex_pos", "ex_diff", "ex_best_diff")
SETTINGS = dict(max_iter=200, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=40, l2_regularization=1.0,
                early_stopping=False, random_state=0)


def soft_targets(X: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Soft targets (covered 1, partial ½, missing 0) as weighted binary rows: each row enters as a
    positive with weight t and a negative with weight 1 − t (zero-weight rows dropped)."""
    Xd = np.vstack([X, X])
    yd = np.r_[np.ones(len(t)), np.zeros(len(t))]
    wd = np.r_[t, 1 - t]
    keep = wd > 0
    return Xd[keep], yd[keep], wd[keep]


def fit_trees(X: np.ndarray, t: np.ndarray, features: tuple[str, ...]) -> HistGradientBoostingClassifier:
    """Boosted trees on soft targets (:func:`soft_targets`)."""
    model = HistGradientBoostingClassifier(monotonic_cst=[1 if f in MONOTONE_UP else 0 for f in features], **SETTINGS)
    return model.fit(*soft_targets(X, t))


def to_ensemble(model: HistGradientBoostingClassifier, features: tuple[str, ...]) -> TreeEnsemble:
    """The fitted trees as flat node arrays (scikit-learn's own predictor nodes, concatenated)."""
    trees = [predictors[0].nodes for predictors in model._predictors]
    offsets = np.cumsum([0] + [len(n) for n in trees[:-1]])
    nodes = np.concatenate(trees)
    shift = np.repeat(offsets, [len(n) for n in trees])
    if nodes["is_categorical"].any():
        raise ValueError("categorical splits are not supported")
    return TreeEnsemble(features=tuple(features), baseline=float(np.ravel(model._baseline_prediction)[0]),
                        roots=offsets.astype(np.int64), feature=nodes["feature_idx"].astype(np.int64),
                        threshold=nodes["num_threshold"].astype(np.float64), missing_left=nodes["missing_go_to_left"].astype(bool),
                        left=(nodes["left"] + shift).astype(np.int64), right=(nodes["right"] + shift).astype(np.int64),
                        leaf=nodes["is_leaf"].astype(bool), value=nodes["value"].astype(np.float64))
