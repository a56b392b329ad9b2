"""Unseen-question estimates for the grader, from the fitting data alone.

Leave-one-question-out over every guide question in the fitting sets (``calibrate.GUIDE_DEV``):
for each question, the matcher's guide stage and its cut-offs are fitted on the other
questions, the held-out question's answers are graded with that fold's matcher, and the
score model is then fitted (again leaving the question out) on those out-of-fold features.
What it prints is what a new question's answers should expect: point F1, near-miss false
credit, how often a stated point's quote is the labelled text, Spearman / QWK / MAE, strong
answers under-scored, and error by register and kind — the figures the frozen test sets later
confirm or refute. Used to decide changes (features, cut-offs, models) without looking at any
test split.

``--by writer`` holds out one writer's answers at a time instead (the blind batches' writers, and
the house sets as one writer): every question stays in training, as it does when a new person
answers the shipped guide, so it is the closer estimate of what an untouched batch will show.

Run: .venv/bin/python -m evals.crossval [--by question|writer] [--f1-tolerance 0.01] [--dump oof.pkl]
"""
from __future__ import annotations

import argparse
from pathlib import Path
from collections import defaultdict

import numpy as np

from evals.calibrate import (F1_TOLERANCE, GUIDE_DEV, _design, _fit_stage, _items, build_bank, exemplar_features, fit_exemplar_stage,
                             fit_scores, point_rows, select_cutoffs, writer_of)
from evals.evidence_units import located_evidence
from evals.fitting_cross_encoder import fitting_cross_encoder
from interviewer.evaluation.evidence import agree
from interviewer.embeddings import MiniLMEmbedder
from interviewer.evaluation.stats import quadratic_weighted_kappa, spearman
from interviewer.grading import Grader
from interviewer.grading.calibration import FEATURES, Calibration
from interviewer.grading.matcher import GUIDE_FEATURES, MATCHER_FILE, Matcher
from interviewer.guide import load_guides
from interviewer.settings import REPO_ROOT


# Ids of the blind-labelled answers (one prefix per batch's writer; see LABELLING.md).
BLIND_PREFIXES = ("gb-", "gc-", "gd-", "ge-", "gf-", "gg-", "gh-", "gi-", "gj-", "gk-", "gl-", "gm-", "gn-", "go-", "gp-", "gq-", "gr-", "gs-", "gt-", "gu-", "gv-", "gw-", "gx-", "gy-", "gz-", "ha-", "hb-", "hc-", "hd-", "he-", "hf-", "hg-", "hh-", "hi-", "hj-", "hk-", "hl-", "hm-", "hn-", "ho-")


