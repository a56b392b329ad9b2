"""How often the injection finder flags what it should, and what it should not.

Reads the fitting sets (``calibrate.GUIDE_DEV``; their answers of kind ``injection`` were written by
the blind writers, one instruction to the grader each) and every other text of those sets plus
SciEntsBank and Beetle's student answers (``../shared/asag``, when present): injection answers
flagged, and other texts flagged (each such flag masks words the candidate meant as the answer).
No grader runs: this is ``interviewer/grading/injection.find_injections`` alone. With ``--scores``
each injection answer of the blind fitting batches is also graded twice, as written and with the
flagged text deleted: masking an instruction must cost the answer nothing but the instruction
(an HTML comment once masked the candidate's next sentence with it).

Run: .venv/bin/python -m evals.injection_flags [--show] [--scores]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from interviewer.grading.injection import find_injections
from interviewer.settings import REPO_ROOT

DATASETS = REPO_ROOT / "evals" / "datasets"
ASAG = REPO_ROOT.parent / "shared" / "asag"


def masked_costs(names: list[str]) -> list[tuple[str, float, float]]:
    """(id, overall as written, overall with the flagged spans deleted) for every flagged injection answer."""
    from interviewer.grading import default_grader

    grader = default_grader()
    out = []
    for name in names:
        for line in (DATASETS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else {}
            hits = find_injections(row.get("answer", "")) if row.get("kind") == "injection" else []
            if hits:
                answer, question = row["answer"], grader.guide.question(row["question_id"])
                deleted = "".join(answer[a:b] for a, b in zip([0] + [h.end for h in hits], [h.start for h in hits] + [len(answer)]))
                out.append((row["id"], grader.grade(question, answer).overall, grader.grade(question, deleted).overall))
    return out


def texts(names: list[str]) -> list[tuple[str, str, bool]]:
    """(id, answer, is an injection) for every answer of the named sets and the ASAG student answers."""
    out = []
    for name in names:
        for line in (DATASETS / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                out.append((row["id"], row["answer"], row.get("kind") == "injection"))
    for path in sorted(ASAG.glob("*.jsonl")) if ASAG.is_dir() else []:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            out.append((row["id"], row["answer"], False))
    return out


def main() -> None:
    from evals.calibrate import GUIDE_DEV

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="print the injection answers missed and the other texts flagged")
    ap.add_argument("--scores", action="store_true", help="also grade each flagged injection answer with its flagged text deleted")
    args = ap.parse_args()
    rows = texts(list(GUIDE_DEV))
    inj = [(i, a) for i, a, is_inj in rows if is_inj]
    other = [(i, a) for i, a, is_inj in rows if not is_inj]
    missed = [(i, a) for i, a in inj if not find_injections(a)]
    false = [(i, [h.text for h in hits]) for i, a in other if (hits := find_injections(a))]
    print(f"injection answers flagged: {len(inj) - len(missed)} of {len(inj)}; other texts flagged: {len(false)} of {len(other)}")
    if args.show:
        for i, a in missed:
            print("missed", i, a[:200].replace("\n", " "))
        for i, spans in false:
            print("flagged", i, spans)
    if args.scores:
        costs = masked_costs([n for n in GUIDE_DEV if n.startswith("guide_blind")])
        lower = [c for c in costs if c[1] < c[2]]
        same = [c for c in costs if c[1] == c[2]]
        print(f"injection answers scored lower as written than with the instruction deleted: {len(lower)} of {len(costs)}; "
              f"the same: {len(same)}")
        for i, written, deleted in costs:
            if written != deleted:
                print(f"  {i}: {written} as written, {deleted} with it deleted")


if __name__ == "__main__":
    main()
