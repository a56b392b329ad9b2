"""The three report plots, drawn with matplotlib's object API on the Agg canvas.

Figures are built without pyplot, so nothing is registered globally and each one is freed
when the function returns; a 2,000-item run never accumulates open figures.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .metrics import round_to_labels
from .stats import confusion_counts
from .results import GraderResult
from .thresholds import MAX_ADVERSARIAL_INFLATION


def _figure(n_panels: int, panel_width: float = 4.5, height: float = 4.2) -> tuple[Figure, list]:
    fig = Figure(figsize=(panel_width * n_panels, height), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, n_panels, squeeze=False)[0]
    return fig, list(axes)


def scatter_plot(results: list[GraderResult], scale: tuple[float, float], path: Path, seed: int = 0) -> Path:
    """Predicted vs human per grader, jittered so tied integer labels do not overplot."""
    rng = np.random.default_rng(seed)
    fig, axes = _figure(len(results))
    low, high = scale
    for ax, result in zip(axes, results):
        human = np.array([p.human for p in result.predictions])
        pred = np.array([p.predicted for p in result.predictions])
        # Less opacity for big datasets keeps dense cells readable.
        alpha = max(0.08, min(0.8, 40 / math.sqrt(len(human))))
        ax.scatter(human + rng.uniform(-0.2, 0.2, len(human)), pred + rng.uniform(-0.2, 0.2, len(pred)),
                   s=10, alpha=alpha, edgecolors="none")
        ax.plot([low, high], [low, high], color="black", linewidth=1, linestyle="--", label="y = x")
        ax.set(xlim=(low - 0.5, high + 0.5), ylim=(low - 0.5, high + 0.5), xlabel="human score",
               ylabel="predicted score", title=result.grader, aspect="equal")
        ax.legend(loc="lower right")
    fig.savefig(path, dpi=110)
    return path


def confusion_plot(results: list[GraderResult], scale: tuple[float, float], path: Path) -> Path:
    """Rounded predictions vs human labels per grader, with the count in every cell."""
    labels = list(range(math.ceil(scale[0]), math.floor(scale[1]) + 1))
    fig, axes = _figure(len(results))
    for ax, result in zip(axes, results):
        human = round_to_labels([p.human for p in result.predictions], scale)
        pred = round_to_labels([p.predicted for p in result.predictions], scale)
        counts = confusion_counts(human, pred, labels)
        ax.imshow(counts, cmap="Blues")
        threshold = counts.max() / 2 if counts.max() else 1
        for i in range(len(labels)):
            for j in range(len(labels)):
                ax.text(j, i, str(counts[i, j]), ha="center", va="center",
                        color="white" if counts[i, j] > threshold else "black", fontsize=9)
        ax.set(xticks=range(len(labels)), xticklabels=labels, yticks=range(len(labels)), yticklabels=labels,
               xlabel="predicted (rounded)", ylabel="human", title=result.grader)
    fig.savefig(path, dpi=110)
    return path


def kind_error_plot(results: list[GraderResult], path: Path) -> Path:
    """Mean signed error per answer kind, one bar per grader; above zero = inflation."""
    kinds = sorted({kind for r in results for kind in r.metrics.per_kind})
    fig, (ax,) = _figure(1, panel_width=max(6.0, 1.1 * len(kinds) * max(1, len(results)) + 2))
    width = 0.8 / len(results)
    x = np.arange(len(kinds))
    for offset, result in enumerate(results):
        errors = [result.metrics.per_kind[k].mean_error if k in result.metrics.per_kind else np.nan for k in kinds]
        ax.bar(x + (offset - (len(results) - 1) / 2) * width, errors, width, label=result.grader)
    ax.axhline(0, color="black", linewidth=1)
    ax.axhline(MAX_ADVERSARIAL_INFLATION, color="tab:red", linewidth=1, linestyle=":",
               label=f"adversarial limit (+{MAX_ADVERSARIAL_INFLATION})")
    ax.set_xticks(x, kinds, rotation=30, ha="right")
    ax.set(ylabel="mean error (predicted − human)", title="Mean signed error by kind")
    ax.legend()
    fig.savefig(path, dpi=110)
    return path