def fold_matcher(shipped: Matcher, rows, keys, held_out: str, f1_tolerance: float, ex=None, known=None) -> Matcher:
    """The guide stage, its cut-offs and (with ``ex``) the exemplar stage fitted without the points
    whose fold key is ``held_out``."""
    idx = [i for i, k in enumerate(keys) if k != held_out]
    train = [rows[i] for i in idx]
    X = np.array([r[0] for r in train])
    t = np.array([r[1] for r in train])
    model = _fit_stage(X, t)
    prob = model.predict_proba(X)[:, 1]
    covered, partial = select_cutoffs(prob, t, np.array([r[5] for r in train]), f1_tolerance)
    stage = fit_exemplar_stage(train, ex[idx], known[idx], covered, partial)[0] if ex is not None else None
    return shipped.model_copy(update={
        "guide_intercept": float(model.intercept_[0]),
        "guide_weights": {f: float(w) for f, w in zip(GUIDE_FEATURES, model.coef_[0])},
        "covered": covered, "partial": partial, "exemplar": stage})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--datasets", nargs="*", default=list(GUIDE_DEV))
    ap.add_argument("--by", choices=("question", "writer"), default="question", help="what one fold holds out")
    ap.add_argument("--dump", type=Path, help="also write the out-of-fold design (pickle) for score-model experiments")
    ap.add_argument("--no-exemplars", action="store_true", help="the plain guide stage only (no exemplar bank)")
    ap.add_argument("--f1-tolerance", type=float, default=F1_TOLERANCE, help="point F1 the cut-offs may give up for fewer near misses")
    ap.add_argument("--shortlist", type=int, default=None, help="sentences per point the cross-encoder reads (default: the shipped matcher's)")
    args = ap.parse_args()
    guide = load_guides([REPO_ROOT / "knowledge"])
    embedder = MiniLMEmbedder()
    shipped = Matcher.model_validate_json(MATCHER_FILE.read_text())
    if args.shortlist:
        shipped = shipped.model_copy(update={"shortlist": args.shortlist})
    items = _items(args.datasets)
    # Cross-encoder logits are out of fold by writer (two folds; see evals/train_cross_encoder.py).
    cross_encoder = fitting_cross_encoder(shipped)
    base = Grader(embedder, guide, calibration=Calibration(), matcher=shipped, exemplars=None, cross_encoder=cross_encoder)
    context: list = []
    picks: list = []
    located = located_evidence(args.datasets, [it for _, it, _ in items])
    rows = point_rows(base, guide, items, context, picks, located)
    # Which sentence is quoted for a stated point does not depend on the fold's weights (the
    # cross-encoder's pick among the short-list, its logits out of fold), so one pass measures it.
    quoted = [(it.id.startswith(BLIND_PREFIXES), agree(it.answer, text, located[it.id][pid]))
              for it, pid, text in picks if located.get(it.id, {}).get(pid)]
    for label, sel in (("all", [a for _, a in quoted]), ("blind sets", [a for b, a in quoted if b])):
        if sel:  # sets without evidence labels have nothing to compare
            print(f"quote is the labelled text ({label}): {np.mean(sel):.1%} of {len(sel)} stated points with located evidence")
    bank = None if args.no_exemplars else build_bank(rows, context, embedder.name)
    ex, known = exemplar_features(bank, rows, context) if bank is not None else (None, None)
    item_key = (lambda it: it.question_id) if args.by == "question" else (lambda it: writer_of(it.id))
    keys = [r[2] if args.by == "question" else writer_of(r[3]) for r in rows]
    questions = sorted(set(keys))

    # 1. Out-of-fold point probabilities and out-of-fold score features.
    oof_prob = np.zeros(len(rows))
    cut = {}
    feats, ys, groups, meta, ceilings, folds = [], [], [], [], [], []
    for q in questions:
        fm = fold_matcher(shipped, rows, keys, q, args.f1_tolerance, ex, known)
        cut[q] = (fm.covered, fm.partial)
        idx = [i for i, k in enumerate(keys) if k == q]
        X = np.array([rows[i][0] for i in idx])
        w = np.array([fm.guide_weights.get(f, 0.0) for f in GUIDE_FEATURES])
        oof_prob[idx] = 1 / (1 + np.exp(-(fm.guide_intercept + X @ w)))
        # The held-out fold reads a bank without its writer (or, by question, without its question).
        fold_bank = None if bank is None else (bank.without(writer=q) if args.by == "writer" else bank.without(question_id=q))
        if bank is not None and args.by == "writer":  # each row's exemplar features already leave its writer out
            kn = known[idx]
            rows_kn = np.array(idx)[kn]
            oof_prob[rows_kn] = fm.exemplar.probability(X[kn][:, 0], X[kn][:, 1:], ex[rows_kn], fm.covered, fm.partial)
        held = [it for it in items if item_key(it[1]) == q]
        g = Grader(embedder, guide, calibration=Calibration(), matcher=fm, exemplars=fold_bank, cross_encoder=cross_encoder)
        X_s, y_s, g_s, kept, c_s = _design(g, guide, held, (1, 5))
        feats += list(X_s)
        ceilings += list(c_s)
        ys += list(y_s)
        groups += list(g_s)
        folds += [q] * len(y_s)
        meta += kept
    t = np.array([r[1] for r in rows])
    near = np.array([r[5] for r in rows])
    pred_credit = np.array([1.0 if p >= cut[k][0] else (0.5 if p >= cut[k][1] else 0.0) for p, k in zip(oof_prob, keys)])
    tp = np.minimum(pred_credit, t).sum()
    prec, rec = tp / max(pred_credit.sum(), 1e-9), tp / max(t.sum(), 1e-9)
    blind = np.array([r[3].startswith(BLIND_PREFIXES) for r in rows])
    print(f"points: {len(rows)} over {len(questions)} folds (by {args.by}); out-of-fold framework P {prec:.3f} R {rec:.3f} "
          f"F1 {2 * prec * rec / max(prec + rec, 1e-9):.3f}; near-miss false credit "
          f"{pred_credit[near].mean():.1%} of {near.sum()}")
    bt, bp = t[blind], pred_credit[blind]
    tpb = np.minimum(bp, bt).sum()
    pb, rb = tpb / max(bp.sum(), 1e-9), tpb / max(bt.sum(), 1e-9)
    print(f"  blind sets only: P {pb:.3f} R {rb:.3f} F1 {2 * pb * rb / max(pb + rb, 1e-9):.3f}")

    # 2. Score model, fitted out of fold (the same folds) on the out-of-fold features.
    X, y, groups, folds = np.array(feats), np.array(ys), np.array(groups), np.array(folds)
    cv = np.zeros(len(y))
    for q in questions:
        m = folds == q
        fit = ~m & (np.array(ceilings) >= 4.99)  # capped answers are scored by their cap, not the model
        model, _ = fit_scores(X[fit], y[fit], groups[fit])
        cv[m] = np.minimum([model.predict(dict(zip(FEATURES, x))) for x in X[m]], np.array(ceilings)[m])
    if args.dump:
        import pickle

        regs = [(raw.get("register") or "", it.kind or "", it.id) for _, it, raw in meta]
        args.dump.write_bytes(pickle.dumps({"X": X, "y": y, "groups": groups, "folds": folds, "cv": cv,
                                            "ceilings": np.array(ceilings), "meta": regs,
                                            "points": [(r[3], r[4], r[1], r[5], float(p)) for r, p in zip(rows, oof_prob)],
                                            "point_features": (GUIDE_FEATURES, np.array([r[0] for r in rows]))}))
    is_blind = np.array([it.id.startswith(BLIND_PREFIXES) for _, it, _ in meta])
    splits = [("all", np.ones(len(y), bool)), ("blind", is_blind)]
    if args.by == "writer":
        splits += [(f"held-out writer {q}", folds == q) for q in questions]
        keys_arr = np.array(keys)
        for q in questions:
            m = keys_arr == q
            tq, pq = t[m], pred_credit[m]
            tpq = np.minimum(pq, tq).sum()
            pw, rw = tpq / max(pq.sum(), 1e-9), tpq / max(tq.sum(), 1e-9)
            print(f"  writer {q}: point F1 {2 * pw * rw / max(pw + rw, 1e-9):.3f}, near-miss credit "
                  f"{pred_credit[m & near].mean() if (m & near).any() else float('nan'):.1%}")
    for label, mask in splits:
        h, p = y[mask], cv[mask]
        qwk = quadratic_weighted_kappa(np.rint(h).astype(int), np.clip(np.rint(p), 1, 5).astype(int), [1, 2, 3, 4, 5])
        strong = h >= 4
        print(f"scores ({label}, n={mask.sum()}): Spearman {spearman(h, p):.3f} QWK {qwk:.3f} MAE {np.abs(h - p).mean():.2f} "
              f"strong under-scored {np.mean(p[strong] < 3):.1%} of {strong.sum()}")
    by = defaultdict(list)
    for (_, it, raw), h, p in zip(meta, y, cv):
        if it.id.startswith(BLIND_PREFIXES):
            by["register " + (raw.get("register") or "-")].append(p - h)
        by["kind " + (it.kind or "-")].append(p - h)
    print("mean signed error: " + ", ".join(f"{k} {np.mean(v):+.2f} (n={len(v)})" for k, v in sorted(by.items())))


if __name__ == "__main__":
    main()
