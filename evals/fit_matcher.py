"""Fit the point matcher on real human labels: SemEval-2013 Task 7 (SciEntsBank + Beetle).

Run by hand (a few minutes, most of it embedding ~16k answers once):

    .venv/bin/python -m evals.fit_matcher --asag ../shared/asag

Fits a logistic model "does the answer state the reference" on both corpora's ``train``
splits (2-way gold labels), reports accuracy and macro-F1 (2-way and 3-way) on every test
split beside a re-implementation of the task's lexical-overlap baseline and a plain MiniLM
cosine baseline, writes ``evals/asag/results.md`` + ``results.json`` and stores the fitted
stage in ``interviewer/grading/matcher.json`` (keeping any guide stage already there).
Data: CC BY-SA 3.0, Dzikovska et al. (2013), https://aclanthology.org/S13-2045/.
"""
from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.tree import DecisionTreeClassifier

from interviewer.embeddings import MiniLMEmbedder
from interviewer.grading.matcher import FEATURES, MATCHER_FILE, Matcher, MatcherModel, content_stems, pair_features
from interviewer.grading.engine import matcher_view
from interviewer.grading.text import split_units
from interviewer.settings import REPO_ROOT

OUT = REPO_ROOT / "evals" / "asag"
TESTS = ("test-unseen-answers", "test-unseen-questions", "test-unseen-domains")
_WORD = re.compile(r"[a-z0-9]+")


