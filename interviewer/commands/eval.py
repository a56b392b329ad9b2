"""``interviewer eval``: run a grader over a labelled JSONL dataset and write a report."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from interviewer.errors import ConfigError

def USES_LLM(args) -> bool:  # noqa: N802 - the flag cli.main reads, here decided by the arguments
    """Only ``--grader llm`` uses the model: other runs never ask a configured server anything."""
    return args.grader == "llm"


def add_arguments(p) -> None:
    p.add_argument("--dataset", required=True,
                   help="JSONL with id, question, answer, score (+ question_id, reference, kind, register, covered, partial, near_miss).")
    p.add_argument("--out", default="evals/out", help="Output folder (predictions.jsonl, metrics.json, report.md, plots).")
    p.add_argument("--grader", choices=["rubric", "llm", "baseline", "both"], default="both",
                   help="rubric = our offline grader; llm = rubric + configured LLM judge; baseline = TF-IDF; both = rubric and baseline side by side.")
    p.add_argument("--scale", nargs=2, type=float, metavar=("MIN", "MAX"), help="Label scale if not 1-5 (inferred otherwise).")
    p.add_argument("--gate", choices=["guide", "reference"], help="Fail (exit 1) below the named thresholds for this kind of set.")
    p.add_argument("--no-progress", action="store_true", help="No progress bar.")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                   help="What to print when done: text (one line per grader), markdown (the report), json (the metrics).")


def build_graders(kind: str, settings) -> list:
    """The graders named on the command line, wired from settings."""
    from interviewer.evaluation import BaselineGrader, framework_lookup
    from interviewer.evaluation.adapters import RubricEvalGrader
    from interviewer.services import build_grader, load_guide

    # By id or by question text, resolved as `interviewer grade` resolves it.
    framework_text = framework_lookup(load_guide(settings))

    graders = []
    if kind in ("rubric", "both"):
        graders.append(RubricEvalGrader(build_grader(settings), "rubric"))
    if kind == "llm":
        if not settings.llm_enabled:
            raise ConfigError(f"--grader llm needs an LLM, and this run is {settings.describe_llm()}.")
        from interviewer.services import build_judged_grader

        graders.append(RubricEvalGrader(build_judged_grader(settings), f"llm-judge:{settings.llm_model}"))
    if kind in ("baseline", "both"):
        graders.append(BaselineGrader(framework_text))
    return graders


def run(args, settings) -> int:
    from interviewer.evaluation import run_eval

    result = run_eval(
        Path(args.dataset), build_graders(args.grader, settings), Path(args.out),
        scale=tuple(args.scale) if args.scale else None, progress=not args.no_progress, dataset_kind=args.gate,
    )
    out = Path(args.out)
    if args.format == "json":
        print(json.dumps(result.metrics_json(), indent=2))
    elif args.format == "markdown":
        print((out / "report.md").read_text(encoding="utf-8"), end="")
    else:
        _print_summary(result, out)
    if args.gate:
        failures = [f for g in result.graders if g.grader.startswith(("rubric", "llm")) for f in (g.gate_failures or [])]
        for f in failures:
            print(f"GATE FAIL: {f}", file=sys.stderr if args.format != "text" else sys.stdout)
        return 1 if failures else 0
    return 0


def _print_summary(result, out: Path) -> None:
    """One line of agreement figures per grader, then where the report is."""
    for g in result.graders:
        m = g.metrics
        fmt = lambda x: "n/a" if x.value is None else f"{x.value:.3f}"  # noqa: E731
        points = ""
        if m.points is not None:
            f1 = m.points.overall.framework.f1
            points = " point_f1=" + ("n/a" if f1 is None else f"{f1:.3f}")
        print(f"{g.grader:>10}: n={m.n} spearman={fmt(m.spearman)} pearson={fmt(m.pearson)} qwk={fmt(m.qwk)} mae={fmt(m.mae)}{points}")
    print(f"report: {out / 'report.md'}")
