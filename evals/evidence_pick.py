"""How often the sentence the matcher picks as a point's evidence is the one the labels name.

The cross-encoder judges each point on one sentence, the matcher's pick, and the scorecard
quotes it; a stated point read on a neighbouring sentence can be missed or quoted wrongly. The
pick ranks a point's sentences by the bi-encoder contrast (how much more a sentence resembles
this point than the rubric's other points, × how much it explains) plus ``pick_lexical`` × the
share of the point's own content words the sentence holds. This script reports, over every
stated point of the fitting sets that has an evidence label (LABELLING.md), how often the pick
is the labelled text, for several weights — the figure the shipped weight was chosen on. Test
splits are never read. The cross-encoder is not needed (it does not change a short list of one).

Run: .venv/bin/python -m evals.evidence_pick [--weights 0 0.1 0.2 0.3 0.5] [--datasets ...]
"""
from __future__ import annotations

import argparse

import numpy as np
from tqdm import tqdm

from evals.calibrate import DATASETS, GUIDE_DEV, _items
from interviewer.evaluation.evidence import agree, evidence_path, load_evidence
from interviewer.evaluation.guide_lookup import item_question
from interviewer.grading import default_grader


def picks(names=GUIDE_DEV) -> list[tuple[str, str, list[str], np.ndarray, np.ndarray]]:
    """(answer, labelled text, unit texts, bi-encoder contrast row, lexical row) per stated point."""
    grader = default_grader()
    grader.matcher = grader.matcher.model_copy(update={"uses_cross_encoder": False})
    out = []
    for name in names:
        path = DATASETS / f"{name}.jsonl"
        if not path.exists() or not evidence_path(path).exists():
            continue
        items = [item for _, item, _ in _items([name])]
        labels = load_evidence(evidence_path(path), items)
        for item in tqdm(items, desc=name, leave=False):
            stated = set(item.covered or []) | set(item.partial or [])
            question = item_question(grader.guide, item)
            if question is None or not stated & set(labels.get(item.id, {})):
                continue
            m = grader.match_inputs(question, item.answer)
            if m is None or m.bi_contrast is None:
                continue
            ids = [p.id for p in m.points]
            for pid, text in labels[item.id].items():
                if pid in stated and pid in ids:
                    i = ids.index(pid)
                    out.append((item.answer, text, [u.text for u in m.units], m.bi_contrast[i], m.lexical[i]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--weights", type=float, nargs="+", default=[0.0, 0.1, 0.2, 0.3, 0.5])
    ap.add_argument("--datasets", nargs="*", default=list(GUIDE_DEV), help="fitting sets (never a test split)")
    args = ap.parse_args()
    rows = picks(args.datasets)
    print(f"{len(rows)} stated points with an evidence label (fitting sets)")
    print(f"{'pick_lexical':>12}  {'pick is the labelled text':>26}  {'pick differs from weight 0':>27}")
    for w in args.weights:
        chosen = [int(np.argmax(c + w * lex)) for _, _, _, c, lex in rows]
        base = [int(np.argmax(c)) for _, _, _, c, _ in rows]
        hit = np.mean([agree(answer, units[j], text) for (answer, text, units, _, _), j in zip(rows, chosen)])
        print(f"{w:>12.2f}  {hit:>25.1%}  {np.mean(np.array(chosen) != np.array(base)):>26.1%}")


if __name__ == "__main__":
    main()
