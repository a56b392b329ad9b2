"""Unseen-question estimates for the grader, from the fitting data alone.

Leave-one-question-out over every guide question in the fitting sets (``calibrate.GUIDE_DEV``):
for each question, the matcher's guide stage and its cut-offs are fitted on the other
questions, the held-out question's answers are graded with that fold's matcher, and the
score model is then fitted (again leaving the question out) on those out-of-fold features.
What it prints is what a new question's answers should expect: point F1, near-miss false
credit, Spearman / QWK / MAE, strong answers under-scored, and error by register and kind —
the figures the frozen test sets later confirm or refute. Used to decide changes (features,
cut-offs, models) without looking at any test split.

Run: .venv/bin/python -m evals.crossval [--f1-tolerance 0.01] [--dump oof.pkl]
"""
from __future__ import annotations

import argparse
from pathlib import Path
from collections import defaultdict

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import cohen_kappa_score

from evals.calibrate import F1_TOLERANCE, GUIDE_DEV, _design, _fit_stage, _items, fit_scores, point_f1, point_rows, select_cutoffs
from interviewer.embeddings import MiniLMEmbedder
from interviewer.grading import Grader
from interviewer.grading.calibration import FEATURES, Calibration
from interviewer.grading.matcher import GUIDE_FEATURES, MATCHER_FILE, Matcher
from interviewer.guide import load_guides
from interviewer.settings import REPO_ROOT


# Ids of the blind-labelled answers among the fitting sets (batches 1 and 4; see LABELLING.md).
BLIND_PREFIXES = ("gb-", "ge-")


def fold_matcher(shipped: Matcher, rows, held_out: str, f1_tolerance: float) -> Matcher:
    """The guide stage and cut-offs fitted without ``held_out``'s points."""
    train = [r for r in rows if r[2] != held_out]
    X = np.array([r[0] for r in train])
    t = np.array([r[1] for r in train])
    model = _fit_stage(X, t)
    prob = model.predict_proba(X)[:, 1]
    covered, partial = select_cutoffs(prob, t, np.array([r[5] for r in train]), f1_tolerance)
    return shipped.model_copy(update={
        "guide_intercept": float(model.intercept_[0]),
        "guide_weights": {f: float(w) for f, w in zip(GUIDE_FEATURES, model.coef_[0])},
        "covered": covered, "partial": partial})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--datasets", nargs="*", default=list(GUIDE_DEV))
    ap.add_argument("--dump", type=Path, help="also write the out-of-fold design (pickle) for score-model experiments")
    ap.add_argument("--f1-tolerance", type=float, default=F1_TOLERANCE, help="point F1 the cut-offs may give up for fewer near misses")
    args = ap.parse_args()
    guide = load_guides([REPO_ROOT / "knowledge"])
    embedder = MiniLMEmbedder()
    shipped = Matcher.model_validate_json(MATCHER_FILE.read_text())
    items = _items(args.datasets)
    base = Grader(embedder, guide, calibration=Calibration(), matcher=shipped)
    rows = point_rows(base, guide, items)
    questions = sorted({r[2] for r in rows})

    # 1. Out-of-fold point probabilities and out-of-fold score features.
    oof_prob = np.zeros(len(rows))
    cut = {}
    feats, ys, groups, meta, ceilings = [], [], [], [], []
    for q in questions:
        fm = fold_matcher(shipped, rows, q, args.f1_tolerance)
        cut[q] = (fm.covered, fm.partial)
        idx = [i for i, r in enumerate(rows) if r[2] == q]
        X = np.array([rows[i][0] for i in idx])
        w = np.array([fm.guide_weights.get(f, 0.0) for f in GUIDE_FEATURES])
        oof_prob[idx] = 1 / (1 + np.exp(-(fm.guide_intercept + X @ w)))
        held = [it for it in items if it[1].question_id == q]
        g = Grader(embedder, guide, calibration=Calibration(), matcher=fm)
        X_s, y_s, g_s, kept, c_s = _design(g, guide, held, (1, 5))
        feats += list(X_s)
        ceilings += list(c_s)
        ys += list(y_s)
        groups += list(g_s)
        meta += kept
    t = np.array([r[1] for r in rows])
    near = np.array([r[5] for r in rows])
    pred_credit = np.array([1.0 if p >= cut[r[2]][0] else (0.5 if p >= cut[r[2]][1] else 0.0) for p, r in zip(oof_prob, rows)])
    tp = np.minimum(pred_credit, t).sum()
    prec, rec = tp / max(pred_credit.sum(), 1e-9), tp / max(t.sum(), 1e-9)
    blind = np.array([r[3].startswith(BLIND_PREFIXES) for r in rows])
    print(f"points: {len(rows)} over {len(questions)} questions; out-of-fold framework P {prec:.3f} R {rec:.3f} "
          f"F1 {2 * prec * rec / max(prec + rec, 1e-9):.3f}; near-miss false credit "
          f"{pred_credit[near].mean():.1%} of {near.sum()}")
    bt, bp = t[blind], pred_credit[blind]
    tpb = np.minimum(bp, bt).sum()
    pb, rb = tpb / max(bp.sum(), 1e-9), tpb / max(bt.sum(), 1e-9)
    print(f"  blind sets only: P {pb:.3f} R {rb:.3f} F1 {2 * pb * rb / max(pb + rb, 1e-9):.3f}")

    # 2. Score model, leave-one-question-out over the out-of-fold features.
    X, y, groups = np.array(feats), np.array(ys), np.array(groups)
    if args.dump:
        import pickle

        regs = [(raw.get("register") or "", it.kind or "", it.id) for _, it, raw in meta]
        args.dump.write_bytes(pickle.dumps({"X": X, "y": y, "groups": groups, "ceilings": np.array(ceilings), "meta": regs}))
    cv = np.zeros(len(y))
    for q in questions:
        m = groups == q
        fit = ~m & (np.array(ceilings) >= 4.99)  # capped answers are scored by their cap, not the model
        model, _ = fit_scores(X[fit], y[fit], groups[fit])
        cv[m] = np.minimum([model.predict(dict(zip(FEATURES, x))) for x in X[m]], np.array(ceilings)[m])
    is_blind = np.array([it.id.startswith(BLIND_PREFIXES) for _, it, _ in meta])
    for label, mask in (("all", np.ones(len(y), bool)), ("blind", is_blind)):
        h, p = y[mask], cv[mask]
        qwk = cohen_kappa_score(np.rint(h).astype(int), np.clip(np.rint(p), 1, 5).astype(int), weights="quadratic")
        strong = h >= 4
        print(f"scores ({label}, n={mask.sum()}): Spearman {spearmanr(h, p)[0]:.3f} QWK {qwk:.3f} MAE {np.abs(h - p).mean():.2f} "
              f"strong under-scored {np.mean(p[strong] < 3):.1%} of {strong.sum()}")
    by = defaultdict(list)
    for (_, it, raw), h, p in zip(meta, y, cv):
        if it.id.startswith(BLIND_PREFIXES):
            by["register " + (raw.get("register") or "-")].append(p - h)
        by["kind " + (it.kind or "-")].append(p - h)
    print("mean signed error: " + ", ".join(f"{k} {np.mean(v):+.2f} (n={len(v)})" for k, v in sorted(by.items())))


if __name__ == "__main__":
    main()
