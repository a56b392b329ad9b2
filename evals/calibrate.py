"""Fit the grader's calibration on the DEV splits only; writes interviewer/grading/calibration.json.

1. Coverage thresholds: every framework point of every dev answer gets its best
   similarity; the human `covered` labels say which points are truly covered. The
   "covered" threshold maximises F1, the "partial" threshold maximises F2 (recall-weighted)
   below it.
2. Score models: with those thresholds, non-negative least squares maps the dimension
   coverages to the human score (weights ≥ 0, so covering more can never lower a score;
   a free intercept; a non-negative penalty on reason-less keyword lists). One model for
   guide questions, one for reference-answer questions (labels 0-5 mapped onto 1-5).

Run: .venv/bin/python -m evals.calibrate
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy.optimize import nnls

from interviewer.embeddings import MiniLMEmbedder
from interviewer.evaluation import load_dataset
from interviewer.grading import Grader
from interviewer.grading.calibration import CALIBRATION_FILE, FEATURES, Calibration, ScoreModel
from interviewer.guide import load_guides
from interviewer.settings import REPO_ROOT

DATASETS = REPO_ROOT / "evals" / "datasets"


def _point_sims(grader: Grader, guide, items):
    """(similarity, quality, human-covered) for every framework point of every dev answer."""
    rows = []
    loose = grader.calibration.model_copy(update={"covered": -1.0, "partial": -1.0})
    probe = Grader(grader.embedder, guide, loose)
    for item in items:
        card = probe.grade(guide.question(item.question_id), item.answer)
        if "no_substance" in card.flags:
            continue
        truth = set(item.covered or [])
        for d in card.dimensions:
            if d.kind != "framework":
                continue
            for p in d.points:
                sim = p.strength  # similarity × reasoning quality, what the thresholds apply to
                rows.append((sim, p.id in truth))
    return np.array(rows, dtype=float)


def _best_threshold(rows: np.ndarray, beta: float, upper: float = 1.0) -> tuple[float, float]:
    best = (0.0, 0.5)
    for t in np.arange(0.15, min(upper, 0.8), 0.01):
        pred = rows[:, 0] >= t
        tp = float(np.sum(pred & (rows[:, 1] > 0)))
        fp = float(np.sum(pred & (rows[:, 1] == 0)))
        fn = float(np.sum(~pred & (rows[:, 1] > 0)))
        if tp == 0:
            continue
        p, r = tp / (tp + fp), tp / (tp + fn)
        f = (1 + beta**2) * p * r / (beta**2 * p + r)
        if f > best[0]:
            best = (f, round(float(t), 2))
    return best


def _fit_model(grader: Grader, guide, items, target) -> tuple[ScoreModel, int]:
    X, y = [], []
    for item in items:
        if item.question_id and not item.reference:
            _, feats = grader.analyse(guide.question(item.question_id), item.answer)
        else:
            _, feats = grader.analyse(item.question, item.answer, reference=item.reference)
        f = feats.as_dict()
        X.append([1.0, -1.0] + [f[k] for k in FEATURES] + [-feats.stuffing])
        y.append(target(item.score))
    coef, _ = nnls(np.array(X), np.array(y))
    model = ScoreModel(
        intercept=round(float(coef[0] - coef[1]), 4),
        weights={k: round(float(w), 4) for k, w in zip(FEATURES, coef[2:-1])},
        stuffing_penalty=round(float(coef[-1]), 4),
    )
    return model, len(y)


def main() -> None:
    guide = load_guides([REPO_ROOT / "knowledge"])
    embedder = MiniLMEmbedder()
    guide_dev = load_dataset(DATASETS / "guide_dev.jsonl")
    ref_dev = load_dataset(DATASETS / "reference_dev.jsonl")

    base = Calibration()
    rows = _point_sims(Grader(embedder, guide, base), guide, guide_dev)
    f1, covered = _best_threshold(rows, beta=1.0)
    f2, partial = _best_threshold(rows, beta=2.0, upper=covered)
    cal = base.model_copy(update={"covered": covered, "partial": min(partial, covered - 0.02)})
    grader = Grader(embedder, guide, cal)
    guide_model, n_g = _fit_model(grader, guide, guide_dev, lambda s: float(s))
    ref_model, n_r = _fit_model(grader, guide, ref_dev, lambda s: 1.0 + 4.0 * float(s) / 5.0)
    cal = cal.model_copy(update={
        "guide": guide_model, "reference": ref_model,
        "fitted_on": f"evals/datasets/guide_dev.jsonl ({n_g} answers, {len(rows)} labelled points) + reference_dev.jsonl ({n_r} answers)",
    })
    CALIBRATION_FILE.write_text(json.dumps(cal.model_dump(), indent=2) + "\n", encoding="utf-8")
    print(f"covered ≥ {cal.covered} (F1 {f1:.3f}), partial ≥ {cal.partial} (F2 {f2:.3f})")
    print("guide model:", guide_model.model_dump())
    print("reference model:", ref_model.model_dump())
    print(f"wrote {CALIBRATION_FILE.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
