"""The Chroma knowledge index: guide → chunks → embedded collection → cited search hits."""
from interviewer.index.chunks import Chunk, chunk_guide, chunk_guides
from interviewer.index.files import discover_guide_files, load_guide_files
from interviewer.index.store import GuideIndex, Hit, IngestSummary, make_embedding_function, open_client

__all__ = [
    "Chunk", "GuideIndex", "Hit", "IngestSummary", "chunk_guide", "chunk_guides", "discover_guide_files",
    "load_guide_files", "make_embedding_function", "open_client",
]
