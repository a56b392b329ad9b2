"""Grading throughput and memory on distinct, real answers.

Answers come from the labelled sets, never from a handful of template sentences, so the
embedder's cache cannot flatter the figures:

  long-80    the 80 longest labelled guide answers (guide_blind_dev + guide_dev + guide_dev_extra)
  guide-200  every labelled guide answer in those three files (short and long)
  one-line   2,273 distinct one-line answers: the reference-set answers (reference_dev +
             reference_test, graded against their reference) and clauses / sentences split
             from the guide answers (graded against their question's framework text as the
             reference). No sentence, clause or window of one answer is also in another.

Three ways to grade each set:

  grade        Grader.grade() per answer, as `interviewer grade` and the app do (this
               process imports no eval code, so its RSS is the grading RSS)
  eval         RubricEvalGrader.predict() per item, without prepare()
  eval+batch   RubricEvalGrader.prepare(items) (every text embedded in one call), then
               predict(): what `interviewer eval` does

Every (set, way) runs in its own process so its peak RSS is its own; each run uses a
fresh Grader with a fresh embedder (the model is loaded before the clock starts; nothing
else is cached, rubric probes included). Prints the median of the runs.

Run: .venv/bin/python scripts/bench_grading.py [--runs 3] [--sets long-80 one-line] [--ways grade eval+batch]
     .venv/bin/python scripts/bench_grading.py --profile long-80 eval+batch   (cProfile of one run)
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DATASETS = REPO / "evals" / "datasets"
GUIDE_SETS = ("guide_blind_dev", "guide_dev", "guide_dev_extra")
REFERENCE_SETS = ("reference_dev", "reference_test")
ONE_LINE_N = 2_273
SETS = ("long-80", "guide-200", "one-line")
WAYS = ("grade", "eval", "eval+batch")


def _rows(name: str) -> list[dict]:
    with open(DATASETS / f"{name}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _guide_rows() -> list[dict]:
    return [{"id": r["id"], "question": r["question"], "question_id": r["question_id"], "answer": r["answer"]}
            for name in GUIDE_SETS for r in _rows(name)]


def _one_line_rows(grader) -> list[dict]:
    """Distinct short answers, each with the reference it is graded against."""
    from interviewer.evaluation.adapters import embedding_texts
    from interviewer.grading.text import normalise, split_units

    candidates = [(r["question"], r["answer"], r["reference"]) for name in REFERENCE_SETS for r in _rows(name)]
    sentences, clauses = [], []
    for row in _guide_rows():
        question = grader.guide.question(row["question_id"])
        reference = question.framework_text()
        units = split_units(normalise(row["answer"]))
        for u in units:
            if len(u.words) < 4:
                continue
            inside = any(o is not u and o.start <= u.start and u.end <= o.end for o in units)
            (clauses if inside else sentences).append((question.text, u.text, reference))
    candidates += clauses + sentences  # clauses first: a long sentence gives several distinct answers
    seen: set[str] = set()
    rubric_texts: dict[tuple[str, str], set[str]] = {}
    out: list[dict] = []
    for question, answer, reference in candidates:
        # The answer's own texts (units and windows, not the rubric's): none may be shared.
        if (question, reference) not in rubric_texts:
            rubric_texts[question, reference] = set(embedding_texts(grader, question, "", reference))
        own = rubric_texts[question, reference]
        texts = {t for t in embedding_texts(grader, question, answer, reference) if t not in own}
        if not texts or texts & seen:
            continue
        seen |= texts
        out.append({"id": f"line-{len(out)}", "question": question, "question_id": None, "answer": answer, "reference": reference})
        if len(out) == ONE_LINE_N:
            break
    random.Random(0).shuffle(out)  # questions interleaved, as in a real dataset
    return out


def build_set(name: str, grader) -> list[dict]:
    """The answers of one set as rows: id, question, question_id, answer (+ reference)."""
    if name == "one-line":
        return _one_line_rows(grader)
    rows = _guide_rows()
    if name == "long-80":
        rows = sorted(rows, key=lambda r: len(r["answer"].split()), reverse=True)[:80]
    return rows


def _count_texts(grader, rows: list[dict]) -> int:
    """Distinct texts grading the rows embeds: what the model runs per run, as nothing is cached."""
    from interviewer.evaluation.adapters import embedding_texts

    return len({t for r in rows for t in embedding_texts(grader, r["question_id"] or r["question"], r["answer"], r.get("reference"))})


def _fresh_grader(guide):
    from interviewer.embeddings import MiniLMEmbedder
    from interviewer.grading import Grader

    grader = Grader(MiniLMEmbedder(), guide)
    grader.embedder.embed(["bench warm-up: load the model"])  # not timed; not a dataset text
    return grader


def _timed_embed(embedder) -> list[float]:
    """Wrap embedder.embed to add up the seconds spent in it (tokenising + the model)."""
    spent = [0.0]
    inner = embedder.embed

    def embed(texts):
        t = time.perf_counter()
        try:
            return inner(texts)
        finally:
            spent[0] += time.perf_counter() - t

    embedder.embed = embed
    return spent


def _grading(grader, rows: list[dict], way: str):
    """A callable grading every row the given way (set-up outside the clock)."""
    if way == "grade":
        guide = grader.guide
        jobs = [(guide.question(r["question_id"]) if r["question_id"] else r["question"], r["answer"], r.get("reference"))
                for r in rows]

        def grade_each() -> None:
            for q, a, ref in jobs:
                grader.grade(q, a, reference=ref)  # results dropped: RSS is grading's, not a pile of scorecards

        return grade_each
    from interviewer.evaluation import EvalItem
    from interviewer.evaluation.adapters import RubricEvalGrader

    items = [EvalItem(score=1, **r) for r in rows]
    adapter = RubricEvalGrader(grader)

    def predict_each() -> None:
        if way == "eval+batch":
            adapter.prepare(items)
        for item in items:
            adapter.predict(item)

    return predict_each


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(rows_file: str, way: str, runs: int) -> dict:
    from interviewer.guide import load_guides

    guide = load_guides([REPO / "knowledge"])
    with open(rows_file, encoding="utf-8") as fh:
        rows = json.load(fh)
    seconds, cpu, embed_share = [], [], []
    for _ in range(runs):
        gc.collect()
        grader = _fresh_grader(guide)
        spent = _timed_embed(grader.embedder)
        run = _grading(grader, rows, way)
        c, t = _cpu(), time.perf_counter()
        run()
        seconds.append(time.perf_counter() - t)
        cpu.append(_cpu() - c)
        embed_share.append(spent[0] / seconds[-1])
        del grader, run
    return {"seconds": seconds, "cpu": cpu, "embed_share": embed_share,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def profile(set_name: str, way: str) -> None:
    import cProfile
    import pstats

    from interviewer.guide import load_guides

    grader = _fresh_grader(load_guides([REPO / "knowledge"]))
    run = _grading(grader, build_set(set_name, grader), way)
    prof = cProfile.Profile()
    prof.enable()
    run()
    prof.disable()
    pstats.Stats(prof).sort_stats("tottime").print_stats(15)


def _load() -> str:
    with open("/proc/loadavg") as fh:
        return fh.read().split()[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    ap.add_argument("--ways", nargs="+", choices=WAYS, default=list(WAYS))
    ap.add_argument("--child", nargs=2, metavar=("ROWS_JSON", "WAY"), help=argparse.SUPPRESS)
    ap.add_argument("--profile", nargs=2, metavar=("SET", "WAY"), help="cProfile one run of SET graded WAY")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(*args.child, args.runs)))
        return
    if args.profile:
        profile(*args.profile)
        return

    from interviewer.embeddings import MiniLMEmbedder
    from interviewer.grading import Grader
    from interviewer.guide import load_guides
    from interviewer.onnx_runs import INT8_PATHS, int8_path

    probe = Grader(MiniLMEmbedder(), load_guides([REPO / "knowledge"]))  # builds the sets; never embeds
    print(f"{args.runs} runs each, fresh grader + embedder per run, median shown; "
          f"{os.cpu_count()} CPUs, {INT8_PATHS[int8_path()]}, 1-min load average before: {_load()}")
    header = (f"{'set':<10} {'way':<10} {'answers':>7} {'words/ans':>9} {'texts':>6} {'median s':>8} {'cpu s':>6} "
              f"{'answers/s':>9} {'words/s':>8} {'embed %':>7} {'peak RSS':>9}  runs (s)")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as tmp:
        for set_name in args.sets:
            rows = build_set(set_name, probe)
            words = [len(r["answer"].split()) for r in rows]
            texts = _count_texts(probe, rows)
            rows_file = Path(tmp) / f"{set_name}.json"
            rows_file.write_text(json.dumps(rows), encoding="utf-8")
            for way in args.ways:
                out = subprocess.run([sys.executable, __file__, "--child", str(rows_file), way, "--runs", str(args.runs)],
                                     capture_output=True, text=True)
                if out.returncode:
                    sys.stderr.write(out.stderr)
                    sys.exit(out.returncode)
                r = json.loads(out.stdout.strip().splitlines()[-1])
                sec = statistics.median(r["seconds"])
                print(f"{set_name:<10} {way:<10} {len(rows):>7} {statistics.median(words):>9.0f} {texts:>6} {sec:>8.1f} "
                      f"{statistics.median(r['cpu']):>6.1f} {len(rows) / sec:>9.1f} {sum(words) / sec:>8.0f} "
                      f"{100 * statistics.median(r['embed_share']):>6.0f}% {r['rss_mb']:>6.0f} MB  "
                      f"{', '.join(f'{s:.1f}' for s in r['seconds'])}", flush=True)
    print(f"1-min load average after: {_load()} (well above 0 means other work shared the {os.cpu_count()} cores)")
    print("words/ans: median; texts: distinct texts the model runs per run (answer units + windows + rubric probes);\n"
          "cpu s: the process's CPU seconds (both cores count); embed %: time inside embedder.embed (tokenise + model);\n"
          "peak RSS: the whole process (the eval ways also import the eval package, which loads neither scikit-learn, scipy nor matplotlib)")


if __name__ == "__main__":
    main()
