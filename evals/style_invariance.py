"""Style invariance: the same content in four registers must get the same grade.

``evals/datasets/style_invariance.jsonl`` holds content sets (one guide question, one fixed
list of stated points) each written as a formal essay, casual speech, terse notes and a
first-person story. For every set this reports the spread of the overall score (max − min)
and the agreement of the covered framework points between every pair of registers
(Jaccard, partial counted as covered). Thresholds are named below and gated in CI.

Run: .venv/bin/python -m evals.style_invariance
"""
from __future__ import annotations

import itertools
import json
import sys
from collections import defaultdict
from pathlib import Path

from interviewer.grading import Grader, default_grader
from interviewer.settings import REPO_ROOT

DATASET = REPO_ROOT / "evals" / "datasets" / "style_invariance.jsonl"
MAX_SPREAD = 0.5
MIN_JACCARD = 0.8


def covered_points(card) -> set[str]:
    """Framework points the scorecard credits (covered or partial)."""
    return {p.id for d in card.dimensions if d.kind == "framework" for p in d.points if p.status != "missing"}


def jaccard(a: set[str], b: set[str]) -> float:
    return 1.0 if not a and not b else len(a & b) / len(a | b)


def run(grader: Grader, path: Path = DATASET) -> list[dict]:
    """One row per content set: scores by register, spread, minimum pairwise Jaccard."""
    sets: dict[str, list[dict]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            sets[row["set"]].append(row)
    out = []
    for name, rows in sorted(sets.items()):
        cards = {r["register"]: grader.grade(grader.guide.question(r["question_id"]), r["answer"]) for r in rows}
        scores = {reg: c.overall for reg, c in cards.items()}
        points = {reg: covered_points(c) for reg, c in cards.items()}
        pairs = [jaccard(points[a], points[b]) for a, b in itertools.combinations(sorted(points), 2)]
        out.append({"set": name, "question_id": rows[0]["question_id"], "level": rows[0].get("level"), "scores": scores,
                    "spread": round(max(scores.values()) - min(scores.values()), 2), "min_jaccard": round(min(pairs), 2)})
    return out


def main() -> int:
    rows = run(default_grader())
    print(f"{'set':<6}{'level':<8}{'spread':>7}{'jaccard':>9}  scores by register")
    for r in rows:
        scores = " ".join(f"{k}={v:.1f}" for k, v in sorted(r["scores"].items()))
        flag = "" if r["spread"] <= MAX_SPREAD and r["min_jaccard"] >= MIN_JACCARD else "  <-"
        print(f"{r['set']:<6}{r['level'] or '':<8}{r['spread']:>7.2f}{r['min_jaccard']:>9.2f}  {scores}{flag}")
    ok_spread = sum(r["spread"] <= MAX_SPREAD for r in rows)
    ok_jacc = sum(r["min_jaccard"] >= MIN_JACCARD for r in rows)
    print(f"sets within spread {MAX_SPREAD}: {ok_spread}/{len(rows)}; sets with Jaccard >= {MIN_JACCARD}: {ok_jacc}/{len(rows)}")
    mean_by_register: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        for reg, v in r["scores"].items():
            mean_by_register[reg].append(v)
    print("mean overall by register: " + ", ".join(f"{k} {sum(v) / len(v):.2f}" for k, v in sorted(mean_by_register.items())))
    return 0 if ok_spread == ok_jacc == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
