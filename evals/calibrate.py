"""Fit the guide stage of the point matcher and the score models on the DEV splits only.

1. Point matcher, guide stage: the SemEval-fitted logit (``evals/fit_matcher.py``) is refined
   with two rubric features — how much more the best sentence resembles this point than the
   rubric's other points, and how much reasoning it carries — by logistic regression on every
   labelled framework point of the dev answers (covered = 1, partial = ½, near miss and
   missing = 0). The covered / partial cut-offs maximise point F1 (partial = ½) under
   leave-one-question-out cross-validation, favouring fewer credited near misses (F1_TOLERANCE).
2. Score models: non-negative least squares maps the dimension credits to the human score
   (every weight ≥ 0, so covering more never lowers a score), one model for guide questions
   and one for reference-answer questions (0-5 labels mapped onto 1-5; one feature,
   ``reference_credit``, so its 25 answers fit an intercept and a slope).

3. Near misses: the score model reads its rows shrunk by the share of bank-known points an answer
   reads as missing (``read_as_misses``; Calibration.miss_*), as the grader does.
4. A user's own question with no model answer: relevance cut-offs and a score model over the
   cross-cutting qualities (``evals/fit_question_only.py``).

The test splits are never read here. Run: .venv/bin/python -m evals.calibrate
(``--scores-only`` keeps the shipped matcher and exemplar bank and refits the score models only).
"""
from __future__ import annotations

import json
from collections import defaultdict

import numpy as np
from scipy.optimize import nnls
from sklearn.linear_model import LogisticRegression

from evals.evidence_units import located_evidence, most_of
from evals.fit_trees import fit_trees, soft_targets, to_ensemble
from evals.fit_question_only import fit_question_only
from evals.fitting_cross_encoder import CROSS_ENCODER_OOF, fitting_cross_encoder
from interviewer.embeddings import MiniLMEmbedder
from interviewer.evaluation import load_dataset
from interviewer.evaluation.stats import spearman
from interviewer.grading import Grader
from interviewer.grading.calibration import (CALIBRATION_FILE, FEATURES, REFERENCE_FEATURES, Calibration, ScoreModel, credit_kept,
                                            is_short_reference)
from interviewer.grading.exemplars import EXEMPLAR_FEATURES, NEAR_MISS, STATED, ExemplarBank, bank_key, load_bank, save_bank
from interviewer.grading.matcher import GUIDE_FEATURES, MATCHER_FILE, ExemplarStage, Matcher
from interviewer.grading.engine import matcher_view
from interviewer.guide import load_guides
from interviewer.rubric import rubric_for_reference
from interviewer.settings import REPO_ROOT

DATASETS = REPO_ROOT / "evals" / "datasets"
GUIDE_DEV = ("guide_blind_dev", "guide_blind_dev2", "guide_blind_dev3", "guide_blind_dev4", "guide_blind_dev5", "guide_blind_dev6", "guide_blind_dev7", "guide_blind_dev8", "guide_blind_dev9", "guide_blind_dev10", "guide_blind_dev11", "guide_blind_dev12", "guide_blind_dev13", "guide_blind_dev14", "guide_blind_dev15", "guide_blind_dev16", "guide_blind_dev17", "guide_blind_dev18", "guide_blind_dev19", "guide_blind_dev20", "guide_blind_dev21", "guide_blind_dev22", "guide_blind_dev23", "guide_blind_dev24", "guide_blind_dev25", "guide_blind_dev26", "guide_blind_dev27", "guide_blind_dev28", "guide_blind_dev29", "guide_blind_dev30", "guide_blind_dev31", "guide_blind_dev32", "guide_blind_dev33", "guide_blind_dev34", "guide_blind_dev35", "guide_blind_dev36", "guide_blind_dev37", "guide_blind_dev38", "guide_blind_dev39", "guide_blind_dev40",
             "guide_dev", "guide_dev_extra", "guide_dev_stuffed")
REFERENCE_DEV = ("reference_dev",)
# The exemplar stage's boosted trees, beside matcher.json (the stage names the file).
EXEMPLAR_TREES_FILE = MATCHER_FILE.with_name("exemplar_trees.npz")
# How much point F1 the checklist may give up to credit fewer near misses (see select_cutoffs).
F1_TOLERANCE = 0.01
# Share of "clearly missing" points that may in fact have been stated (sets Matcher.clearly_missing).
CLEARLY_MISSING_STATED = 0.05
# At most this many refits of the censored score fit (fit_scores); it settles in three or four.
CENSORED_ROUNDS = 20
# Where the clearly-missing bands start: the share of an answer's framework credited (partial = ½).
# Four wide bands, so each holds a hundred answers or more of the fitting data.
CLEARLY_MISSING_SHARES = (0.0, 0.25, 0.5, 0.75)


