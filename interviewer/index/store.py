"""The Chroma index of the guide: open a client, ingest idempotently, search with citations.

Embedded by default (``PersistentClient`` under ``data_dir/chroma``); a Chroma server when
``settings.chroma_url`` is set. Vectors always come from our own :class:`Embedder`
through :class:`InterviewerEmbeddingFunction`, registered with Chroma so a persisted
collection reopens without Chroma reaching for its default (downloaded) model.

The ingest manifest (embedder name, chunker version, one hash per source file) lives in
the collection's metadata, so it travels with the collection in server mode too.
"""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from pydantic import BaseModel, Field

from interviewer.embeddings import Embedder
from interviewer.errors import IndexStoreError
from interviewer.guide import Guide
from interviewer.index.chunks import CHUNKER_VERSION, Chunk, chunk_guides, doc_hash

if TYPE_CHECKING:
    from interviewer.settings import Settings

EF_NAME = "interviewer-embedder"
BATCH = 64  # chunks per Chroma upsert
EMBED_SLICE = 8  # texts per embedder call: ~50 MB less peak RSS than 32 with MiniLM, same speed
_MANIFEST_KEY = "interviewer_manifest"


# --------------------------------------------------------------------------- client


def _chroma_settings():
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False)


def parse_chroma_url(url: str) -> tuple[str, int, bool]:
    """``http://host:port`` → (host, port, ssl); raises :class:`IndexStoreError` when malformed."""
    parsed = urlparse(url if "://" in url else f"http://{url}")
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise IndexStoreError(f"INTERVIEWER_CHROMA_URL={url!r} is not a URL like http://127.0.0.1:8000.")
    ssl = parsed.scheme == "https"
    try:
        port = parsed.port or (443 if ssl else 8000)
    except ValueError as exc:
        raise IndexStoreError(f"INTERVIEWER_CHROMA_URL={url!r} has an invalid port.") from exc
    return parsed.hostname, port, ssl


def open_client(settings: "Settings"):
    """A Chroma client: embedded under ``settings.chroma_path``, or the server at ``chroma_url``."""
    import chromadb

    _embedding_function_class()  # registered, so a persisted collection's config rebuilds our adapter
    if not settings.chroma_url:
        path = settings.chroma_path.expanduser().resolve()
        path.mkdir(parents=True, exist_ok=True)
        try:
            return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
        except Exception as exc:  # a corrupt or locked folder
            raise IndexStoreError(f"cannot open the Chroma index at {path}: {exc}") from exc
    host, port, ssl = parse_chroma_url(settings.chroma_url)
    try:
        client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=_chroma_settings())
        client.heartbeat()
    except Exception as exc:
        raise IndexStoreError(
            f"Chroma server at {settings.chroma_url} is not reachable; start it with "
            f"`chroma run --path {settings.chroma_path} --host {host} --port {port}` "
            "or clear INTERVIEWER_CHROMA_URL."
        ) from exc
    return client


# --------------------------------------------------------------- embedding function


def _embedding_function_class():
    """Define and register the Chroma adapter once (chromadb is imported lazily)."""
    global _EF_CLASS
    if _EF_CLASS is not None:
        return _EF_CLASS
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    class InterviewerEmbeddingFunction(EmbeddingFunction[Documents]):
        """Chroma's view of our :class:`Embedder` (cosine space, vectors already normalised)."""

        def __init__(self, embedder: Embedder | None = None, embedder_name: str = ""):
            self._embedder = embedder
            self.embedder_name = embedder.name if embedder is not None else embedder_name

        def __call__(self, input: Documents) -> Embeddings:
            if self._embedder is None:
                self._embedder = _embedder_from_name(self.embedder_name)
            texts = list(input)
            # Small slices keep the ONNX runtime's activation arena (and so peak RSS) small.
            return [v for i in range(0, len(texts), EMBED_SLICE) for v in self._embedder.embed(texts[i : i + EMBED_SLICE])]

        @staticmethod
        def name() -> str:
            return EF_NAME

        def default_space(self):
            return "cosine"

        def supported_spaces(self):
            return ["cosine", "ip", "l2"]

        def get_config(self) -> dict[str, Any]:
            return {"embedder": self.embedder_name}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> "InterviewerEmbeddingFunction":
            return InterviewerEmbeddingFunction(embedder_name=str(config.get("embedder", "")))

        def is_legacy(self) -> bool:
            return False

    register_embedding_function(InterviewerEmbeddingFunction)
    _EF_CLASS = InterviewerEmbeddingFunction
    return _EF_CLASS


_EF_CLASS = None


def _embedder_from_name(name: str) -> Embedder:
    """Rebuild an embedder from a persisted config (only the offline one can be rebuilt alone)."""
    from interviewer.embeddings import MiniLMEmbedder

    if name == MiniLMEmbedder.name:
        return MiniLMEmbedder()
    raise IndexStoreError(f"the index was built with embedder {name!r}; open it through GuideIndex with that embedder.")


