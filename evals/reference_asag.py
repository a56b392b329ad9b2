"""The reference path end to end on real student answers (SemEval-2013 Task 7 test splits).

Every test answer is graded as a user's own question would be: ``grade(question, answer,
reference=<the first reference answer>)``. The overall (1-5) is compared with the gold 2-way
label (correct = 1) by Pearson and Spearman, per split and pooled, beside two baselines that
read only the answer and the reference: the plain MiniLM cosine and a TF-IDF cosine. The
train split is never graded here (the point matcher's stage 1 is fitted on it).

    .venv/bin/python -m evals.reference_asag [--asag ../shared/asag] [--limit N]

Writes ``evals/asag/reference_path.md``.
"""
from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import pearsonr, spearmanr
from sklearn.feature_extraction.text import TfidfVectorizer
from tqdm import tqdm

from evals.fit_matcher import load
from interviewer.grading import default_grader
from interviewer.settings import REPO_ROOT

OUT = REPO_ROOT / "evals" / "asag" / "reference_path.md"


def _tfidf_cosine(rows: list[dict]) -> np.ndarray:
    """Cosine of answer and reference under one TF-IDF fitted on the split's own texts."""
    refs = [r["reference_answers"][0]["text"] for r in rows]
    answers = [r["answer"] for r in rows]
    vec = TfidfVectorizer(lowercase=True).fit(refs + answers)
    a, b = vec.transform(answers), vec.transform(refs)
    return np.asarray(a.multiply(b).sum(axis=1)).ravel()


def run(asag: Path, limit: int | None = None, progress: bool = True) -> list[dict]:
    """One row per test split: n, and Pearson / Spearman of the overall and the two baselines."""
    grader = default_grader()
    by_split: dict[str, list[dict]] = defaultdict(list)
    for r in load(asag):
        if r["split"] != "train":
            by_split[f"{r['dataset']} {r['split']}"].append(r)
    results, pooled = [], defaultdict(list)
    for split, rows in sorted(by_split.items()):
        rows = rows[:limit] if limit else rows
        gold = np.array([r["label_2way"] == "correct" for r in rows], dtype=float)
        overall = np.array([grader.grade(r["question"], r["answer"], reference=r["reference_answers"][0]["text"]).overall or 1.0
                            for r in tqdm(rows, desc=split, disable=not progress)])
        vecs_a = grader.embedder.embed([r["answer"] for r in rows])
        vecs_r = grader.embedder.embed([r["reference_answers"][0]["text"] for r in rows])
        cosine = (vecs_a * vecs_r).sum(axis=1)
        tfidf = _tfidf_cosine(rows)
        for name, v in (("gold", gold), ("overall", overall), ("cosine", cosine), ("tfidf", tfidf)):
            pooled[name].append(v)
        results.append(_row(split, gold, overall, cosine, tfidf))
    results.append(_row("all test splits", *(np.concatenate(pooled[k]) for k in ("gold", "overall", "cosine", "tfidf"))))
    return results


def _row(split, gold, overall, cosine, tfidf) -> dict:
    return {"split": split, "n": len(gold), "pearson": pearsonr(overall, gold)[0], "spearman": spearmanr(overall, gold)[0],
            "cosine": pearsonr(cosine, gold)[0], "tfidf": pearsonr(tfidf, gold)[0],
            "mean_correct": float(overall[gold == 1].mean()), "mean_other": float(overall[gold == 0].mean()),
            "at_floor": float(np.mean(overall <= 1.0))}


def report(results: list[dict]) -> str:
    lines = ["# The reference path on real student answers (SemEval-2013 Task 7 test splits)", "",
             "`python -m evals.reference_asag`: each test answer graded against its first reference answer, as a user's own "
             "question is; the overall (1-5) against the gold 2-way label (correct = 1). Baselines read only answer and reference.", "",
             "| split | n | Pearson | Spearman | plain cosine, Pearson | TF-IDF cosine, Pearson | mean overall, correct | mean overall, other | at the floor |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['split']} | {r['n']} | {r['pearson']:.3f} | {r['spearman']:.3f} | {r['cosine']:.3f} | {r['tfidf']:.3f} | "
                     f"{r['mean_correct']:.2f} | {r['mean_other']:.2f} | {100 * r['at_floor']:.1f} % |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--asag", type=Path, default=REPO_ROOT.parent / "shared" / "asag")
    parser.add_argument("--limit", type=int, default=None, help="at most this many answers per split (a quick look)")
    args = parser.parse_args(argv)
    text = report(run(args.asag, args.limit))
    if args.limit is None:
        OUT.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
