"""Run every grading eval (dev and test splits, ours and the baseline) and the
interviewer-behaviour checks; write reports under evals/out/ and print a summary table.

Run: make eval   (or .venv/bin/python -m evals.run_all)
Exit code 1 when a test split falls below the thresholds in interviewer/evaluation/thresholds.py,
or the interviewer-behaviour eval below those in evals/behaviour_checks.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

from interviewer.evaluation import BaselineGrader, framework_lookup, run_eval
from interviewer.evaluation.adapters import RubricEvalGrader
from interviewer.grading import default_grader
from interviewer.settings import REPO_ROOT

DATASETS = REPO_ROOT / "evals" / "datasets"
OUT = REPO_ROOT / "evals" / "out"
RUNS = [("guide_blind13_test", "guide"), ("guide_test", "guide"), ("reference_test", "reference"),
        *((f"guide_blind_dev{n}", "guide") for n in ("", 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40)), ("guide_dev", "guide"), ("reference_dev", "reference")]


def behaviour_rows():
    """Interviewer-behaviour pass rates, when that eval is available."""
    try:
        from evals.behaviour import run_behaviour_checks
    except ImportError:
        return None
    grader = default_grader()
    return run_behaviour_checks(grader.guide, grader)


def main() -> int:
    grader = default_grader()
    # By id or by question text, resolved as `interviewer grade` resolves it.
    framework_text = framework_lookup(grader.guide)

    behaviour = behaviour_rows()
    failed = False
    print(f"{'dataset':<19}{'grader':<10}{'n':>4}{'spearman':>10}{'pearson':>9}{'qwk':>7}{'mae':>7}{'±1':>7}"
          f"{'pointF1':>9}{'nearmiss':>9}{'fu-cov':>8}{'quote':>7}  gate")
    for name, kind in RUNS:
        result = run_eval(
            DATASETS / f"{name}.jsonl", [RubricEvalGrader(grader), BaselineGrader(framework_text)], OUT / name,
            progress=False, dataset_kind=kind, behaviour=behaviour if name == "guide_test" else None,
        )
        for g in result.graders:
            m = g.metrics
            v = lambda e: "  n/a" if e.value is None else f"{e.value:.3f}"  # noqa: E731
            gate = "pass" if not g.gate_failures else "FAIL"
            pts = m.points.overall if m.points is not None else None
            f1 = f"{pts.framework.f1:.3f}" if pts is not None and pts.framework.f1 is not None else "  n/a"
            near = f"{pts.near_miss_false_credit:.2f}" if pts is not None and pts.near_miss_false_credit is not None else " n/a"
            fu = m.followup_on_covered
            fu = f"{fu.rate:.2f}" if fu is not None and fu.rate is not None else " n/a"
            quote = f"{m.evidence.rate:.2f}" if m.evidence is not None and m.evidence.rate is not None else "n/a"
            print(f"{name:<19}{g.grader:<10}{m.n:>4}{v(m.spearman):>10}{v(m.pearson):>9}{v(m.qwk):>7}{v(m.mae):>7}"
                  f"{m.within_one_agreement:>7.2f}{f1:>9}{near:>9}{fu:>8}{quote:>7}  {gate}")
            if g.grader == "rubric" and name.endswith("_test") and g.gate_failures:
                failed = True
                for f in g.gate_failures:
                    print(f"    {f}")
    print("    rows not ending in _test are fitting data (in-sample: they fitted the models and their labelled sentences\n"
          "    are in the exemplar bank); for estimates run `python -m evals.crossval --by writer`")
    if behaviour is not None:
        from evals.behaviour_checks import gate as behaviour_gate

        problems = behaviour_gate(behaviour)
        print(f"interviewer behaviour: {sum(p == t for _, p, t in behaviour)}/{len(behaviour)} checks fully passed; gate "
              + ("FAIL" if problems else "pass"))
        for problem in problems:
            print(f"    {problem}")
        failed = failed or bool(problems)
    from evals.style_invariance import MAX_SPREAD, MIN_JACCARD, run as style_run

    style = style_run(grader)
    print(f"style invariance: {sum(r['spread'] <= MAX_SPREAD for r in style)}/{len(style)} content sets within a "
          f"{MAX_SPREAD} spread, {sum(r['min_jaccard'] >= MIN_JACCARD for r in style)}/{len(style)} with Jaccard >= {MIN_JACCARD}")
    asag = REPO_ROOT.parent / "shared" / "asag"
    if (asag / "scientsbank.jsonl").exists():
        from evals.reference_asag import run as reference_run
        pooled = reference_run(asag, progress=False)[-1]
        print(f"reference path on SemEval-2013 test ({pooled['n']} real student answers): Pearson {pooled['pearson']:.3f} "
              f"(plain cosine {pooled['cosine']:.3f}, TF-IDF {pooled['tfidf']:.3f}); per split: python -m evals.reference_asag")
    print(f"reports: {OUT.relative_to(REPO_ROOT)}/<dataset>/report.md")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
