"""Export (point, text, label) pairs for training the clause × point cross-encoder.

Run by hand with the project's venv (it uses the grader to pick each point's best evidence):

    .venv/bin/python -m evals.export_pairs --asag ../shared/asag --out evals/out/pairs

- ``asag_train.jsonl``: SemEval-2013 Task 7 train (SciEntsBank + Beetle): the reference answer
  as the point, the student answer as the text, 2-way gold label (CC BY-SA 3.0).
- ``asag_test.jsonl``: the three test splits, for reporting only.
- ``guide_dev.jsonl``: every labelled framework point of the DEV guide answers, with the
  sentence (or two-sentence window) the current matcher picks as its evidence, labelled
  covered 1 / partial ½ / near miss and missing 0. Test splits are never read. With
  ``--shortlist K`` the evidence is the one of the point's K best-ranked sentences that the
  shipped cross-encoder rates highest, as the grader picks it: a stated point trains on the
  sentence that states it, a missing one on its most tempting sentence.
- With ``--evidence``, a labelled point whose text is located in ``evals/datasets/evidence/``
  trains on the matcher's sentence that holds that text instead of the matcher's own pick, so a
  wrong pick is never learnt as a positive; the script prints how often the two differ.
- With ``--rank-negatives`` (and ``--evidence``), a stated point's other short-listed sentences
  that share no text with its labelled text are added as 0 (``rank_negative``), so a model can
  learn which sentence states the point. Noisy: the labels locate one text per point, and a point
  said twice has its second mention trained as a negative (about one in six on a read sample).
- When the matcher reads a clause in the sentence that holds it (``read_in_context = "instead"``
  in ``matcher.json``), both files hold that sentence, as the grader reads it: otherwise fitting
  scores those sentences through the shipped model, which trained on them.
- ``guide_shortlist.jsonl``: every (point, sentence) pair of those shortlists, unlabelled, so the
  training script can give each one an out-of-fold logit (fitting reads the shortlist the way
  the grader does).
- With ``--oof FILE`` the sentences are picked with a training run's out-of-fold logits, so the
  printed agreement with the labelled text is a held-out quote rate (compare two models with it;
  write to another ``--out`` so the training pairs are kept).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from evals.calibrate import DATASETS, GUIDE_DEV, _items, labelled_points, writer_of
from evals.evidence_units import holding, located_evidence, shared_chars
from evals.fitting_cross_encoder import OutOfFoldCrossEncoder
from interviewer.evaluation.evidence import agree, span
from interviewer.grading import default_grader
from interviewer.grading.engine import holding_sentences, matcher_view, shortlist_units
from interviewer.settings import REPO_ROOT


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--asag", type=Path, default=REPO_ROOT.parent / "shared" / "asag")
    ap.add_argument("--out", type=Path, default=REPO_ROOT / "evals" / "out" / "pairs")
    ap.add_argument("--datasets", nargs="*", default=list(GUIDE_DEV), help="labelled guide sets to export (dev splits only)")
    ap.add_argument("--shortlist", type=int, default=None, help="sentences per point the cross-encoder reads (default: the shipped matcher's)")
    ap.add_argument("--evidence", action="store_true", help="train labelled points on the sentences labelled as stating them")
    ap.add_argument("--rank-negatives", action="store_true",
                    help="with --evidence: also train a stated point's other short-listed sentences as 0 (they do not state it)")
    ap.add_argument("--oof", type=Path, default=None,
                    help="pick each point's sentence with these out-of-fold cross-encoder logits (train_cross_encoder.py's "
                         "evals/cross_encoder_oof.jsonl.gz) instead of the shipped model: the 'matcher's pick is the labelled "
                         "text' line is then a held-out quote agreement, comparable between two trained models")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    train, test = [], []
    for name in ("scientsbank", "beetle"):
        for line in (args.asag / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            row = {"point": r["reference_answers"][0]["text"], "question": r["question"], "text": r["answer"],
                   "label": 1.0 if r["label_2way"] == "correct" else 0.0, "label_3way": r["label_3way"],
                   "group": f"{name}:{r['question_id']}", "split": r["split"], "dataset": name}
            (train if r["split"] == "train" else test).append(row)
    grader = default_grader()
    if args.shortlist:
        grader.matcher = grader.matcher.model_copy(update={"shortlist": args.shortlist})
    if args.oof:
        grader.cross_encoder = OutOfFoldCrossEncoder(args.oof)
    guide = grader.guide
    in_context = grader.matcher.read_in_context == "instead"
    items = _items(args.datasets)
    located = located_evidence(args.datasets, [it for _, it, _ in items]) if args.evidence else {}
    points, shortlist, picks, negatives = [], {}, [0, 0], []
    answer, context = None, None  # the sentence holding each unit, found once per answer, not per point
    within = dict.fromkeys(RECALL_AT, 0)
    for item, question, m, i, target, near in labelled_points(grader, guide, items):
        probe, writer = m.points[i].probes[0], writer_of(item.id)
        unit = m.units[int(m.best_unit[i])]
        quote = located.get(item.id, {}).get(m.points[i].id)
        if quote:
            if target > 0:
                picks[0] += 1
                picks[1] += agree(item.answer, unit.text, quote)
                if m.contrast is not None:
                    ranked = [m.units[int(j)].text for j in shortlist_units(m.contrast[i : i + 1], max(RECALL_AT))[0]]
                    for k in RECALL_AT:
                        within[k] += any(agree(item.answer, t, quote) for t in ranked[:k])
            held = holding(item.answer, m.units, quote)
            unit = held or unit
            if args.rank_negatives and target > 0 and held is not None and m.contrast is not None:
                negatives += _rank_negatives(item, m, i, held, quote, grader.matcher.shortlist, question.text, writer)
        if in_context and m is not answer:
            answer, context = m, _context(m)
        if in_context:
            # The grader reads a clause in the sentence that holds it (read_in_context "instead"):
            # train and score that sentence, so the out-of-fold file holds what the grader reads.
            unit = m.units[int(context[m.units.index(unit)])]
        points.append({"point": probe, "question": question.text, "text": matcher_view(unit.text),
                       "label": target, "near_miss": near, "group": f"guide:{item.question_id}", "item": item.id, "writer": writer,
                       "point_id": m.points[i].id})
        if m.contrast is not None:
            for j in shortlist_units(m.contrast[i : i + 1], grader.matcher.shortlist, m.n_sentences)[0]:
                if in_context:
                    j = context[int(j)]
                text = matcher_view(m.units[int(j)].text)
                shortlist[(probe, text)] = {"point": probe, "text": text, "writer": writer, "item": item.id, "point_id": m.points[i].id}
    if picks[0]:
        print(f"labelled evidence: the matcher's pick is the labelled text for {picks[1]}/{picks[0]} stated points "
              f"({picks[1] / picks[0]:.1%}); the rest train on the labelled text")
        print("labelled text among the point's k best-ranked sentences (bi-encoder): "
              + ", ".join(f"k={k} {within[k] / picks[0]:.1%}" for k in RECALL_AT))
    if args.oof:
        print(f"out-of-fold logits: {grader.cross_encoder.misses} pairs not in {args.oof.name} were scored by the shipped model")
    if negatives:
        print(f"rank negatives: {len(negatives)} short-listed sentences that do not hold a stated point's labelled text")
    for name, rows in (("asag_train", train), ("asag_test", test), ("guide_dev", points + negatives),
                       ("guide_shortlist", list(shortlist.values()))):
        (args.out / f"{name}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(f"{name}: {len(rows)} pairs")


def _context(m):
    """Each unit's index mapped to the sentence that holds it (the unit itself for a sentence or a window)."""
    return holding_sentences(np.arange(len(m.units)), m.units[: m.n_sentences])