def _clearly_missing(prob, target) -> float:
    """The largest bound below which at most CLEARLY_MISSING_STATED of the points were labelled
    stated (covered or partial), on a 0.005 grid; 0 when even the lowest points miss that."""
    return max((tau for tau in np.arange(0.005, 0.4, 0.005) if (prob < tau).any()
                and np.mean(target[prob < tau] > 0) <= CLEARLY_MISSING_STATED), default=0.0)


def missing_bounds(prob, target, answer_ids, covered: float, partial: float) -> tuple[float, list[tuple[float, float]]]:
    """The clearly-missing bound for every answer and per band of the answer's credited share
    (out-of-fold probabilities on the guide stage's scale). A band's bound never exceeds the
    band's below it (a stronger answer's unmatched points are likelier to be paraphrases) nor the
    bound for every answer: the bands only ever hold a follow-up back, never add one (in the
    lowest band the rule allows 0.2–0.3, which asked a scripted candidate about a point its
    first answer had stated)."""
    credit = np.where(prob >= covered, 1.0, np.where(prob >= partial, 0.5, 0.0))
    ids = np.asarray(answer_ids)
    share = np.zeros(len(prob))
    for a in set(answer_ids):
        m = ids == a
        share[m] = credit[m].mean()
    overall = _clearly_missing(prob, target)
    bands, ceiling = [], overall
    for lo, hi in zip(CLEARLY_MISSING_SHARES, (*CLEARLY_MISSING_SHARES[1:], 1.01)):
        m = (share >= lo) & (share < hi)
        ceiling = min(ceiling, _clearly_missing(prob[m], target[m]) if m.any() else ceiling)
        bands.append((lo, round(float(ceiling), 3)))
    return round(float(overall), 3), bands


def _items(names):
    out = []
    for name in names:
        path = DATASETS / f"{name}.jsonl"
        if path.exists():
            out += [(name, it, json.loads(line)) for it, line in zip(load_dataset(path), path.read_text().splitlines())]
    return out


def labelled_points(grader: Grader, guide, items):
    """Every labelled framework point of the items (diagram parts, labelled as one "P.1", are
    skipped): yields (item, question, match inputs, row index, target, is a near miss), with
    target covered 1 / partial ½ / else 0."""
    for _, item, raw in items:
        if item.covered is None or not item.question_id:
            continue
        question = guide.question(item.question_id)
        diagram_parts = {str(p.index) for p in question.parts if p.diagram and not p.points}
        m = grader.match_inputs(question, item.answer)
        if m is None:
            continue
        covered, partial, near = set(item.covered), set(raw.get("partial") or []), set(raw.get("near_miss") or [])
        for i, p in enumerate(m.points):
            if p.id.split(".")[0] not in diagram_parts:
                yield item, question, m, i, 1.0 if p.id in covered else (0.5 if p.id in partial else 0.0), p.id in near


def writer_of(item_id: str) -> str:
    """The writer of a labelled answer: its batch prefix ("gb", "ge", ...) or "house"."""
    prefix = item_id.rsplit("-", 1)[0]
    return "house" if prefix.startswith("g-") else prefix


def point_rows(grader: Grader, guide, items, context: list | None = None, picks: list | None = None,
               located: dict | None = None):
    """(guide-stage features, target, question, item id, point id, near miss) per labelled framework
    point; with ``context``, also appends (answer unit vectors, evidence unit, point text, bank unit)
    per row — the bank unit is the one that is most nearly the labelled evidence text when ``located`` has it
    (the sentence the labellers credited, or the near miss's tempting text), else the evidence unit;
    with ``picks``, (item, point id, the sentence the matcher picked) per labelled-stated point."""
    rows = []
    vectors: dict[str, np.ndarray] = {}
    for item, _, m, i, target, near in labelled_points(grader, guide, items):
        z = float(grader.matcher.asag.logit(m.features[i : i + 1])[0])
        rows.append(((z, *map(float, m.rubric_features[i])), target, item.question_id, item.id, m.points[i].id, near))
        if picks is not None and target > 0:
            picks.append((item, m.points[i].id, m.units[int(m.best_unit[i])].text))
        if context is not None:
            if item.id not in vectors:
                vectors[item.id] = grader.embedder.embed([matcher_view(u.text) for u in m.units])
            best = int(m.best_unit[i])
            quote = (located or {}).get(item.id, {}).get(m.points[i].id)
            held = most_of(item.answer, m.units, quote) if quote else None
            context.append((vectors[item.id], best, m.points[i].text, best if held is None else m.units.index(held)))
    return rows