def make_embedding_function(embedder: Embedder):
    """A Chroma ``EmbeddingFunction`` around our embedder."""
    return _embedding_function_class()(embedder)


# --------------------------------------------------------------------------- models


class IngestSummary(BaseModel):
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    files: int = 0
    chunks: int = 0
    seconds: float = 0.0
    reembedded_all: bool = Field(default=False, description="True when the embedder changed and everything was re-embedded.")

    def line(self) -> str:
        files = f"{self.files} file{'s' if self.files != 1 else ''}"
        note = " (embedder changed: re-embedded everything)" if self.reembedded_all else ""
        return (f"{files}, {self.chunks} chunks: {self.added} added, {self.updated} updated, "
                f"{self.removed} removed, {self.unchanged} unchanged in {self.seconds:.2f} s{note}")


class Hit(BaseModel):
    chunk_id: str
    text: str
    metadata: dict[str, Any]
    citation: str
    score: float = Field(description="Cosine similarity, 1 = identical.")

    @property
    def question_id(self) -> str:
        return str(self.metadata.get("question_id", ""))

    @property
    def kind(self) -> str:
        return str(self.metadata.get("kind", ""))


# ---------------------------------------------------------------------------- index


def _as_chunks(guide_or_chunks: Guide | Iterable[Guide] | Iterable[Chunk]) -> list[Chunk]:
    if isinstance(guide_or_chunks, Guide):
        return chunk_guides([guide_or_chunks])
    items = list(guide_or_chunks)
    if all(isinstance(i, Chunk) for i in items):
        return items  # type: ignore[return-value]
    if all(isinstance(i, Guide) for i in items):
        return chunk_guides(items)  # type: ignore[arg-type]
    raise TypeError("ingest() takes a Guide, a list of Guides or a list of Chunks.")


def _source_hashes(chunks: list[Chunk]) -> dict[str, str]:
    by_source: dict[str, list[Chunk]] = {}
    for c in chunks:
        by_source.setdefault(c.source, []).append(c)
    return {s: doc_hash(cs) for s, cs in sorted(by_source.items())}


