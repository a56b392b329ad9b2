"""Guide → retrieval chunks (pure: no I/O, no embedding).

One chunk per question, per framework part, per example answer, per general framework
part, per tip section, one for the pitfalls list, and plain sections (split when long)
for guides without ``**Q:`` questions. Every chunk of a question starts with the
question's own text, so a query about the topic finds any of its chunks.

Ids are deterministic (source + question id + part), so re-ingesting the same guide
touches nothing; ``content_hash`` says when one chunk changed and ``doc_hash`` when any
chunk of a source file changed.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable

from pydantic import BaseModel, Field

from interviewer.guide import Guide, Question, slugify

SEP = " › "
CHUNKER_VERSION = 1  # bump when chunk texts change shape: forces a re-embed
SECTION_CHUNK_CHARS = 1200
SECTION_OVERLAP_CHARS = 150

MetaValue = str | int | float | bool
_HASH_EXCLUDED = ("content_hash", "doc_hash")


class Chunk(BaseModel):
    """One unit of retrieval: text to embed plus flat, Chroma-safe metadata."""

    id: str
    text: str
    metadata: dict[str, MetaValue] = Field(default_factory=dict)

    @property
    def source(self) -> str:
        return str(self.metadata.get("source", ""))

    @property
    def content_hash(self) -> str:
        return str(self.metadata.get("content_hash", ""))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(text: str, metadata: dict[str, MetaValue]) -> str:
    """sha256 over the text and the metadata that describes it (not the hashes themselves)."""
    meta = {k: v for k, v in metadata.items() if k not in _HASH_EXCLUDED}
    return _sha(json.dumps([CHUNKER_VERSION, text, meta], sort_keys=True, ensure_ascii=False))


def doc_hash(chunks: Iterable[Chunk]) -> str:
    """One hash for all chunks of a source file (ids and content hashes, order-free)."""
    return _sha("\n".join(sorted(f"{c.id}\t{c.content_hash}" for c in chunks)))


def _path(*parts: str) -> str:
    out: list[str] = []
    for p in parts:
        p = (p or "").strip()
        if p and (not out or out[-1] != p):
            out.append(p)
    return SEP.join(out)


def _bullets(items: Iterable[str]) -> str:
    return "\n".join(f"- {i}" for i in items)


class _Builder:
    def __init__(self, source: str):
        self.source = source
        self.chunks: list[Chunk] = []
        self._ids: set[str] = set()

    def add(self, key: str, text: str, *, kind: str, question_id: str = "", track: str = "",
            part_title: str = "", heading_path: str, citation: str, part_index: int = 0, line: int = 0,
            source: str = "") -> None:
        source = source or self.source
        cid = f"{source}::{key}"
        n = 2
        while cid in self._ids:  # two sections with the same heading: keep ids unique and stable
            cid, n = f"{source}::{key}~{n}", n + 1
        self._ids.add(cid)
        meta: dict[str, MetaValue] = {
            "question_id": question_id, "track": track, "part_title": part_title, "kind": kind,
            "source": source, "heading_path": heading_path, "citation": citation,
            "part_index": part_index, "position": len(self.chunks), "line": line,
        }
        meta["content_hash"] = content_hash(text, meta)
        self.chunks.append(Chunk(id=cid, text=text.strip(), metadata=meta))


def _question_chunks(b: _Builder, q: Question) -> None:
    where = _path(q.track_title, q.section)
    # q.source: a merged multi-file Guide keeps each question under its own file
    common = dict(question_id=q.id, track=q.track, line=q.line, source=q.source or b.source)
    parts = ", ".join(p.title for p in q.parts)
    b.add(
        f"{q.id}::question",
        f"Interview question: {q.text}\nTopic: {where}\nA strong answer covers: {parts}",
        kind="question", part_title="", heading_path=_path(where, q.text), citation=q.text, **common,
    )
    for p in q.parts:
        body = _bullets(pt.text for pt in p.points) if p.points else p.diagram
        if p.points and p.diagram:
            body += "\n" + p.diagram
        b.add(
            f"{q.id}::part{p.index}",
            f"{q.text}\n{p.title}:\n{body}",
            kind="framework_part", part_title=p.title, part_index=p.index,
            heading_path=_path(where, q.text, p.title), citation=_path(q.text, p.title), **common,
        )
    if q.example and q.example.text:
        b.add(
            f"{q.id}::example",
            f"{q.text}\n{q.example_part_title}:\n{q.example.text}",
            kind="example", part_title=q.example_part_title, part_index=len(q.parts) + 1,
            heading_path=_path(where, q.text, q.example_part_title),
            citation=_path(q.text, q.example_part_title), **common,
        )


def _split(text: str) -> list[str]:
    if len(text) <= SECTION_CHUNK_CHARS:
        return [text]
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=SECTION_CHUNK_CHARS, chunk_overlap=SECTION_OVERLAP_CHARS)
    return [t for t in splitter.split_text(text) if t.strip()]


def _heading_for(guide: Guide, title: str) -> list[str]:
    """The heading path of a plain section with this title (for tips and pitfalls)."""
    for s in guide.sections:
        if s.heading_path and s.heading_path[-1] == title:
            return s.heading_path[1:] if len(s.heading_path) > 1 else s.heading_path
    return [title]


def chunk_guide(guide: Guide, *, skip_question_ids: set[str] | None = None) -> list[Chunk]:
    """All chunks of one parsed guide file, with ``doc_hash`` filled in.

    Prefer one Guide per file (:func:`interviewer.index.load_guide_files`): in a merged
    Guide, questions keep their own file, but tips and frameworks are credited to
    ``guide.source``."""
    source = guide.source or "guide"
    b = _Builder(source)
    skip = skip_question_ids or set()
    for q in guide.questions:
        if q.id not in skip:
            _question_chunks(b, q)
    for gf in guide.general_frameworks:
        for p in gf.parts:
            body = _bullets(pt.text for pt in p.points) if p.points else p.diagram
            b.add(
                f"framework:{gf.id}::part{p.index}",
                f"{gf.title} (applies to every question)\n{p.title}:\n{body}",
                kind="general_framework", part_title=p.title, part_index=p.index,
                heading_path=_path(gf.title, p.title), citation=_path(gf.title, p.title),
            )
    for tip in guide.tips:
        heading = _heading_for(guide, tip.title)
        b.add(
            f"tip:{slugify(tip.title)}",
            f"Interview tips: {tip.title}\n{_bullets(tip.items)}",
            kind="tip", part_title=tip.title, heading_path=_path(*heading), citation=_path(*heading),
        )
    if guide.pitfalls:
        heading = next(
            (s.heading_path[1:] or s.heading_path for s in guide.sections
             if s.heading_path and "pitfall" in s.heading_path[-1].lower()),
            ["Common pitfalls"],
        )
        b.add(
            "pitfalls",
            f"Common interview pitfalls to avoid\n{_bullets(guide.pitfalls)}",
            kind="pitfall", part_title=heading[-1], heading_path=_path(*heading), citation=_path(*heading),
        )
    if not guide.questions:
        for s in guide.sections:
            path = s.heading_path[1:] if len(s.heading_path) > 1 else s.heading_path
            key = "section:" + (slugify("-".join(path)) or "text")
            pieces = _split(s.text)
            for n, piece in enumerate(pieces, start=1):
                title = _path(*path)
                b.add(
                    key + (f"::{n}" if len(pieces) > 1 else ""),
                    f"{title}\n{piece}" if title else piece,
                    kind="section", part_title=path[-1] if path else "", heading_path=title,
                    citation=title + (f" (part {n} of {len(pieces)})" if len(pieces) > 1 else ""), line=s.line,
                )
    by_source: dict[str, list[Chunk]] = {}
    for c in b.chunks:
        by_source.setdefault(c.source, []).append(c)
    for group in by_source.values():
        digest = doc_hash(group)
        for c in group:
            c.metadata["doc_hash"] = digest
    return b.chunks


def chunk_guides(guides: Iterable[Guide]) -> list[Chunk]:
    """Chunks of several guide files; a question id already seen in an earlier file is
    skipped, as :meth:`Guide.merged` does."""
    seen: set[str] = set()
    out: list[Chunk] = []
    for g in guides:
        out += chunk_guide(g, skip_question_ids=set(seen))
        seen |= {q.id for q in g.questions}
    return out


_WS = re.compile(r"\s+")


def snippet(text: str, limit: int = 160) -> str:
    """One line of a chunk's text for display."""
    flat = _WS.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
