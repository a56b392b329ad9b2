"""How often the sentence the matcher picks as a point's evidence is the one the labels name.

The cross-encoder judges each point on one sentence, the matcher's pick, and the scorecard
quotes it; a stated point read on a neighbouring sentence can be missed or quoted wrongly. The
pick ranks a point's sentences by the bi-encoder contrast (how much more a sentence resembles
this point than the rubric's other points, × how much it explains) plus ``pick_lexical`` × the
share of the point's own content words the sentence holds. This script reports, over every
stated point of the fitting sets that has an evidence label (LABELLING.md), how often the pick
is the labelled text, for several weights — the figure the shipped weight was chosen on. Test
splits are never read. The cross-encoder is not needed (it does not change a short list of one).

The scorecard's *quote* adds ``quote_exemplar`` × each sentence's likeness to the exemplar bank's
credited statements of the point (the answer's own sentences and clauses only, not windows). The
second table sweeps that weight with the bank *without the answer's writer*, as a new writer's
answer meets it, at the shipped ``pick_lexical``; "strict" asks the quote and the labelled text to
share half of their joint span, so a long quote that merely contains the text does not count.

Run: .venv/bin/python -m evals.evidence_pick [--weights 0 0.1 0.2 0.3 0.5] [--quote-weights 0 0.5 1 2] [--datasets ...]
"""
from __future__ import annotations

import argparse

import numpy as np
from tqdm import tqdm

from evals.calibrate import DATASETS, GUIDE_DEV, _items, writer_of
from interviewer.evaluation.evidence import agree, evidence_path, load_evidence, span
from interviewer.evaluation.guide_lookup import item_question
from interviewer.grading import default_grader
from interviewer.grading.engine import matcher_view


def picks(names=GUIDE_DEV) -> list[tuple]:
    """(answer, labelled text, unit texts, bi-encoder contrast row, lexical row, bank likeness of the
    answer's own sentences — the bank without this writer) per stated point."""
    grader = default_grader()
    grader.matcher = grader.matcher.model_copy(update={"uses_cross_encoder": False})
    bank = grader.exemplars
    per_writer: dict = {}
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
            vecs = grader.embedder.embed([matcher_view(u.text) for u in m.units])
            writer = writer_of(item.id)
            if bank is not None and writer not in per_writer:
                per_writer[writer] = bank.without(writer=writer)
            sims, _ = (per_writer[writer].stated_similarity(question.id, [p.text for p in m.points], vecs)
                       if bank is not None else (np.zeros((len(ids), len(vecs))), None))
            for pid, text in labels[item.id].items():
                if pid in stated and pid in ids:
                    i = ids.index(pid)
                    out.append((item.answer, text, [u.text for u in m.units], m.bi_contrast[i], m.lexical[i], sims[i], m.n_sentences or len(m.units)))
    return out


def strict_agree(answer: str, quoted: str, labelled: str) -> bool:
    """The quote and the labelled text share at least half of their joint span."""
    a, b = span(answer, quoted), span(answer, labelled)
    if a is None or b is None:
        return quoted == labelled
    return min(a[1], b[1]) - max(a[0], b[0]) >= 0.5 * (max(a[1], b[1]) - min(a[0], b[0]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--weights", type=float, nargs="+", default=[0.0, 0.1, 0.2, 0.3, 0.5])
    ap.add_argument("--quote-weights", type=float, nargs="+", default=[0.0, 0.3, 0.5, 1.0, 2.0])
    ap.add_argument("--datasets", nargs="*", default=list(GUIDE_DEV), help="fitting sets (never a test split)")
    args = ap.parse_args()
    rows = picks(args.datasets)
    print(f"{len(rows)} stated points with an evidence label (fitting sets)")
    print(f"{'pick_lexical':>12}  {'pick is the labelled text':>26}  {'pick differs from weight 0':>27}")
    base = [int(np.argmax(c)) for _, _, _, c, _, _, _ in rows]
    for w in args.weights:
        chosen = [int(np.argmax(c + w * lex)) for _, _, _, c, lex, _, _ in rows]
        hit = np.mean([agree(answer, units[j], text) for (answer, text, units, *_), j in zip(rows, chosen)])
        print(f"{w:>12.2f}  {hit:>25.1%}  {np.mean(np.array(chosen) != np.array(base)):>26.1%}")
    lexical = default_grader().matcher.pick_lexical
    print(f"\nthe quote, at pick_lexical {lexical} (bank without the answer's writer)")
    print(f"{'quote_exemplar':>14}  {'quote is the labelled text':>27}  {'strict':>7}")
    for w in args.quote_weights:
        rank = [(c + lexical * lex) for _, _, _, c, lex, _, _ in rows]
        chosen = [int(np.argmax(r)) if w == 0 else int(np.argmax(r[:n] + w * sims[:n]))
                  for r, (*_, sims, n) in zip(rank, rows)]
        hit = np.mean([agree(answer, units[j], text) for (answer, text, units, *_), j in zip(rows, chosen)])
        tight = np.mean([strict_agree(answer, units[j], text) for (answer, text, units, *_), j in zip(rows, chosen)])
        print(f"{w:>14.2f}  {hit:>26.1%}  {tight:>7.1%}")


if __name__ == "__main__":
    main()
