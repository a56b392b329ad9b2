"""Building the app's services from settings (the one place that wires them)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from interviewer.guide import Guide, load_guides
from interviewer.settings import Settings
from interviewer.tokens import seed_tiktoken_cache


def load_guide(settings: Settings) -> Guide:
    """The guide(s) in the knowledge folder, parsed (cached per folder and mtimes)."""
    folder = Path(settings.knowledge_dir)
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*") if p.is_file())) if folder.is_dir() else ()
    return _load_cached(str(folder), stamp)


@lru_cache(maxsize=4)
def _load_cached(folder: str, stamp: tuple) -> Guide:
    return load_guides([Path(folder)])


def prepare_offline(settings: Settings) -> None:
    """Make token counting work without network (idempotent)."""
    seed_tiktoken_cache(Path(settings.data_dir) / "tiktoken")


def build_grader(settings: Settings):
    """The offline rubric grader over the configured guide and embedder."""
    from interviewer.embeddings import build_embedder
    from interviewer.grading import Grader

    return Grader(build_embedder(settings), load_guide(settings), max_chars=settings.max_answer_chars)


def build_index(settings: Settings):
    """The Chroma guide index (embedded or server, per settings); opens lazily."""
    from interviewer.embeddings import build_embedder
    from interviewer.index import GuideIndex

    return GuideIndex(settings, build_embedder(settings))
