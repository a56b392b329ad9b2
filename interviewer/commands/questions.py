"""``interviewer questions [--track T] [--json]``: list the question bank."""
from __future__ import annotations

import json

from interviewer.services import load_guide


def add_arguments(p) -> None:
    p.add_argument("--track", help="Only this track (e.g. system-design, backend, leadership).")
    p.add_argument("--json", action="store_true", help="Print JSON instead of text.")


def run(args, settings) -> int:
    guide = load_guide(settings)
    questions = [q for q in guide.questions if not args.track or q.track == args.track]
    if args.track and not questions:
        tracks = ", ".join(sorted(guide.tracks()))
        print(f"No questions in track '{args.track}'. Tracks: {tracks}")
        return 2
    if args.json:
        rows = [
            {"id": q.id, "track": q.track, "question": q.text,
             "parts": [{"title": p.title, "points": [pt.text for pt in p.points], "diagram": p.diagram} for p in q.parts]}
            for q in questions
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for q in questions:
        print(f"{q.id}  [{q.track}]\n  {q.text}")
        for p in q.parts:
            print(f"    {p.index}. {p.title}" + (f" ({len(p.points)} points)" if p.points else " (diagram)"))
    for w in guide.warnings:
        print(f"warning: {w}")
    return 0
