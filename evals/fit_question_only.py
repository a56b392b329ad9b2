"""Fit the question-only score model and its relevance cut-offs: a user's own question, no model answer.

That rubric has one point, the question (is the answer about it?), and the cross-cutting qualities
(clarify, trade-offs, specifics, example): all that can be judged without a framework or a model
answer. Before the thirty-third session the point matcher read the question as a statement to find
and the overall came from the reference model's one feature: under paraphrased guide questions,
half of the strong answers read off-topic and the overall's Spearman with the labels was 0.24.

Data (dev only): every answer of the dev guide sets graded against its question's text alone — the
rubric a user gets from `interviewer grade --question "…"` — with its label; and, for every answer
labelled 3 or more, one answer to another question (seeded draw) graded against this question as a
1 (the labelling rules: an answer to a different question scores 1). Relevance cut-offs: partial
where on-topic and other-question answers separate best (Youden's J on the cosine of the answer's
embedding with the question's), covered where 97.5 % of other-question answers fall below. Score
model: `calibrate.fit_scores` over QUESTION_ONLY_FEATURES (non-negative, censored,
leave-one-question-out Spearman beside it).

Run: .venv/bin/python -m evals.fit_question_only [--exclude guide_blind_dev33 ...] [--dry-run] [--by-register]
(`evals.calibrate` runs it too, after the score models). With ``--check`` it fits without the
excluded sets and grades their answers under two paraphrases of each guide question
(``datasets/question_paraphrases.json``): the held-out figures in CALIBRATION.md.
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import numpy as np

from interviewer.grading import Grader
from interviewer.grading.calibration import CALIBRATION_FILE, QUESTION_ONLY_FEATURES, Calibration
from interviewer.rubric import rubric_for_reference

SEED = 33033
OTHER_QUESTION_FROM = 3  # answers labelled at least this lend themselves as another question's off-topic answer
COVERED_OFF_SHARE = 0.975


def _rows(grader: Grader, items) -> list[dict]:
    """Each dev answer against its own question's text, and strong answers against another's."""
    by_question: dict[str, list] = {}
    for _, item, _ in items:
        if item.question_id and item.score is not None:
            by_question.setdefault(item.question_id, []).append(item)
    questions = sorted(by_question)
    draw = random.Random(SEED)
    rows = []
    for qid in questions:
        for item in by_question[qid]:
            rows.append({"question": item.question, "answer": item.answer, "label": float(item.score), "group": qid,
                         "on_topic": item.kind not in ("off-topic",)})
            if item.score >= OTHER_QUESTION_FROM:
                other = draw.choice([q for q in questions if q != qid])
                rows.append({"question": by_question[other][0].question, "answer": item.answer, "label": 1.0, "group": other,
                             "on_topic": False})
    return rows


def _features(grader: Grader, rows: list[dict]) -> np.ndarray:
    """The feature matrix of every row, graded under the grader's calibration."""
    X = []
    for r in rows:
        _, feats = grader.analyse(r["question"], r["answer"], rubric=rubric_for_reference(r["question"], None))
        d = feats.as_dict()
        X.append([d.get(k, 0.0) for k in QUESTION_ONLY_FEATURES])
    return np.array(X)


def relevance_cutoffs(cos: np.ndarray, on_topic: np.ndarray) -> tuple[float, float]:
    """(partial, covered) cosine cut-offs: the best on/off split, and where most off answers end."""
    grid = np.unique(np.round(cos, 3))
    j = [(on_topic & (cos >= t)).sum() / max(on_topic.sum(), 1) - (~on_topic & (cos >= t)).sum() / max((~on_topic).sum(), 1)
         for t in grid]
    partial = float(grid[int(np.argmax(j))])
    covered = max(partial, float(np.quantile(cos[~on_topic], COVERED_OFF_SHARE)))
    return round(partial, 3), round(covered, 3)


def fit_question_only(grader: Grader, items, cal: Calibration) -> tuple[Calibration, dict]:
    """``cal`` with the question-only model and relevance cut-offs fitted on ``items``; and figures."""
    from evals.calibrate import fit_scores

    rows = _rows(grader, items)
    on_topic = np.array([r["on_topic"] for r in rows])
    cos = np.array([grader.relevance(r["question"], r["answer"]) for r in rows])
    partial, covered = relevance_cutoffs(cos, on_topic)
    cal = cal.model_copy(update={"relevance_partial_cos": partial, "relevance_covered_cos": covered})
    grader.calibration = cal
    X = _features(grader, rows)
    y = np.array([r["label"] for r in rows])
    groups = np.array([r["group"] for r in rows])
    model, cv = fit_scores(X, y, groups, names=QUESTION_ONLY_FEATURES)
    cal = cal.model_copy(update={"question_only": model})
    stats = {"rows": len(rows), "other_question_rows": int((~on_topic).sum()), "relevance_cutoffs": (partial, covered),
             "on_topic_read_missing": round(float((cos[on_topic] < partial).mean()), 3),
             "other_read_relevant": round(float((cos[~on_topic] >= partial).mean()), 3), "cv_spearman": round(cv, 3)}
    return cal, stats


