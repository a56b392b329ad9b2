"""Inter-labeller agreement and the merge rule for the blind-labelled guide set.

Used once per labelling round (see LABELLING.md, "Blind labelling protocol"):

    .venv/bin/python -m evals.agreement merge      # agreement figures + the list to adjudicate
    .venv/bin/python -m evals.agreement finalise   # apply adjudications, split dev/test, freeze test
    .venv/bin/python -m evals.agreement merge _work2        # the second batch (test questions only)
    .venv/bin/python -m evals.agreement finalise _work2 guide_blind2
    .venv/bin/python -m evals.agreement merge _work40
    .venv/bin/python -m evals.agreement finalise _work40 guide_blind40 --all-test   # every question, all test

Batches 4 to 40 were each finalised so (`_workN guide_blindN --all-test`); each batch's
section in LABELLING.md names its own command.


Inputs live in ``evals/datasets/_work/``: ``to_label_{A,B}.jsonl`` (what labellers saw),
``labels_{A,B}_L*.jsonl`` (two independent labels per answer), ``adjudicated.jsonl`` (the
third reader's decisions) and ``writer.jsonl`` (the writer's kind / register / target level,
never shown to labellers).
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np

from interviewer.evaluation.stats import quadratic_weighted_kappa
from interviewer.settings import REPO_ROOT

WORK = REPO_ROOT / "evals" / "datasets" / "_work"
DATASETS = REPO_ROOT / "evals" / "datasets"
SCORES = (1, 2, 3, 4, 5)  # the guide set's scale: kappa weighs a disagreement by its distance on it
# The same split by question as the original guide set (LABELLING.md, "Dev/test split").
TEST_QUESTIONS = frozenset({
    "design-a-real-time-notification-system", "how-would-you-scale-a-system-from-1m-to-100m-users",
    "how-do-you-handle-database-transactions-and-consistency", "how-do-you-handle-state-management-in-large-applications",
    "how-do-you-handle-service-to-service-communication", "how-do-you-handle-monitoring-and-observability",
    "how-do-you-mentor-and-develop-your-team", "how-do-you-estimate-and-plan-large-technical-projects",
})


def _read(path: Path) -> dict[str, dict]:
    return {r["id"]: r for r in (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())}


def credits(label: dict) -> dict[str, float]:
    out = {p: 0.5 for p in label.get("partial") or []}
    out.update({p: 1.0 for p in label.get("covered") or []})
    return out


def point_f1(a: dict[str, float], b: dict[str, float]) -> tuple[float, float, float]:
    """(overlap, a-only, b-only) credit mass: F1 = 2·overlap / (2·overlap + a-only + b-only)."""
    keys = set(a) | set(b)
    both = sum(min(a.get(k, 0), b.get(k, 0)) for k in keys)
    return both, sum(max(0, a.get(k, 0) - b.get(k, 0)) for k in keys), sum(max(0, b.get(k, 0) - a.get(k, 0)) for k in keys)


def pairs(work: Path = WORK) -> list[tuple[dict, dict, dict]]:
    """(item, first label, second label) for every answer."""
    out = []
    for source in sorted(work.glob("to_label*.jsonl")):
        half = source.stem.removeprefix("to_label").lstrip("_")
        items = _read(source)
        files = sorted(work.glob(f"labels_{half}_L*.jsonl" if half else "labels_M*.jsonl"))
        if len(files) != 2:
            raise SystemExit(f"half {half}: expected two label files, found {[f.name for f in files]}")
        first, second = (_read(f) for f in files)
        out += [(items[i], first[i], second[i]) for i in items]
    return out


def needs_third_read(a: dict, b: dict) -> bool:
    ca, cb = credits(a), credits(b)
    differing = sum(1 for k in set(ca) | set(cb) if ca.get(k, 0) != cb.get(k, 0))
    return a["score"] != b["score"] or differing > 2


def agreement(rows) -> dict:
    sa = [a["score"] for _, a, _ in rows]
    sb = [b["score"] for _, _, b in rows]
    tot = np.sum([point_f1(credits(a), credits(b)) for _, a, b in rows], axis=0)
    return {"n": len(rows), "qwk": round(quadratic_weighted_kappa(sa, sb, SCORES), 3),
            "exact": round(float(np.mean(np.equal(sa, sb))), 3),
            "within_one": round(float(np.mean(np.abs(np.subtract(sa, sb)) <= 1)), 3),
            "point_f1": round(float(2 * tot[0] / (2 * tot[0] + tot[1] + tot[2])), 3),
            "third_reads": sum(needs_third_read(a, b) for _, a, b in rows)}


def merged(item: dict, a: dict, b: dict, third: dict | None) -> dict:
    if third is not None:
        label = third
    else:
        ca, cb = credits(a), credits(b)
        covered = sorted(k for k in ca if ca[k] == 1 and cb.get(k) == 1)
        partial = sorted(k for k in set(ca) | set(cb) if k not in covered)
        near = sorted((set(a.get("near_miss") or []) | set(b.get("near_miss") or [])) - set(covered) - set(partial))
        label = {"score": a["score"], "covered": covered, "partial": partial, "near_miss": near,
                 "rationale": a.get("rationale", "")}
    return {**item, "score": label["score"], "covered": label["covered"], "partial": label.get("partial") or [],
            "near_miss": label.get("near_miss") or [], "rationale": label.get("rationale", ""),
            "labels": [a["score"], b["score"]], "adjudicated": third is not None}


def main(argv: list[str]) -> int:
    work = DATASETS / argv[1] if len(argv) > 1 else WORK
    name = argv[2] if len(argv) > 2 else "guide_blind"
    rows = pairs(work)
    if argv[:1] == ["merge"]:
        print(json.dumps(agreement(rows), indent=2))
        todo = [{"id": i["id"], "question_id": i["question_id"], "question": i["question"], "answer": i["answer"],
                 "label_1": {k: a.get(k) for k in ("score", "covered", "partial", "near_miss", "rationale")},
                 "label_2": {k: b.get(k) for k in ("score", "covered", "partial", "near_miss", "rationale")}}
                for i, a, b in rows if needs_third_read(a, b)]
        (work / "to_adjudicate.jsonl").write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in todo), encoding="utf-8")
        print(f"{len(todo)} answers to adjudicate -> {work / 'to_adjudicate.jsonl'}")
        return 0
    if argv[:1] == ["finalise"]:
        third = _read(work / "adjudicated.jsonl") if (work / "adjudicated.jsonl").exists() else {}
        writer = _read(work / "writer.jsonl")
        final = []
        for item, a, b in rows:
            if needs_third_read(a, b) and item["id"] not in third:
                raise SystemExit(f"{item['id']} needs a third read and has none")
            row = merged(item, a, b, third.get(item["id"]))
            w = writer[item["id"]]
            row.update(kind=w["kind"], register=w["register"], target_level=w["target_level"])
            final.append(row)
        final.sort(key=lambda r: r["id"])
        # From batch 4 on every guide question is also in fitting, so a batch is kept whole as test.
        splits = ((("test", lambda r: True),) if "--all-test" in argv else
                  (("dev", lambda r: r["question_id"] not in TEST_QUESTIONS), ("test", lambda r: r["question_id"] in TEST_QUESTIONS)))
        for split, keep in splits:
            rows_out = [r for r in final if keep(r)]
            if not rows_out:
                continue
            path = DATASETS / f"{name}_{split}.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in final if keep(r)), encoding="utf-8")
            print(f"{path.name}: {sum(1 for r in final if keep(r))} answers, sha256 {hashlib.sha256(path.read_bytes()).hexdigest()}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
