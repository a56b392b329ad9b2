"""Fit the grader's calibration on the DEV splits only; writes interviewer/grading/calibration.json.

1. Coverage thresholds: every framework point of every dev answer gets its best
   strength (similarity × reasoning quality); the human `covered` labels say which points
   are truly covered. "covered" maximises F1, "partial" maximises F2 (recall-weighted)
   below it. These decide the covered / partial / missing labels on the scorecard.
2. Score models: non-negative least squares maps features to the human score — credit
   features with weights ≥ 0 (covering more can never lower a score), penalties with
   weights ≤ 0 (keyword lists and filler can never raise one), and a free intercept. One
   model for guide questions, one for reference-answer questions (0-5 labels mapped onto
   1-5). The soft-credit margin is chosen by leave-one-question-out cross-validation on
   dev, and the CV figures are printed so over-fitting shows.

The test splits are never read here. Run: .venv/bin/python -m evals.calibrate
"""
from __future__ import annotations

import json

import numpy as np
from scipy.optimize import nnls
from scipy.stats import spearmanr

from interviewer.embeddings import MiniLMEmbedder
from interviewer.evaluation import load_dataset
from interviewer.grading import Grader
from interviewer.grading.calibration import CALIBRATION_FILE, FEATURES, PENALTIES, Calibration, ScoreModel
from interviewer.guide import load_guides
from interviewer.settings import REPO_ROOT

DATASETS = REPO_ROOT / "evals" / "datasets"
MARGINS = (0.0, 0.1)
RELEVANCE = [(0.08, 0.18), (0.12, 0.25)]
CAPS = [(0.0, 0.0)] + [(lo, hi) for lo in (0.2, 0.3, 0.4, 0.5) for hi in (0.6, 0.7, 0.9)]
VAGUE_CAPS = [(0.0, 0.0)] + [(free, slope) for free in (0.0, 0.05, 0.1) for slope in (8.0, 12.0, 20.0, 30.0)]
STUFFING_CAPS = [(0.2, 0.35), (0.3, 0.45), (0.4, 0.6)]
ADVERSARIAL_WEIGHTS = (1.0, 2.0)
ADVERSARIAL = ("keyword-stuffed", "verbose-but-shallow", "off-topic", "injection")
MAX_DEV_INFLATION = 0.25  # below the release gate's 0.3, so a test run has some room
CENTERINGS = (0.5, 0.75)


def _point_strengths(grader: Grader, guide, items) -> np.ndarray:
    """(strength, human says covered) for every framework point of every dev answer."""
    rows = []
    for item in items:
        card = grader.grade(guide.question(item.question_id), item.answer)
        if "no_substance" in card.flags:
            continue
        truth = set(item.covered or [])
        rows += [(p.strength, p.id in truth) for d in card.dimensions if d.kind == "framework" for p in d.points]
    return np.array(rows, dtype=float)


def _best_threshold(rows: np.ndarray, beta: float, upper: float = 1.0) -> tuple[float, float]:
    best = (0.0, 0.3)
    for t in np.arange(0.1, min(upper, 0.8), 0.01):
        pred, true = rows[:, 0] >= t, rows[:, 1] > 0
        tp, fp, fn = float(np.sum(pred & true)), float(np.sum(pred & ~true)), float(np.sum(~pred & true))
        if tp:
            p, r = tp / (tp + fp), tp / (tp + fn)
            f = (1 + beta**2) * p * r / (beta**2 * p + r)
            if f > best[0]:
                best = (f, round(float(t), 2))
    return best


def _design(grader: Grader, guide, items, target):
    X, y, groups, spec, kinds, vague, stuff = [], [], [], [], [], [], []
    for item in items:
        if item.question_id and not item.reference:
            _, feats = grader.analyse(guide.question(item.question_id), item.answer)
        else:
            _, feats = grader.analyse(item.question, item.answer, reference=item.reference)
        f = feats.as_dict()
        X.append([1.0, -1.0] + [f[k] for k in FEATURES] + [-f[k] for k in PENALTIES])
        y.append(target(item.score))
        groups.append(item.group_key)
        spec.append(feats.specificity)
        vague.append(feats.vagueness)
        stuff.append(feats.stuffing)
        kinds.append(item.kind or "")
    return np.array(X), np.array(y), groups, np.array(spec), kinds, np.array(vague), np.array(stuff)