PARAPHRASES = Path(__file__).parent / "datasets" / "question_paraphrases.json"
CHECK_SEED = 11


def held_out_check(grader: Grader, items, which: int) -> dict:
    """The question-only grade of held-out answers under paraphrased guide questions
    (``datasets/question_paraphrases.json``, two per question, written by hand): for each
    paraphrase, five answers to its question (any label, not off-topic), its off-topic answers
    (at most two, labelled 1) and two strong answers to other questions (as 1s). Spearman of the
    overall with the labels, and how many answers labelled ≥ 4 read ≤ 2."""
    from interviewer.evaluation.stats import spearman

    para = json.loads(PARAPHRASES.read_text(encoding="utf-8"))
    draw = random.Random(CHECK_SEED)
    on: dict[str, list] = {}
    off: dict[str, list] = {}
    for _, item, _ in items:
        if item.kind == "injection":  # its instruction is masked: neither a plain answer nor another question's
            continue
        (off if item.kind == "off-topic" else on).setdefault(item.question_id, []).append(item)
    preds, labels, strong_low, strong = [], [], 0, 0
    for qid, questions in para.items():
        question = questions[which]
        rows = [(a, a.score) for a in draw.sample(on[qid], min(5, len(on[qid])))] + [(a, 1) for a in off.get(qid, [])[:2]]
        rows += [(a, 1) for a in draw.sample([a for k, v in on.items() if k != qid for a in v if a.score >= 3], 2)]
        for item, label in rows:
            overall = grader.grade(question, item.answer).overall
            preds.append(overall)
            labels.append(label)
            if label >= 4 and item.question_id == qid:
                strong += 1
                strong_low += overall <= 2
    return {"answers": len(preds), "spearman": round(spearman(np.array(preds), np.array(labels)), 3),
            "strong_read_2_or_less": f"{strong_low} of {strong}"}


def relevance_by_register(grader: Grader, items) -> dict[str, dict[str, float]]:
    """How often an answer labelled ≥ 4 reads relevant to a paraphrase of its question, by register:
    the share whose whole-answer cosine reaches the covered cut-off and the partial one, over both
    paraphrase sets. Register must not cost points; this says where it still does."""
    cal = grader.calibration
    para = json.loads(PARAPHRASES.read_text(encoding="utf-8"))
    cos_by: dict[str, list[float]] = {}
    for _, item, _ in items:
        if item.register and item.score >= 4 and item.kind not in ("off-topic", "injection"):
            cos_by.setdefault(item.register, []).extend(grader.relevance(q, item.answer) for q in para[item.question_id])
    return {reg: {"n": len(v), "covered": round(float(np.mean(np.array(v) >= cal.relevance_covered_cos)), 2),
                  "at_least_partial": round(float(np.mean(np.array(v) >= cal.relevance_partial_cos)), 2)}
            for reg, v in sorted(cos_by.items())}


def main() -> None:
    from evals.calibrate import GUIDE_DEV, _items
    from interviewer.grading import default_grader

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--exclude", nargs="*", default=[], help="dev sets to leave out (to estimate on them afterwards)")
    ap.add_argument("--dry-run", action="store_true", help="print the fit, do not write calibration.json")
    ap.add_argument("--check", action="store_true",
                    help="after fitting, grade the --exclude sets under the paraphrased questions (implies --dry-run)")
    ap.add_argument("--by-register", action="store_true",
                    help="only print how often strong dev answers read relevant to a paraphrase of their question, by register")
    args = ap.parse_args()
    grader = default_grader()
    if args.by_register:
        for reg, shares in relevance_by_register(grader, _items(GUIDE_DEV)).items():
            print(f"{reg:<15} {shares}")
        return
    items = _items([n for n in GUIDE_DEV if n not in args.exclude])
    cal, stats = fit_question_only(grader, items, grader.calibration)
    print(f"question-only: {stats}; model {cal.question_only.model_dump()}")
    if args.check:
        grader.calibration = cal
        held_out = _items(args.exclude)
        for which in (0, 1):
            print(f"held out, paraphrase set {which + 1}: {held_out_check(grader, held_out, which)}")
    elif not args.dry_run:
        CALIBRATION_FILE.write_text(json.dumps(cal.model_dump(), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {CALIBRATION_FILE}")


if __name__ == "__main__":
    main()