def build_bank(rows, context, embedder_name: str) -> ExemplarBank:
    """Every labelled-covered point's labelled sentence (stated) and every near miss's tempting one
    (near miss) — the matcher's pick where no evidence label locates it. From the labels, not the
    pick: with the pick, the bank's near misses changed whenever the pick rule did (thirteenth
    session: "weigh them against business impact" then resembled near misses of that point)."""
    keep = [k for k, r in enumerate(rows) if r[1] == 1.0 or r[5]]
    return ExemplarBank(
        embedder=embedder_name,
        keys=np.array([bank_key(rows[k][2], context[k][2]) for k in keep]),
        labels=np.array([STATED if rows[k][1] == 1.0 else NEAR_MISS for k in keep], dtype=np.int8),
        writers=np.array([writer_of(rows[k][3]) for k in keep]),
        vectors=np.array([context[k][0][context[k][3]] for k in keep], dtype=np.float32).reshape(len(keep), -1))


def exemplar_features(bank: ExemplarBank, rows, context) -> tuple[np.ndarray, np.ndarray]:
    """Each row's exemplar features read from the bank *without its own writer* (as a new writer's
    answer would be), and whether the bank knew the point."""
    per_writer = {w: bank.without(writer=w) for w in {writer_of(r[3]) for r in rows}}
    ex = np.zeros((len(rows), 4))
    known = np.zeros(len(rows), dtype=bool)
    for k, (r, (vecs, best, text, _)) in enumerate(zip(rows, context)):
        f, kn = per_writer[writer_of(r[3])].features(r[2], [text], vecs, np.array([best]))
        ex[k], known[k] = f[0], kn[0]
    return ex, known


def fit_exemplar_stage(rows, ex, known, covered: float, partial: float) -> tuple[ExemplarStage, dict]:
    """The exemplar guide stage: boosted trees (evals/fit_trees.py) fitted on the points the bank
    knows, cut-offs and the clearly-missing bound chosen leaving one writer out, probabilities
    mapped onto the guide stage's scale. The stage holds its trees in memory; fit_matcher_and_bank
    writes them to ``EXEMPLAR_TREES_FILE``."""
    X = np.c_[np.array([r[0] for r in rows]), ex][known]
    t = np.array([r[1] for r in rows])[known]
    near = np.array([r[5] for r in rows])[known]
    writers = np.array([writer_of(r[3]) for r in rows])[known]
    names = (*GUIDE_FEATURES, *EXEMPLAR_FEATURES)
    cv = np.zeros(len(t))
    for w in sorted(set(writers)):
        m = writers == w
        cv[m] = fit_trees(X[~m], t[~m], names).predict_proba(X[m])[:, 1]
    c_ex, p_ex = select_cutoffs(cv, t, near)
    f1, prec, rec = point_f1(cv, t, c_ex, p_ex)
    near_credit = float(np.mean(np.where(cv[near] >= c_ex, 1.0, np.where(cv[near] >= p_ex, 0.5, 0.0)))) if near.any() else 0.0
    mapped = np.interp(cv, [0.0, p_ex, c_ex, 1.0], [0.0, partial, covered, 1.0])
    answers = np.array([r[3] for r in rows])[known]
    clearly, by_share = missing_bounds(mapped, t, answers, covered, partial)
    stage = ExemplarStage(trees=EXEMPLAR_TREES_FILE.name, covered=round(float(c_ex), 2), partial=round(float(p_ex), 2),
                          clearly_missing=clearly, clearly_missing_by_share=by_share).with_ensemble(to_ensemble(fit_trees(X, t, names), names))
    return stage, {"points": int(known.sum()), "lowo_point_f1": round(f1, 3), "lowo_precision": round(prec, 3),
                   "lowo_recall": round(rec, 3), "lowo_near_miss_credit": round(near_credit, 3),
                   "clearly_missing": clearly, "clearly_missing_by_share": by_share}


def _fit_stage(X, t):
    """Logistic regression on soft targets (see :func:`evals.fit_trees.soft_targets`)."""
    Xd, yd, wd = soft_targets(X, t)
    return LogisticRegression(C=1.0, max_iter=2000).fit(Xd, yd, sample_weight=wd)