def _fit(X: np.ndarray, y: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
    """Weighted non-negative least squares (weights let the rare adversarial answers count)."""
    r = np.sqrt(w if w is not None else np.ones_like(y))
    coef, _ = nnls(X * r[:, None], y * r)
    return coef


def _to_model(coef: np.ndarray) -> ScoreModel:
    weights = {k: round(float(w), 4) for k, w in zip(FEATURES, coef[2 : 2 + len(FEATURES)])}
    weights |= {k: round(-float(w), 4) for k, w in zip(PENALTIES, coef[2 + len(FEATURES) :])}
    return ScoreModel(intercept=round(float(coef[0] - coef[1]), 4), weights=weights)


def _cv_predictions(X, y, groups, cap, w) -> np.ndarray:
    """Leave-one-question-out: fit on the other questions, predict the held-out one."""
    pred = np.zeros_like(y)
    for g in sorted(set(groups)):
        test = np.array([x == g for x in groups])
        pred[test] = np.minimum(np.clip(X[test] @ _fit(X[~test], y[~test], w[~test]), 1, 5), cap[test])
    return pred


def _caps(spec, vague, stuff, floor: float, full: float, vfree: float, vslope: float, sfrom: float, sfull: float) -> np.ndarray:
    """Vectorised Calibration.substance_cap."""
    cal = Calibration(cap_floor=floor, cap_full=full, vague_free=vfree, vague_slope=vslope,
                      stuffing_cap_from=sfrom, stuffing_cap_full=sfull)
    return np.array([cal.substance_cap(s, v, k) for s, v, k in zip(spec, vague, stuff)])


def _weights(kinds, adversarial_weight: float) -> np.ndarray:
    """Each kind of answer weighs the same in total (the extra dev files add many of the rare
    kinds), times ``adversarial_weight`` for the kinds built to fool a grader."""
    counts = {k: kinds.count(k) for k in set(kinds)}
    mean = len(kinds) / len(counts)
    return np.array([(mean / counts[k]) * (adversarial_weight if k in ADVERSARIAL or k == "wrong" else 1.0) for k in kinds])


def _worst_inflation(pred, y, kinds) -> float:
    errs = [float(np.mean([p - t for p, t, k in zip(pred, y, kinds) if k == kind])) for kind in ADVERSARIAL if kind in kinds]
    return max(errs) if errs else 0.0


def main() -> None:
    guide = load_guides([REPO_ROOT / "knowledge"])
    embedder = MiniLMEmbedder()
    # The dev split plus extra dev-question answers of the rare kinds (same questions, so
    # leave-one-question-out still holds them out together).
    guide_dev = [i for f in ("guide_dev", "guide_dev_extra", "guide_dev_stuffed") for i in load_dataset(DATASETS / f"{f}.jsonl")]
    ref_dev = load_dataset(DATASETS / "reference_dev.jsonl")

    best = None
    for centering in CENTERINGS:
        rows = _point_strengths(Grader(embedder, guide, Calibration(centering=centering)), guide, guide_dev)
        f1, covered = _best_threshold(rows, beta=1.0)
        f2, partial = _best_threshold(rows, beta=2.0, upper=covered - 0.02)
        print(f"centering {centering:.2f}: covered ≥ {covered} (F1 {f1:.3f}), partial ≥ {partial} (F2 {f2:.3f}) on {len(rows)} labelled points")
        for margin, (sfloor, sfull) in [(m, r) for m in MARGINS for r in RELEVANCE]:
            cal = Calibration(centering=centering, covered=covered, partial=partial, soft_margin=margin,
                              specificity_floor=sfloor, specificity_full=sfull)
            grader = Grader(embedder, guide, cal)
            Xg, yg, gg, sg, kg, vg, stg = _design(grader, guide, guide_dev, float)
            Xr, yr, gr, sr, kr, vr, str_ = _design(grader, guide, ref_dev, lambda s: 1.0 + 4.0 * float(s) / 5.0)
            for (floor, full), (vfree, vslope), (sfrom, sfull), aw in [
                (c, v, k, a) for c in CAPS for v in VAGUE_CAPS for k in STUFFING_CAPS for a in ADVERSARIAL_WEIGHTS
            ]:
                wg, wr = _weights(kg, aw), _weights(kr, aw)
                pg = _cv_predictions(Xg, yg, gg, _caps(sg, vg, stg, floor, full, vfree, vslope, sfrom, sfull), wg)
                # The caps encode the guide labelling rules; they apply to guide questions only.
                pr = _cv_predictions(Xr, yr, gr, np.full_like(yr, 5.0), wr)
                cv_g, cv_r = float(spearmanr(pg, yg).statistic), float(spearmanr(pr, yr).statistic)
                infl = max(_worst_inflation(pg, yg, kg), _worst_inflation(pr, yr, kr))
                ok = infl <= MAX_DEV_INFLATION
                score = (ok, cv_g + cv_r)
                if best is None or score > best[0]:
                    best = (score, cal.model_copy(update={"cap_floor": floor, "cap_full": full, "vague_free": vfree, "vague_slope": vslope,
                                                         "stuffing_cap_from": sfrom, "stuffing_cap_full": sfull}), Xg, yg, Xr, yr, cv_g, cv_r, len(rows), infl, aw, wg, wr)
            print(f"  soft margin {margin:.2f}, cross-cutting credit from specificity {sfloor}-{sfull}: best so far CV Spearman guide {best[6]:.3f}, reference {best[7]:.3f}, worst adversarial inflation {best[9]:+.2f}")
    _, cal, Xg, yg, Xr, yr, cv_g, cv_r, n_points, infl, aw, wg, wr = best
    cal = cal.model_copy(update={
        "guide": _to_model(_fit(Xg, yg, wg)), "reference": _to_model(_fit(Xr, yr, wr)),
        "fitted_on": (f"guide_dev.jsonl + guide_dev_extra.jsonl + guide_dev_stuffed.jsonl ({len(yg)} answers, {n_points} labelled points) + reference_dev.jsonl "
                      f"({len(yr)} answers); leave-one-question-out Spearman {cv_g:.3f} / {cv_r:.3f}, worst adversarial inflation {infl:+.2f}, adversarial weight {aw}"),
    })
    CALIBRATION_FILE.write_text(json.dumps(cal.model_dump(), indent=2) + "\n", encoding="utf-8")
    print(f"chosen: centering {cal.centering}, covered {cal.covered}, partial {cal.partial}, soft margin {cal.soft_margin}, specificity {cal.specificity_floor}-{cal.specificity_full}, cap {cal.cap_floor}-{cal.cap_full}, vagueness cap {cal.vague_free}/{cal.vague_slope}, stuffing cap {cal.stuffing_cap_from}-{cal.stuffing_cap_full}; CV Spearman {cv_g:.3f} / {cv_r:.3f}, worst adversarial inflation {infl:+.2f}")
    print("guide model:", cal.guide.model_dump())
    print("reference model:", cal.reference.model_dump())
    print(f"wrote {CALIBRATION_FILE.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
