"""Correlation, agreement and confusion counts in plain numpy.

The eval process grades with the embedder and the cross-encoder loaded; importing scipy.stats and
sklearn.metrics for three formulas added ~120 MB to its peak memory. Tests check every function
against scipy and scikit-learn.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n, ties sharing the mean of the ranks they span (as Spearman's rho needs)."""
    values = np.asarray(values, dtype=float)
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    # Start of each run of equal values, and the mean 1-based rank over that run.
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    ends = np.r_[starts[1:], len(values)]
    run_ranks = (starts + 1 + ends) / 2.0
    ranks = np.empty(len(values), dtype=float)
    ranks[order] = np.repeat(run_ranks, ends - starts)
    return ranks


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson's r; NaN when either side is constant or has fewer than two values."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) < 2:
        return math.nan
    dx, dy = x - x.mean(), y - y.mean()
    denom = math.sqrt(float(dx @ dx) * float(dy @ dy))
    return float(dx @ dy) / denom if denom > 0 else math.nan


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rho: Pearson's r of the average ranks."""
    return pearson(average_ranks(x), average_ranks(y)) if len(x) >= 2 else math.nan


def confusion_counts(truth: Sequence[int], pred: Sequence[int], labels: Sequence[int]) -> np.ndarray:
    """Counts[i, j]: items labelled ``labels[i]`` and predicted ``labels[j]``; others are ignored."""
    labels = np.asarray(labels, dtype=int)
    truth, pred = np.asarray(truth, dtype=int), np.asarray(pred, dtype=int)
    # Position of each value among the labels; values not among them are dropped.
    order = np.argsort(labels)
    t_pos = np.searchsorted(labels, truth, sorter=order).clip(0, len(labels) - 1)
    p_pos = np.searchsorted(labels, pred, sorter=order).clip(0, len(labels) - 1)
    t_idx, p_idx = order[t_pos], order[p_pos]
    keep = (labels[t_idx] == truth) & (labels[p_idx] == pred)
    counts = np.zeros((len(labels), len(labels)), dtype=int)
    np.add.at(counts, (t_idx[keep], p_idx[keep]), 1)
    return counts


def quadratic_weighted_kappa(truth: Sequence[int], pred: Sequence[int], labels: Sequence[int]) -> float:
    """Cohen's kappa with quadratic weights over ``labels`` (1 = perfect, 0 = chance)."""
    observed = confusion_counts(truth, pred, labels).astype(float)
    total = observed.sum()
    if total == 0:
        return math.nan
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0)) / total
    k = len(labels)
    weights = (np.subtract.outer(np.arange(k), np.arange(k)) ** 2).astype(float)
    denom = float((weights * expected).sum())
    if denom == 0:
        return math.nan
    return 1.0 - float((weights * observed).sum()) / denom