def point_f1(prob, target, covered_cut, partial_cut):
    """Point F1 with partial = ½ on both sides (predicted and labelled)."""
    pred = np.where(prob >= covered_cut, 1.0, np.where(prob >= partial_cut, 0.5, 0.0))
    tp = np.minimum(pred, target).sum()
    p = tp / max(pred.sum(), 1e-9)
    r = tp / max(target.sum(), 1e-9)
    return 2 * p * r / max(p + r, 1e-9), p, r


def select_cutoffs(prob, target, near, f1_tolerance: float = F1_TOLERANCE) -> tuple[float, float]:
    """(covered, partial) cut-offs: among those within ``f1_tolerance`` of the best point F1
    (partial = ½), the ones that credit the fewest labelled near misses — a checklist that says
    "covered" for what was not said misleads, but so does one that misses what was."""
    grid = [(c, p) for c in np.arange(0.3, 0.8, 0.02) for p in np.arange(0.1, 0.6, 0.02) if p < c - 0.05]

    def false_credit(cp):
        c, p = cp
        return float(np.mean(np.where(prob[near] >= c, 1.0, np.where(prob[near] >= p, 0.5, 0.0)))) if near.any() else 0.0

    f1 = {cp: point_f1(prob, target, *cp)[0] for cp in grid}
    best = max(f1.values())
    c, p = min((cp for cp in grid if f1[cp] >= best - f1_tolerance), key=lambda cp: (false_credit(cp), -f1[cp]))
    return round(float(c), 2), round(float(p), 2)


def fit_matcher_stage(rows, uses_cross_encoder: bool, shortlist: int = 1, read_in_context: str = "off") -> tuple[Matcher, dict]:
    X = np.array([r[0] for r in rows])
    t = np.array([r[1] for r in rows])
    groups = np.array([r[2] for r in rows])
    cv = np.zeros(len(rows))
    for g in sorted(set(groups)):
        m = groups == g
        model = _fit_stage(X[~m], t[~m])
        cv[m] = model.predict_proba(X[m])[:, 1]
    near = np.array([r[5] for r in rows])
    covered_cut, partial_cut = select_cutoffs(cv, t, near)
    f1, prec, rec = point_f1(cv, t, covered_cut, partial_cut)
    near_credit = float(np.mean(np.where(cv[near] >= covered_cut, 1.0, np.where(cv[near] >= partial_cut, 0.5, 0.0)))) if near.any() else 0.0
    # Follow-ups go only to points that are clearly not stated: the largest probability below
    # which at most CLEARLY_MISSING_STATED of the labelled points (out of fold) were stated, for
    # every answer and per band of how much of the answer is credited.
    clearly, by_share = missing_bounds(cv, t, [r[3] for r in rows], covered_cut, partial_cut)
    model = _fit_stage(X, t)
    matcher = Matcher.model_validate(json.loads(MATCHER_FILE.read_text())) if MATCHER_FILE.exists() else Matcher()
    matcher.uses_cross_encoder, matcher.shortlist, matcher.read_in_context = uses_cross_encoder, shortlist, read_in_context
    matcher.guide_intercept = round(float(model.intercept_[0]), 4)
    matcher.guide_weights = {f: round(float(w), 4) for f, w in zip(GUIDE_FEATURES, model.coef_[0])}
    matcher.covered, matcher.partial = round(float(covered_cut), 2), round(float(partial_cut), 2)
    matcher.clearly_missing, matcher.clearly_missing_by_share = clearly, by_share
    stats = {"points": len(rows), "cv_point_f1": round(f1, 3), "cv_precision": round(prec, 3), "cv_recall": round(rec, 3),
             "cv_near_miss_credit": round(near_credit, 3), "clearly_missing": clearly, "clearly_missing_by_share": by_share,
             "near_misses": int(near.sum())}
    matcher.fitted_on = (f"{matcher.asag.fitted_on}; guide stage on {len(rows)} labelled dev framework points, "
                         f"leave-one-question-out point F1 {f1:.3f} (P {prec:.3f}, R {rec:.3f})")
    return matcher, stats