def load(asag: Path) -> list[dict]:
    rows = []
    for name in ("scientsbank", "beetle"):
        rows += [json.loads(line) for line in (asag / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def featurise(rows: list[dict], embedder) -> np.ndarray:
    """One feature row per answer: the reference (of several, for Beetle) it matches best."""
    texts: set[str] = set()
    units_of = []
    for r in rows:
        units = [matcher_view(u.text) for u in split_units(r["answer"])] or [r["answer"]]
        units_of.append(units)
        texts.update(units)
        texts.add(r["question"])
        texts.update(ref["text"] for ref in r["reference_answers"])
    ordered = sorted(texts)
    print(f"embedding {len(ordered)} distinct texts...")
    vecs = embedder.embed(ordered)
    index = {t: i for i, t in enumerate(ordered)}
    X = np.zeros((len(rows), len(FEATURES)))
    for n, (r, units) in enumerate(zip(rows, units_of)):
        u = vecs[[index[t] for t in units]]
        refs = [ref["text"] for ref in r["reference_answers"]]
        cos = vecs[[index[t] for t in refs]] @ u.T
        qcos = u @ vecs[index[r["question"]]]
        feats, _, _ = pair_features(cos, qcos, refs, units, r["question"])
        X[n] = feats[int(np.argmax(feats[:, 0] + 0.5 * feats[:, 2]))]
    return X


def overlap_features(rows: list[dict]) -> np.ndarray:
    """The task baseline's lexical-overlap features (Dzikovska et al. 2012): raw overlap count,
    cosine, F1 of word overlap, with the best reference and with the question."""
    def feats(a: str, b: str) -> list[float]:
        wa, wb = Counter(_WORD.findall(a.lower())), Counter(_WORD.findall(b.lower()))
        common = sum((wa & wb).values())
        cos = sum(wa[w] * wb[w] for w in wa) / (np.sqrt(sum(v * v for v in wa.values()) * sum(v * v for v in wb.values())) or 1)
        p, r = common / max(sum(wa.values()), 1), common / max(sum(wb.values()), 1)
        return [common, cos, 2 * p * r / (p + r) if p + r else 0.0]
    out = []
    for r in rows:
        best = max((feats(r["answer"], ref["text"]) for ref in r["reference_answers"]), key=lambda f: f[2])
        out.append(best + feats(r["answer"], r["question"]))
    return np.array(out)


def scores(gold: list[str], pred: list[str]) -> dict:
    return {"accuracy": round(accuracy_score(gold, pred), 3), "macro_f1": round(f1_score(gold, pred, average="macro"), 3),
            "weighted_f1": round(f1_score(gold, pred, average="weighted"), 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--asag", type=Path, default=REPO_ROOT.parent / "shared" / "asag", help="folder with scientsbank.jsonl and beetle.jsonl")
    ap.add_argument("--cache", type=Path, default=REPO_ROOT / "evals" / "out" / "asag_features.npz")
    args = ap.parse_args()
    rows = load(args.asag)
    embedder = MiniLMEmbedder()
    cached = np.load(args.cache) if args.cache.exists() else None
    # Features of another embedder (an older model) would fit weights the grader never sees.
    if cached is not None and "embedder" in cached and str(cached["embedder"]) == embedder.name and len(cached["X"]) == len(rows):
        X = cached["X"]
    else:
        X = featurise(rows, embedder)
        args.cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(args.cache, X=X, embedder=np.array(embedder.name))
    O = overlap_features(rows)
    y2 = np.array([r["label_2way"] for r in rows])
    y3 = np.array([r["label_3way"] for r in rows])
    train = np.array([r["split"] == "train" for r in rows])

    two = LogisticRegression(C=1.0, max_iter=2000).fit(X[train], y2[train] == "correct")
    three = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit(X[train], y3[train])
    base2 = DecisionTreeClassifier(min_samples_leaf=20, random_state=0).fit(O[train], y2[train])
    base3 = DecisionTreeClassifier(min_samples_leaf=20, random_state=0).fit(O[train], y3[train])
    # Plain cosine baseline: one threshold on the best answer-vs-reference cosine, fitted on train.
    cut = max(np.linspace(0.2, 0.9, 71), key=lambda t: f1_score(y2[train], np.where(X[train, 0] >= t, "correct", "incorrect"), average="macro"))

    results = []
    for dataset in ("beetle", "scientsbank"):
        for split in TESTS:
            m = np.array([r["dataset"] == dataset and r["split"] == split for r in rows])
            if not m.any():
                continue
            p2 = np.where(two.predict(X[m]), "correct", "incorrect")
            entry = {"dataset": dataset, "split": split, "n": int(m.sum()),
                     "ours_2way": scores(list(y2[m]), list(p2)), "ours_3way": scores(list(y3[m]), list(three.predict(X[m]))),
                     "lexical_2way": scores(list(y2[m]), list(base2.predict(O[m]))),
                     "lexical_3way": scores(list(y3[m]), list(base3.predict(O[m]))),
                     "cosine_2way": scores(list(y2[m]), list(np.where(X[m, 0] >= cut, "correct", "incorrect")))}
            results.append(entry)
            print(f"{dataset:<12}{split:<24}n={entry['n']:<5} 2-way macro-F1 ours {entry['ours_2way']['macro_f1']:.3f} "
                  f"lexical {entry['lexical_2way']['macro_f1']:.3f} cosine {entry['cosine_2way']['macro_f1']:.3f} | "
                  f"3-way ours {entry['ours_3way']['macro_f1']:.3f} lexical {entry['lexical_3way']['macro_f1']:.3f}")

    model = MatcherModel(intercept=round(float(two.intercept_[0]), 4),
                         weights={f: round(float(w), 4) for f, w in zip(FEATURES, two.coef_[0])},
                         fitted_on=f"SemEval-2013 Task 7 SciEntsBank + Beetle train ({int(train.sum())} answers, 2-way gold); CC BY-SA 3.0")
    matcher = Matcher.model_validate(json.loads(MATCHER_FILE.read_text())) if MATCHER_FILE.exists() else Matcher()
    matcher.asag = model
    MATCHER_FILE.write_text(json.dumps(matcher.model_dump(), indent=2) + "\n", encoding="utf-8")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps({"model": model.model_dump(), "cosine_cut": round(float(cut), 3), "results": results}, indent=2) + "\n")
    lines = ["# Point matcher on SemEval-2013 Task 7 (real student answers, gold labels)", "",
             "Fitted on the train splits of SciEntsBank and Beetle; `python -m evals.fit_matcher`. "
             "Lexical = our re-implementation of the task's lexical-overlap baseline (overlap count, cosine, F1 with the "
             "reference and the question; decision tree). Cosine = one threshold on the plain MiniLM cosine.", "",
             "| dataset | split | n | 2-way acc | 2-way macro-F1 | lexical 2-way macro-F1 | cosine 2-way macro-F1 | 3-way acc | 3-way macro-F1 | lexical 3-way macro-F1 |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for e in results:
        lines.append(f"| {e['dataset']} | {e['split']} | {e['n']} | {e['ours_2way']['accuracy']:.3f} | {e['ours_2way']['macro_f1']:.3f} | "
                     f"{e['lexical_2way']['macro_f1']:.3f} | {e['cosine_2way']['macro_f1']:.3f} | {e['ours_3way']['accuracy']:.3f} | "
                     f"{e['ours_3way']['macro_f1']:.3f} | {e['lexical_3way']['macro_f1']:.3f} |")
    lines += ["", "Fitted weights: " + ", ".join(f"{k} {v:+.2f}" for k, v in model.weights.items()) + f", intercept {model.intercept:+.2f}.",
              "", "Published figures for comparison: see `PUBLISHED.md` beside this file."]
    (OUT / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {MATCHER_FILE.relative_to(REPO_ROOT)} and {(OUT / 'results.md').relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