def _where(**filters: str | None) -> dict | None:
    clauses = [{k: {"$eq": v}} for k, v in filters.items() if v]
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class GuideIndex:
    """The guide's chunks in one Chroma collection. Opens the client on first use."""

    def __init__(self, settings: "Settings", embedder: Embedder | None = None, *, client=None):
        if not 3 <= len(settings.collection) <= 512:
            raise IndexStoreError(f"collection name {settings.collection!r} must be 3-512 characters.")
        self.settings = settings
        self._embedder = embedder
        self._client = client
        self._owns_client = client is None
        self._collection = None
        self._lock = threading.Lock()

    # -- plumbing ----------------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            from interviewer.embeddings import build_embedder

            self._embedder = build_embedder(self.settings)
        return self._embedder

    @property
    def client(self):
        if self._client is None:
            self._client = open_client(self.settings)
        return self._client

    def _open_collection(self):
        return self.client.get_or_create_collection(
            name=self.settings.collection,
            embedding_function=make_embedding_function(self.embedder),
            configuration={"hnsw": {"space": "cosine"}},
        )

    @property
    def collection(self):
        if self._collection is None:
            with self._lock:
                if self._collection is None:
                    try:
                        self._collection = self._open_collection()
                    except IndexStoreError:
                        raise
                    except Exception as exc:
                        raise IndexStoreError(f"cannot open collection {self.settings.collection!r}: {exc}") from exc
        return self._collection

    def close(self) -> None:
        """Release the client (embedded mode frees the on-disk system for a fresh open)."""
        if self._client is not None and self._owns_client:
            close = getattr(self._client, "close", None)
            if close is not None:
                close()
        self._client, self._collection = (None if self._owns_client else self._client), None

    def __enter__(self) -> "GuideIndex":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def manifest(self) -> dict[str, Any]:
        """What the last successful ingest recorded (empty when never ingested)."""
        raw = (self.collection.metadata or {}).get(_MANIFEST_KEY)
        try:
            return json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            return {}

    def _write_manifest(self, sources: dict[str, str]) -> None:
        manifest = {"embedder": self.embedder.name, "chunker_version": CHUNKER_VERSION, "sources": sources}
        self.collection.modify(metadata={_MANIFEST_KEY: json.dumps(manifest, sort_keys=True)})

    def _reset_collection(self) -> None:
        self.client.delete_collection(self.settings.collection)
        self._collection = None

    # -- public API --------------------------------------------------------------

    def count(self) -> int:
        return self.collection.count()

    def built_by_other_model(self) -> bool:
        """Were the stored vectors made by another embedder or chunker (an upgrade, a setting
        change)? Their queries would be compared with another model's vectors."""
        m = self.manifest()
        return self.count() > 0 and (m.get("embedder") != self.embedder.name or m.get("chunker_version") != CHUNKER_VERSION)

    def is_stale(self, guide_or_chunks: Guide | Iterable[Guide] | Iterable[Chunk]) -> bool:
        """True when ingesting these guides would change the index (or the embedder changed)."""
        chunks = _as_chunks(guide_or_chunks)
        m = self.manifest()
        return (
            m.get("embedder") != self.embedder.name
            or m.get("chunker_version") != CHUNKER_VERSION
            or m.get("sources") != _source_hashes(chunks)
            or self.count() != len(chunks)
        )

    def ingest(self, guide_or_chunks: Guide | Iterable[Guide] | Iterable[Chunk], progress: bool = True) -> IngestSummary:
        """Make the collection hold exactly these chunks, embedding only what changed."""
        from tqdm import tqdm

        chunks = _as_chunks(guide_or_chunks)
        if not chunks:
            raise IndexStoreError("nothing to index: the guide(s) produced no chunks.")
        ids = [c.id for c in chunks]
        if len(set(ids)) != len(ids):
            raise IndexStoreError("duplicate chunk ids; is the same guide file listed twice?")

        col = self.collection  # opening the client (and importing chromadb) is not timed
        start = time.perf_counter()
        existing: dict[str, dict] = {}
        if col.count():
            got = col.get(include=["metadatas"])
            existing = {i: (md or {}) for i, md in zip(got["ids"], got["metadatas"])}
        m = self.manifest()
        reembed_all = bool(existing) and (
            m.get("embedder") != self.embedder.name or m.get("chunker_version") != CHUNKER_VERSION
        )
        if reembed_all:  # another embedder (maybe another dimension): start afresh
            self._reset_collection()
            col = self.collection

        new_ids = set(ids)
        to_embed = [c for c in chunks if reembed_all or existing.get(c.id, {}).get("content_hash") != c.content_hash]
        embed_ids = {c.id for c in to_embed}
        retag = [c for c in chunks if c.id in existing and c.id not in embed_ids and existing[c.id] != c.metadata]
        removed = [i for i in existing if i not in new_ids]
        summary = IngestSummary(
            added=sum(c.id not in existing for c in to_embed),
            updated=sum(c.id in existing for c in to_embed),
            removed=len(removed),
            unchanged=len(chunks) - len(to_embed),
            files=len({c.source for c in chunks}),
            chunks=len(chunks),
            reembedded_all=reembed_all,
        )
        try:
            if removed and not reembed_all:
                col.delete(ids=removed)
            with tqdm(total=len(to_embed), unit="chunk", desc="Embedding", disable=not progress or not to_embed,
                      leave=False) as bar:
                for i in range(0, len(to_embed), BATCH):
                    batch = to_embed[i : i + BATCH]
                    col.upsert(ids=[c.id for c in batch], documents=[c.text for c in batch],
                               metadatas=[c.metadata for c in batch])
                    bar.update(len(batch))
            if retag:  # doc_hash moved on, text did not: update metadata without re-embedding
                col.update(ids=[c.id for c in retag], metadatas=[c.metadata for c in retag])
            sources = _source_hashes(chunks)
            if self.manifest() != {"embedder": self.embedder.name, "chunker_version": CHUNKER_VERSION, "sources": sources}:
                self._write_manifest(sources)
        except IndexStoreError:
            raise
        except Exception as exc:
            raise IndexStoreError(f"ingest into Chroma failed: {exc}") from exc
        summary.seconds = time.perf_counter() - start
        return summary

    def search(self, query: str, k: int = 5, question_id: str | None = None, kind: str | None = None,
               track: str | None = None) -> list[Hit]:
        """The k chunks nearest to ``query`` (cosine), optionally within one question/kind/track."""
        if not query or not query.strip() or k < 1:
            return []
        col = self.collection
        try:
            res = col.query(query_texts=[query], n_results=k, where=_where(question_id=question_id, kind=kind, track=track),
                            include=["documents", "metadatas", "distances"])
        except Exception as exc:
            raise IndexStoreError(f"search failed: {exc}") from exc
        hits = []
        for cid, doc, md, dist in zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0]):
            md = dict(md or {})
            hits.append(Hit(chunk_id=cid, text=doc or "", metadata=md, citation=str(md.get("citation", "")),
                            score=round(1.0 - float(dist), 6)))
        return hits

    def chunks_for_question(self, question_id: str) -> list[Chunk]:
        """Every stored chunk of one question, in guide order."""
        got = self.collection.get(where={"question_id": {"$eq": question_id}}, include=["documents", "metadatas"])
        chunks = [Chunk(id=i, text=d or "", metadata=dict(m or {})) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])]
        return sorted(chunks, key=lambda c: (c.source, int(c.metadata.get("position", 0))))