def _design(grader: Grader, guide, items, target_scale, bank: ExemplarBank | None = None, names=FEATURES):
    """Score-model rows for the items with substance: (X, y, groups, the items kept, ceilings).
    With ``bank``, each answer is graded reading the bank without its own writer's sentences."""
    X, y, groups, kept, ceilings = [], [], [], [], []
    graders: dict[str, Grader] = {}
    for entry in items:
        item = entry[1]
        if bank is not None:
            w = writer_of(item.id)
            if w not in graders:
                # The same cross-encoder as the caller's (out-of-fold logits when fitting): the
                # shipped model has read most fitting writers' sentences.
                graders[w] = Grader(grader.embedder, guide, calibration=grader.calibration, matcher=grader.matcher,
                                    exemplars=bank.without(writer=w), cross_encoder=grader.cross_encoder)
            grader = graders[w]
        if item.question_id and not item.reference:
            card, feats = grader.analyse(guide.question(item.question_id), item.answer)
        else:
            card, feats = grader.analyse(item.question, item.answer, reference=item.reference)
        if "no_substance" in card.flags:
            continue
        d = feats.as_dict()
        # The near-miss shrink scales every credit feature alike (ScoreModel.predict), so the rows
        # carry it and the weights are fitted on what the score model will see.
        keep = credit_kept(grader.calibration.miss_shrink * feats.miss_share)
        X.append([keep * d[k] for k in names])
        lo, hi = target_scale
        y.append(1 + 4 * (item.score - lo) / (hi - lo))
        groups.append(item.question_id or item.group or item.question)
        kept.append(entry)
        ceilings.append(feats.ceiling)
    return np.array(X), np.array(y), np.array(groups), kept, np.array(ceilings)


def fit_scores(X, y, groups, names=FEATURES) -> tuple[ScoreModel, float]:
    """Non-negative least squares of the labels (on 1–5) on the features, leave-one-group-out
    Spearman beside it.

    The scale is bounded, so a label of 5 says "5 or better" and a 1 "1 or worse": an answer the
    model already puts at or beyond the bound it was labelled at is right once clipped, and
    fitting it to exactly 5 only pulls the top down (strong answers that state fewer points —
    concise or paraphrased — were under-scored most: −0.35 / −0.25 leaving one writer out).
    Such rows are left out and the fit repeated until they stop changing (a censored fit)."""
    def fit(Xf, yf):
        A = np.c_[np.ones(len(Xf)), Xf]
        # The intercept may be negative: shift it through a constant column pair.
        A = np.c_[A, -np.ones(len(Xf))]
        keep = np.ones(len(yf), dtype=bool)
        for _ in range(CENSORED_ROUNDS):
            w, _ = nnls(A[keep], yf[keep])
            pred = A @ w
            beyond = ((yf >= 5) & (pred >= 5)) | ((yf <= 1) & (pred <= 1))
            if np.array_equal(~beyond, keep):
                break
            keep = ~beyond
        return w[0] - w[-1], w[1:-1]

    cv = np.zeros(len(y))
    for g in sorted(set(groups)):
        m = groups == g
        b, w = fit(X[~m], y[~m])
        cv[m] = np.clip(b + X[m] @ w, 1, 5)
    b, w = fit(X, y)
    return ScoreModel(intercept=round(float(b), 4), weights={k: round(float(v), 4) for k, v in zip(names, w)}), spearman(cv, y)


