"""``interviewer search QUERY [--k N] [--question-id ID] [--json]``: semantic search with citations."""
from __future__ import annotations

import argparse
import json
import sys

from interviewer.commands.ingest import ensure_index
from interviewer.index import GuideIndex
from interviewer.index.chunks import snippet

KINDS = ("question", "framework_part", "example", "general_framework", "tip", "pitfall", "section")


def _k(value: str) -> int:
    k = int(value)
    if not 1 <= k <= 100:
        raise argparse.ArgumentTypeError("--k must be between 1 and 100")
    return k


def add_arguments(p) -> None:
    p.add_argument("query", nargs="+", metavar="QUERY", help="What to look for, in your own words.")
    p.add_argument("--k", type=_k, default=5, help="How many chunks to show (default 5).")
    p.add_argument("--question-id", help="Only chunks of this question (see `interviewer questions`).")
    p.add_argument("--kind", choices=KINDS, help="Only chunks of this kind.")
    p.add_argument("--track", help="Only chunks of this track (e.g. system-design).")
    p.add_argument("--json", action="store_true", help="Print JSON instead of text.")


def run(args, settings) -> int:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    query = " ".join(args.query).strip()
    if not query:
        print("error: the query is empty.", file=sys.stderr)
        return 2
    with GuideIndex(settings) as index:
        ensure_index(index, settings, progress=not args.json)
        hits = index.search(query, k=args.k, question_id=args.question_id, kind=args.kind, track=args.track)
    if args.json:
        rows = [
            {"rank": n, "score": round(h.score, 4), "kind": h.kind, "question_id": h.question_id,
             "part_title": h.metadata.get("part_title", ""), "citation": h.citation,
             "source": h.metadata.get("source", ""), "chunk_id": h.chunk_id, "text": h.text}
            for n, h in enumerate(hits, start=1)
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not hits:
        print("No matching chunks" + (f" for question '{args.question_id}'." if args.question_id else "."))
        return 0
    for n, h in enumerate(hits, start=1):
        print(f"{n}. {h.score:.3f}  [{h.kind}]  {h.citation}")
        print(f"   {snippet(h.text)}")
    return 0
