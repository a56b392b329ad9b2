"""Guide files → one parsed :class:`Guide` per file (the index keys chunks by source file)."""
from __future__ import annotations

from pathlib import Path

from interviewer.errors import GuideError
from interviewer.guide import Guide, load_guide_file

GUIDE_SUFFIXES = (".md", ".markdown", ".txt")


def discover_guide_files(paths: list[Path]) -> list[Path]:
    """The guide files named by ``paths`` (files as given; directories: their .md/.txt files, sorted)."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(x for x in p.iterdir() if x.is_file() and x.suffix.lower() in GUIDE_SUFFIXES)
        else:
            files.append(p)
    if not files:
        raise GuideError("no guide files (.md, .txt) found.", path=", ".join(map(str, paths)))
    names = [f.name for f in files]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise GuideError(f"two guide files share the name {dupes[0]!r}; the index keys chunks by file name.",
                         path=", ".join(str(f) for f in files if f.name == dupes[0]))
    return files


def load_guide_files(paths: list[Path]) -> list[Guide]:
    """Parse every guide file; any :class:`GuideError` (file and line) propagates before
    anything is written, so a broken file never half-updates the index."""
    return [load_guide_file(f) for f in discover_guide_files(paths)]