def fit_matcher_and_bank(embedder, guide, fitting: Matcher, cross_encoder, guide_items, uses_ce: bool):
    """Fit the matcher's guide and exemplar stages and rebuild the exemplar bank; writes both files."""
    grader = Grader(embedder, guide, calibration=Calibration(), matcher=fitting, exemplars=None, cross_encoder=cross_encoder)
    context: list = []
    rows = point_rows(grader, guide, guide_items, context, located=located_evidence(GUIDE_DEV, [it for _, it, _ in guide_items]))
    matcher, stats = fit_matcher_stage(rows, uses_ce, fitting.shortlist, fitting.read_in_context)
    print(f"matcher guide stage: {stats}; cut-offs covered {matcher.covered} / partial {matcher.partial}")
    bank = build_bank(rows, context, embedder.name)
    ex, known = exemplar_features(bank, rows, context)
    matcher.exemplar, ex_stats = fit_exemplar_stage(rows, ex, known, matcher.covered, matcher.partial)
    matcher.fitted_on += (f"; exemplar stage on {ex_stats['points']} points with exemplars, leave-one-writer-out point F1 "
                          f"{ex_stats['lowo_point_f1']} (near misses credited {ex_stats['lowo_near_miss_credit']:.0%})")
    MATCHER_FILE.write_text(json.dumps(matcher.model_dump(), indent=2) + "\n", encoding="utf-8")
    matcher.exemplar.ensemble.save(EXEMPLAR_TREES_FILE)
    save_bank(bank)
    print(f"exemplar stage: {ex_stats}; bank {len(bank.keys)} sentences; {matcher.exemplar}")
    return matcher, bank


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description="Fit the guide stage and the score models on the dev splits.")
    ap.add_argument("--cross-encoder", choices=("on", "off", "keep"), default="keep",
                    help="let the guide stage read the cross-encoder (default: as the shipped matcher does)")
    ap.add_argument("--shortlist", type=int, default=None,
                    help="sentences per point the cross-encoder reads (default: as the shipped matcher does)")
    ap.add_argument("--read-in-context", choices=("off", "also", "instead", "keep"), default="keep",
                    help="let the cross-encoder read a clause's sentence beside the clause or in its place "
                         "(default: as the shipped matcher does)")
    ap.add_argument("--scores-only", action="store_true",
                    help="keep the shipped matcher and exemplar bank; refit only the score models (after a change to what they read)")
    args = ap.parse_args()
    guide = load_guides([REPO_ROOT / "knowledge"])
    embedder = MiniLMEmbedder()
    shipped = Matcher.model_validate(json.loads(MATCHER_FILE.read_text()))
    uses_ce = shipped.uses_cross_encoder if args.cross_encoder == "keep" else args.cross_encoder == "on"
    in_context = shipped.read_in_context if args.read_in_context == "keep" else args.read_in_context
    fitting = shipped.model_copy(update={"uses_cross_encoder": uses_ce, "shortlist": args.shortlist or shipped.shortlist,
                                         "read_in_context": in_context})
    cross_encoder = fitting_cross_encoder(fitting)
    guide_items = _items(GUIDE_DEV)
    if args.scores_only:
        matcher, bank = shipped, load_bank()
    else:
        matcher, bank = fit_matcher_and_bank(embedder, guide, fitting, cross_encoder, guide_items, uses_ce)

    grader = Grader(embedder, guide, calibration=Calibration(), matcher=matcher, cross_encoder=cross_encoder)
    Xg, yg, gg, kept_g, cap_g = _design(grader, guide, guide_items, (1, 5), bank)
    kinds = [item.kind or "" for _, item, _ in kept_g]
    free = cap_g >= 4.99  # capped answers are scored by their cap, not the model
    guide_model, cv_g = fit_scores(Xg[free], yg[free], gg[free])
    # Short factual references are scored by the matcher's probability (Calibration.reference_short).
    ref_items = [e for e in _items(REFERENCE_DEV) if not is_short_reference(rubric_for_reference(e[1].question, e[1].reference))]
    # One feature, so 25 house answers fit two numbers (intercept and slope), not nine weights.
    Xr, yr, gr, _, _ = _design(grader, guide, ref_items, (0, 5), names=REFERENCE_FEATURES)
    ref_model, cv_r = fit_scores(Xr, yr, gr, names=REFERENCE_FEATURES)
    by_kind = defaultdict(list)
    pred = np.minimum([guide_model.predict(dict(zip(FEATURES, x))) for x in Xg], cap_g)
    for k, p, t in zip(kinds, pred, yg):
        by_kind[k].append(p - t)
    cal = Calibration(guide=guide_model, reference=ref_model,
                      fitted_on=f"{', '.join(n for n in GUIDE_DEV if (DATASETS / f'{n}.jsonl').exists())} ({len(yg)} answers) + "
                                f"reference_dev ({len(yr)}); leave-one-question-out Spearman guide {cv_g:.3f}, reference {cv_r:.3f}")
    # A user's own question with no model answer has its own model (evals/fit_question_only.py).
    cal, question_only = fit_question_only(grader, guide_items, cal)
    CALIBRATION_FILE.write_text(json.dumps(cal.model_dump(), indent=2) + "\n", encoding="utf-8")
    print(f"question-only: {question_only}; model {cal.question_only.model_dump()}")
    print(f"score models: guide {guide_model.model_dump()} (CV Spearman {cv_g:.3f}); reference {ref_model.model_dump()} (CV Spearman {cv_r:.3f})")
    if cross_encoder is not None:
        print(f"cross-encoder: {cross_encoder.misses} pairs scored by the shipped model (not in {CROSS_ENCODER_OOF.name})")
    print("dev mean signed error by kind (in-sample): " + ", ".join(f"{k or '-'} {np.mean(v):+.2f}" for k, v in sorted(by_kind.items())))


if __name__ == "__main__":
    main()
