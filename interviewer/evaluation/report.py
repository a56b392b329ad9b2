"""Write ``report.md`` and its plots for one or more graders on one dataset."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .metrics import Estimate, Metrics
from .plots import confusion_plot, kind_error_plot, scatter_plot
from .results import BehaviourCheck, EvalResult

SCATTER_PNG = "scatter.png"
CONFUSION_PNG = "confusion.png"
KIND_ERROR_PNG = "kind_error.png"


def _fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _fmt_estimate(estimate: Estimate) -> str:
    if estimate.value is None:
        return "n/a"
    if estimate.ci_low is None or estimate.ci_high is None:
        return _fmt(estimate.value)
    return f"{_fmt(estimate.value)} [{_fmt(estimate.ci_low)}, {_fmt(estimate.ci_high)}]"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _metrics_table(names: list[str], metrics: list[Metrics]) -> list[str]:
    rows = [
        ["n items (questions)"] + [f"{m.n} ({m.n_groups})" for m in metrics],
        ["Pearson"] + [_fmt_estimate(m.pearson) for m in metrics],
        ["Spearman"] + [_fmt_estimate(m.spearman) for m in metrics],
        ["QWK (rounded)"] + [_fmt_estimate(m.qwk) for m in metrics],
        ["MAE"] + [_fmt_estimate(m.mae) for m in metrics],
        ["Exact agreement"] + [f"{m.exact_agreement:.1%}" for m in metrics],
        ["Within-1 agreement"] + [f"{m.within_one_agreement:.1%}" for m in metrics],
    ]
    return _table(["Metric"] + names, rows)


def _kind_table(names: list[str], metrics: list[Metrics]) -> list[str]:
    kinds = sorted({kind for m in metrics for kind in m.per_kind})
    rows = []
    for kind in kinds:
        n = next(m.per_kind[kind].n for m in metrics if kind in m.per_kind)
        cells = [f"{m.per_kind[kind].mean_error:+.3f}" if kind in m.per_kind else "n/a" for m in metrics]
        rows.append([kind, str(n)] + cells)
    return _table(["Kind", "n"] + names, rows)


def _behaviour_table(checks: Sequence[BehaviourCheck]) -> list[str]:
    rows = [
        [c.name, str(c.passed), str(c.total), "n/a" if c.pass_rate is None else f"{c.pass_rate:.1%}"]
        for c in checks
    ]
    return _table(["Check", "Passed", "Total", "Pass rate"], rows)


def write_report(result: EvalResult, out_dir: str | Path) -> Path:
    """Write ``report.md`` and three PNGs into ``out_dir``; return the report's path.

    Graders appear side by side in the tables and as panels in the plots, so ours and the
    baseline can be compared at a glance.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = result.graders
    names = [r.grader for r in results]
    metrics = [r.metrics for r in results]

    scatter_plot(results, result.scale, out_dir / SCATTER_PNG)
    confusion_plot(results, result.scale, out_dir / CONFUSION_PNG)
    kind_error_plot(results, out_dir / KIND_ERROR_PNG)

    first = metrics[0]
    lines = [
        f"# Grader evaluation: `{result.dataset}`",
        "",
        f"{result.n_items} items, {first.n_groups} questions, scale {result.scale[0]:g}–{result.scale[1]:g}"
        + (f", {result.dataset_kind} set" if result.dataset_kind else "")
        + ".",
        f"Intervals: {first.confidence:.0%} bootstrap, {first.bootstrap_resamples} resamples of whole questions.",
        "",
        "## Agreement with human scores",
        "",
        *_metrics_table(names, metrics),
        "",
        "## Mean signed error by kind",
        "",
        "Predicted − human; positive means the grader inflates that kind of answer.",
        "",
        *_kind_table(names, metrics),
        "",
    ]

    gated = [r for r in results if r.gate_failures is not None]
    if gated:
        lines += ["## Release gate", ""]
        for r in gated:
            if r.gate_failures:
                lines += [f"- **{r.grader}: FAIL**"] + [f"  - {message}" for message in r.gate_failures]
            else:
                lines.append(f"- **{r.grader}: pass**")
        lines.append("")

    if result.behaviour:
        lines += ["## Interviewer behaviour", "", *_behaviour_table(result.behaviour), ""]

    lines += [
        "## Plots",
        "",
        f"![Predicted vs human]({SCATTER_PNG})",
        "",
        f"![Confusion matrix]({CONFUSION_PNG})",
        "",
        f"![Mean error by kind]({KIND_ERROR_PNG})",
        "",
    ]
    path = out_dir / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
