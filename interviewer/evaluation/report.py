"""Write ``report.md`` and its plots for one or more graders on one dataset."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from interviewer.onnx_runs import INT8_PATHS

from .evidence import EvidenceAgreement
from .metrics import Estimate, Metrics, UnderScored
from .points import PointLevel, PointMetrics, PointScores
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
        ["Strong answers under-scored (human ≥ 4, predicted < 3)"] + [_fmt_underscored(m.strong_underscored) for m in metrics],
        ["First follow-up asks about a labelled-covered point"] + [
            "n/a" if m.followup_on_covered is None or m.followup_on_covered.rate is None
            else f"{m.followup_on_covered.rate:.1%} ({m.followup_on_covered.n_on_covered}/{m.followup_on_covered.n_followups})"
            for m in metrics],
    ]
    if any(m.injections_flagged is not None for m in metrics):
        rows.append(["Injections flagged / other answers flagged"] + [
            "n/a" if m.injections_flagged is None else
            f"{m.injections_flagged.n_injections_flagged}/{m.injections_flagged.n_injections} / "
            f"{m.injections_flagged.n_other_flagged}/{m.injections_flagged.n_other}" for m in metrics])
    if any(m.evidence is not None for m in metrics):
        rows.append(["Quote shown for a credited point is the labelled sentence"] + [_fmt_evidence(m.evidence) for m in metrics])
    return _table(["Metric"] + names, rows)


def _fmt_evidence(e: EvidenceAgreement | None) -> str:
    if e is None or e.rate is None:
        return "n/a"
    return f"{e.rate:.1%} ({e.n_agree}/{e.n_credited})"


def _fmt_underscored(u: UnderScored) -> str:
    return "n/a" if u.rate is None else f"{u.rate:.1%} ({u.n_underscored}/{u.n_strong})"


def _fmt_prf(s: PointScores) -> str:
    return f"{_fmt(s.precision)} / {_fmt(s.recall)} / {_fmt(s.f1)}"


def _fmt_near_miss(p: PointMetrics) -> str:
    if p.near_miss_false_credit is None:
        return "n/a"
    return f"{p.near_miss_false_credit:.1%} ({p.near_miss_credit:g}/{p.near_miss_points})"


def _point_table(names: list[str], levels: list[PointLevel]) -> list[str]:
    overall = [level.overall for level in levels]
    rows = [
        ["Labelled items"] + [str(p.n_items) for p in overall],
        ["Framework points P / R / F1 (partial = ½)"] + [_fmt_prf(p.framework) for p in overall],
        ["Framework points P / R / F1 (strict)"] + [_fmt_prf(p.framework_strict) for p in overall],
        ["Cross-cutting (4, x.*) P / R / F1 (partial = ½)"] + [_fmt_prf(p.cross) for p in overall],
        ["Cross-cutting (4, x.*) P / R / F1 (strict)"] + [_fmt_prf(p.cross_strict) for p in overall],
        ["Near-miss false credit"] + [_fmt_near_miss(p) for p in overall],
    ]
    return _table(["Metric"] + names, rows)


def _point_group_table(title: str, names: list[str], groups: list[dict[str, PointMetrics]]) -> list[str]:
    """One row per kind (or register): framework F1 both ways, cross-cutting F1, near-miss credit."""
    keys = sorted({key for g in groups for key in g})
    header = [title, "n"] + [f"{name} {col}" for name in names for col in ("F1 ½", "F1 strict", "cross F1 ½", "near-miss")]
    rows = []
    for key in keys:
        n = next(g[key].n_items for g in groups if key in g)
        cells: list[str] = []
        for g in groups:
            p = g.get(key)
            cells += (["n/a"] * 4 if p is None else
                      [_fmt(p.framework.f1), _fmt(p.framework_strict.f1), _fmt(p.cross.f1), _fmt_near_miss(p)])
        rows.append([key, str(n)] + cells)
    return _table(header, rows)


def _register_table(names: list[str], metrics: list[Metrics]) -> list[str]:
    registers = sorted({r for m in metrics for r in m.per_register})
    rows = []
    for register in registers:
        n = next(m.per_register[register].n for m in metrics if register in m.per_register)
        cells: list[str] = []
        for m in metrics:
            error = m.per_register.get(register)
            under = m.strong_underscored_per_register.get(register)
            cells += [f"{error.mean_error:+.3f}" if error else "n/a", _fmt_underscored(under) if under else "n/a"]
        rows.append([register, str(n)] + cells)
    header = ["Register", "n"] + [f"{name} {col}" for name in names for col in ("error", "strong under-scored")]
    return _table(header, rows)


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

    # matplotlib is imported only when a report is drawn; the grading before it runs without it.
    from .plots import confusion_plot, kind_error_plot, scatter_plot

    scatter_plot(results, result.scale, out_dir / SCATTER_PNG)
    confusion_plot(results, result.scale, out_dir / CONFUSION_PNG)
    kind_error_plot(results, out_dir / KIND_ERROR_PNG)

    first = metrics[0]
    lines = [
        # The file name, not the absolute path: reports are shared and diffed across machines.
        f"# Grader evaluation: `{Path(result.dataset).name}`",
        "",
        f"{result.n_items} items, {first.n_groups} questions, scale {result.scale[0]:g}–{result.scale[1]:g}"
        + (f", {result.dataset_kind} set" if result.dataset_kind else "")
        + ".",
        f"Intervals: {first.confidence:.0%} bootstrap, {first.bootstrap_resamples} resamples of whole questions.",
        f"Models ran {INT8_PATHS.get(result.int8_path, result.int8_path)} (the 7-bit models compute the same on x86 CPUs "
        "with and without VNNI; figures of the 8-bit models, before 2026-12-07, depended on it).",
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

    if any(m.per_register for m in metrics):
        lines += [
            "## Mean signed error by register",
            "",
            "Predicted − human per register (how the answer is phrased), and the share of answers"
            " labelled ≥ 4 that were predicted < 3. Register should never move a score.",
            "",
            *_register_table(names, metrics),
            "",
        ]

    # Only graders that grade point by point (the baseline has no checklist).
    pointed = [(r.grader, r.metrics.points) for r in results if r.metrics.points is not None]
    if pointed:
        point_names = [name for name, _ in pointed]
        levels = [level for _, level in pointed]
        lines += [
            "## Checklist accuracy (point level)",
            "",
            "Predicted point credit (covered 1, partial ½) against the labelled `covered` / `partial`"
            " lists, pooled over items: tp = Σ min(pred, label), fp = Σ max(0, pred − label),"
            " fn = Σ max(0, label − pred). Strict counts only full credit on both sides."
            " Near-miss false credit is the credit given to points labelled `near_miss`, per such point.",
            "",
            *_point_table(point_names, levels),
            "",
            "### By kind",
            "",
            *_point_group_table("Kind", point_names, [level.per_kind for level in levels]),
            "",
        ]
        if any(level.per_register for level in levels):
            lines += [
                "### By register",
                "",
                *_point_group_table("Register", point_names, [level.per_register for level in levels]),
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