# Short-list sizes whose recall of the labelled sentence is reported (how many sentences a
# cross-encoder would need to read to see the one that states the point).
RECALL_AT = (1, 2, 3, 5)


def _rank_negatives(item, m, i: int, held, quote: str, k: int, question: str, writer: str) -> list[dict]:
    """A stated point's other short-listed sentences, labelled 0 (``rank_negative``), so the model
    learns which sentence *states* the point, not only which is on its topic. Without them a model
    trained on the labelled sentences alone rated a same-topic neighbour above the stating sentence
    (the tenth session's rejected model quoted "Each shard has a replica in another zone." for
    consistent hashing). A sentence sharing any text with the labelled quote is skipped: it may
    state the point too."""
    target = span(item.answer, quote)
    rows = []
    for j in shortlist_units(m.contrast[i : i + 1], k, m.n_sentences)[0]:
        unit = m.units[int(j)]
        shared = shared_chars(target, span(item.answer, unit.text))
        if unit is held or shared is None or shared > 0:
            continue
        rows.append({"point": m.points[i].probes[0], "question": question, "text": matcher_view(unit.text), "label": 0.0,
                     "near_miss": False, "rank_negative": True, "group": f"guide:{item.question_id}", "item": item.id,
                     "writer": writer, "point_id": m.points[i].id})
    return rows


if __name__ == "__main__":
    main()
