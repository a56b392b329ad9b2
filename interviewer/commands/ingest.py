"""``interviewer ingest [PATH…]``: parse the guide(s) and sync the Chroma index, idempotently.

The index ends up holding exactly the chunks of the given files (default: the knowledge
folder): unchanged chunks are not re-embedded, changed ones are replaced, chunks of files
that are gone are removed. Every file is parsed before anything is written, so a broken
guide leaves the existing index as it was.
"""
from __future__ import annotations

import sys
from pathlib import Path

from interviewer.index import GuideIndex, chunk_guides, load_guide_files


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="Guide files or folders (default: the knowledge folder). The index is synced to exactly these.")
    p.add_argument("--no-progress", action="store_true", help="Do not show the progress bar.")


def ensure_index(index: GuideIndex, settings, *, progress: bool = True) -> None:
    """Build the index from the knowledge folder if it is empty (with the progress bar), so a
    command that needs it works on a fresh clone instead of asking for `interviewer ingest`; and
    rebuild it when another embedder made its vectors (after an upgrade), as searching them with
    this one's queries would rank chunks by noise."""
    if index.built_by_other_model():
        print(f"The index was built with another embedder: rebuilding it from {settings.knowledge_dir} (once).",
              file=sys.stderr, flush=True)
    elif index.count() > 0:
        return
    else:
        print(f"The index is empty: building it from {settings.knowledge_dir} first (once).", file=sys.stderr, flush=True)
    guides = load_guide_files([Path(settings.knowledge_dir)])
    summary = index.ingest(chunk_guides(guides), progress=progress)
    print(summary.line(), file=sys.stderr, flush=True)


def run(args, settings) -> int:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    paths = list(args.paths) or [Path(settings.knowledge_dir)]
    guides = load_guide_files(paths)  # GuideError (file and line) → exit 2 in cli.main
    for guide in guides:
        for warning in guide.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    chunks = chunk_guides(guides)
    if not chunks:
        names = ", ".join(g.source for g in guides)
        print(f"error: {names}: nothing to index (0 chunks); the existing index was left as it is.", file=sys.stderr)
        return 2
    with GuideIndex(settings) as index:
        summary = index.ingest(chunks, progress=not args.no_progress)
    print(summary.line())
    return 0
