"""The Chroma knowledge index: chunking, idempotent ingest, search, CLI, offline, server mode."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from conftest import SEED_GUIDE
from procs import stop
from interviewer.cli import main
from interviewer.guide import Guide, load_guide_file, parse_guide
from interviewer.index import GuideIndex, chunk_guide, chunk_guides, load_guide_files, open_client
from interviewer.index.chunks import SEP

REPO = Path(__file__).resolve().parent.parent
KNOWLEDGE = REPO / "knowledge"
CACHE_QID = "design-a-distributed-cache-system"

EXTRA_GUIDE = """# Extra guide

## Backend

### Queues

**Q: How do you design a job queue?**
```
Approach:
1. **Delivery:**
   - At-least-once delivery with idempotent consumers
   - Visibility timeouts and dead-letter queues

2. **Scaling:**
   - Partition by key
   - Autoscale workers on queue depth

3. **Example from Experience:**
   "Built a job queue for 1M jobs a day:
   - Cut retries by 50%"
```
"""


class CountingEmbedder:
    """Wraps an embedder and records every text it is asked to embed."""

    def __init__(self, inner, name: str | None = None):
        self.inner, self.name, self.texts = inner, name or inner.name, []

    def embed(self, texts):
        self.texts += list(texts)
        return self.inner.embed(texts)


class HashEmbedder:
    """A different, tiny embedder (16 dims) to prove an embedder change re-embeds everything."""

    name = "test-hash-16"

    def embed(self, texts):
        out = np.zeros((len(texts), 16), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                out[i, hash(w) % 16] += 1
        return out / np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-9, None)


@pytest.fixture
def kb(tmp_path) -> Path:
    """A private copy of the knowledge folder."""
    folder = tmp_path / "kb"
    shutil.copytree(KNOWLEDGE, folder)
    return folder


@pytest.fixture
def index(settings, embedder):
    idx = GuideIndex(settings, CountingEmbedder(embedder))
    yield idx
    idx.close()


def _ids_by_question(chunks):
    out: dict[str, set[str]] = {}
    for c in chunks:
        out.setdefault(str(c.metadata["question_id"]), set()).add(c.id)
    return out


# ------------------------------------------------------------------------- chunks


@pytest.mark.parametrize("which", ["knowledge", "seed"])
def test_every_framework_part_has_a_chunk_with_citation(guide, which):
    g = guide if which == "knowledge" else load_guide_file(SEED_GUIDE)
    chunks = chunk_guide(g)
    assert len(g.questions) == 16
    ids = [c.id for c in chunks]
    assert len(ids) == len(set(ids)), "chunk ids must be unique"
    assert [c.id for c in chunk_guide(g)] == ids, "chunk ids must be deterministic"
    for c in chunks:
        for key in ("question_id", "track", "part_title", "kind", "source", "heading_path", "citation",
                    "content_hash", "doc_hash"):
            assert key in c.metadata, (c.id, key)
        assert all(isinstance(v, (str, int, float, bool)) for v in c.metadata.values())
        assert c.metadata["source"] == g.source and c.text.strip()
    parts = {(c.metadata["question_id"], c.metadata["part_title"]): c for c in chunks if c.metadata["kind"] == "framework_part"}
    for q in g.questions:
        assert any(c.metadata["kind"] == "question" and c.metadata["question_id"] == q.id for c in chunks)
        for p in q.parts:
            c = parts[(q.id, p.title)]
            assert c.metadata["citation"] == f"{q.text}{SEP}{p.title}"
            assert c.metadata["track"] == q.track
            assert q.text in c.text and p.title in c.text
        example = [c for c in chunks if c.metadata["kind"] == "example" and c.metadata["question_id"] == q.id]
        assert len(example) == 1 and example[0].metadata["citation"].endswith("Example from Experience")
    cache = parts[(CACHE_QID, "Implementation")]
    assert cache.metadata["citation"] == "Design a distributed cache system › Implementation"
    kinds = {c.metadata["kind"] for c in chunks}
    assert {"question", "framework_part", "example", "general_framework", "tip", "pitfall"} <= kinds
    assert all(c.metadata["question_id"] == "" for c in chunks if c.metadata["kind"] in ("tip", "pitfall", "general_framework"))
    assert len({c.metadata["doc_hash"] for c in chunks}) == 1


def test_guide_without_questions_is_split_into_sections():
    long_text = "\n\n".join(f"Paragraph {i}: " + "caching and queues and retries. " * 12 for i in range(12))
    g = parse_guide(f"# Notes\n\n## Intro\n\nShort intro.\n\n## Deep dive\n\n{long_text}\n", source="notes.md")
    chunks = chunk_guide(g)
    assert all(c.metadata["kind"] == "section" and c.metadata["question_id"] == "" for c in chunks)
    deep = [c for c in chunks if c.metadata["part_title"] == "Deep dive"]
    assert len(deep) > 1 and all(len(c.text) < 1500 for c in deep)
    assert any(c.metadata["citation"] == "Intro" for c in chunks)


# ------------------------------------------------------------------------- ingest


def test_ingest_then_reingest_embeds_nothing(index, kb):
    guides = load_guide_files([kb])
    first = index.ingest(guides, progress=False)
    n = len(chunk_guides(guides))
    assert (first.added, first.updated, first.removed, first.unchanged, first.chunks, first.files) == (n, 0, 0, 0, n, 1)
    assert index.count() == n and not index.is_stale(guides)
    index.embedder.texts.clear()
    again = index.ingest(load_guide_files([kb]), progress=False)
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, n)
    assert index.embedder.texts == [], "unchanged chunks must not be re-embedded"
    assert again.seconds < 1.0
    assert "0 added, 0 updated, 0 removed" in again.line()


def test_changing_one_question_updates_only_its_chunks(index, kb):
    index.ingest(load_guide_files([kb]), progress=False)
    md = kb / "senior-engineering-guide.md"
    text = md.read_text(encoding="utf-8")
    edited = text.replace("TTL, LRU, write-through/back", "TTL, LFU, write-around").replace(
        "Achieved 95% cache hit rate", "Achieved 97% cache hit rate")
    assert edited != text
    md.write_text(edited, encoding="utf-8")
    guides = load_guide_files([kb])
    assert index.is_stale(guides)
    index.embedder.texts.clear()
    s = index.ingest(guides, progress=False)
    assert (s.added, s.updated, s.removed) == (0, 2, 0)
    assert len(index.embedder.texts) == 2 and all("Design a distributed cache system" in t for t in index.embedder.texts)
    stored = index.chunks_for_question(CACHE_QID)
    assert any("write-around" in c.text for c in stored)
    # every chunk of the file now carries the new doc hash, without having been re-embedded
    got = index.collection.get(include=["metadatas"])
    assert len({m["doc_hash"] for m in got["metadatas"]}) == 1
    assert not index.is_stale(guides)


def test_removing_a_file_removes_its_chunks(index, kb):
    (kb / "extra.md").write_text(EXTRA_GUIDE, encoding="utf-8")
    s = index.ingest(load_guide_files([kb]), progress=False)
    assert s.files == 2
    extra = index.chunks_for_question("how-do-you-design-a-job-queue")
    assert len(extra) == 4 and [c.metadata["part_title"] for c in extra][:3] == ["", "Delivery", "Scaling"]
    before = index.count()
    (kb / "extra.md").unlink()
    s = index.ingest(load_guide_files([kb]), progress=False)
    assert (s.removed, s.added, s.updated, s.files) == (4, 0, 0, 1)
    assert index.count() == before - 4
    assert index.chunks_for_question("how-do-you-design-a-job-queue") == []


def test_changed_embedder_forces_reembed(settings, embedder, kb):
    guides = load_guide_files([kb])
    with GuideIndex(settings, HashEmbedder()) as idx:
        idx.ingest(guides, progress=False)
        assert idx.manifest()["embedder"] == "test-hash-16"
    counting = CountingEmbedder(embedder)
    with GuideIndex(settings, counting) as idx:
        assert idx.is_stale(guides)
        s = idx.ingest(guides, progress=False)
        assert s.reembedded_all and s.updated == s.chunks and s.added == 0
        assert len(counting.texts) == s.chunks
        assert idx.manifest()["embedder"] == embedder.name
        assert idx.search("memcached across many machines", k=1)[0].question_id == CACHE_QID


def test_search_filters_and_hits(index, guide):
    index.ingest(guide, progress=False)
    hits = index.search("how would you build something like memcached across many machines?", k=5)
    assert hits[0].question_id == CACHE_QID
    assert all(-1.0 <= h.score <= 1.0 for h in hits) and hits == sorted(hits, key=lambda h: -h.score)
    assert hits[0].citation.startswith("Design a distributed cache system")
    only = index.search("caching and latency", k=20, question_id="how-do-you-design-a-data-warehouse")
    assert only and all(h.question_id == "how-do-you-design-a-data-warehouse" for h in only)
    assert len(only) == 5  # question + 3 parts + example
    tips = index.search("what should I do during the interview", k=3, kind="tip")
    assert tips and all(h.kind == "tip" for h in tips)
    both = index.search("deployments", k=10, track="devops", kind="framework_part")
    assert both and all(h.metadata["track"] == "devops" and h.kind == "framework_part" for h in both)
    assert index.search("   ") == []


def test_reopen_in_a_new_client_offline(settings, embedder, guide, no_network):
    from interviewer.embeddings import MiniLMEmbedder

    query = "Two senior engineers disagree about which database to use"
    with GuideIndex(settings, embedder) as first:
        first.ingest(guide, progress=False)
        top = first.search(query, k=3)
    # a brand-new client, a fresh (not yet loaded) embedder
    with GuideIndex(settings, MiniLMEmbedder()) as second:
        again = second.search(query, k=3)
        assert [h.chunk_id for h in again] == [h.chunk_id for h in top]
        assert not second.is_stale(guide)
    # even a bare Chroma client reopens it: the persisted config rebuilds our embedding function
    client = open_client(settings)
    try:
        col = client.get_collection(settings.collection)
        res = col.query(query_texts=[query], n_results=1)
        assert res["ids"][0][0] == top[0].chunk_id
    finally:
        client.close()
    assert no_network == []


# ---------------------------------------------------------------------------- CLI


@pytest.fixture
def cli_env(settings, kb, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INTERVIEWER_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("INTERVIEWER_KNOWLEDGE_DIR", str(kb))
    return kb


def test_cli_ingest_and_search_json(cli_env, capsys):
    assert main(["ingest", "--no-progress"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("1 file, 92 chunks: 92 added, 0 updated, 0 removed, 0 unchanged in ")
    assert main(["ingest", "--no-progress"]) == 0
    assert "0 added, 0 updated, 0 removed, 92 unchanged" in capsys.readouterr().out
    assert main(["search", "how would you build something like memcached across many machines?", "--json", "--k", "3"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 3 and rows[0]["question_id"] == CACHE_QID
    assert {"score", "kind", "citation", "text", "chunk_id"} <= set(rows[0])
    assert main(["search", "budget", "--question-id", "how-do-you-estimate-and-plan-large-technical-projects", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {r["question_id"] for r in rows} == {"how-do-you-estimate-and-plan-large-technical-projects"}
    assert main(["search", "rollbacks"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("1. ") and "[" in text and "›" in text


def test_cli_search_on_an_empty_index_builds_it_first(cli_env, capsys):
    assert main(["search", "how would you build something like memcached across many machines?", "--json", "--k", "1"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)[0]["question_id"] == CACHE_QID, "the answer, not a request to run ingest"
    assert "building it" in captured.err and "92 added" in captured.err, "the user is told what is happening"
    assert main(["search", "memcached", "--json", "--k", "1"]) == 0
    assert "building it" not in capsys.readouterr().err, "only once"


def test_cli_search_rebuilds_an_index_another_embedder_made(cli_env, settings, capsys):
    # As after an upgrade that ships a new embedding model: the stored vectors are another model's.
    with GuideIndex(settings, HashEmbedder()) as idx:
        idx.ingest(load_guide_files([cli_env]), progress=False)
    assert main(["search", "how would you build something like memcached across many machines?", "--json", "--k", "1"]) == 0
    captured = capsys.readouterr()
    assert "another embedder" in captured.err and "92 updated" in captured.err, "the user is told why it rebuilds"
    assert json.loads(captured.out)[0]["question_id"] == CACHE_QID
    assert main(["search", "memcached", "--json", "--k", "1"]) == 0
    assert "another embedder" not in capsys.readouterr().err, "only once"


@pytest.mark.parametrize("name,content,expect", [
    ("unclosed.md", b"# G\n\n## Backend\n\n**Q: Design X?**\n```\nApproach:\n1. **A:**\n   - a\n", "never closed"),
    ("binary.md", b"\x00\x01\x02PNG\x00" * 50, "binary"),
    ("empty.md", b"", "empty"),
], ids=["unclosed-fence", "binary", "empty"])
def test_cli_malformed_guide_exits_2_and_keeps_index(cli_env, capsys, name, content, expect):
    assert main(["ingest", "--no-progress"]) == 0
    capsys.readouterr()
    (cli_env / name).write_bytes(content)
    assert main(["ingest", "--no-progress"]) == 2
    captured = capsys.readouterr()
    assert name in captured.err and expect in captured.err and "Traceback" not in captured.err
    assert main(["search", "memcached", "--json", "--k", "1"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    (cli_env / name).unlink()
    assert main(["ingest", "--no-progress"]) == 0
    assert "92 unchanged" in capsys.readouterr().out, "the existing index was left intact"


def test_cli_ingest_missing_path(cli_env, capsys, tmp_path):
    assert main(["ingest", str(tmp_path / "nope.md")]) == 2
    assert "nope.md" in capsys.readouterr().err


# ------------------------------------------------------------------------ offline


def test_ingest_search_and_tokens_make_no_network_calls(settings, guide, no_network, tmp_path):
    from interviewer.embeddings import MiniLMEmbedder
    from interviewer.tokens import count_tokens, seed_tiktoken_cache

    with GuideIndex(settings, MiniLMEmbedder()) as idx:
        assert idx.ingest(guide, progress=False).added == 92
        assert idx.search("rolling out code many times a day", k=1)
    seed_tiktoken_cache(tmp_path / "tiktoken")
    assert count_tokens("hello") == 1
    assert no_network == []


# -------------------------------------------------------------------- server mode


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists() and not shutil.which("chroma"):
        print("`chroma` CLI not found next to the interpreter or on PATH")
        pytest.skip("`chroma run` is not available (no chroma CLI in the venv or on PATH)")
    exe = str(exe) if exe.exists() else shutil.which("chroma")
    port = _free_port()
    log = open(tmp_path / "chroma.log", "wb")
    proc = subprocess.Popen([exe, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.skip(f"`chroma run` did not start: {(tmp_path / 'chroma.log').read_text(errors='replace')[-500:]}")
            time.sleep(0.1)
        yield url
    finally:
        stop(proc, grace_s=10)
        log.close()


@pytest.mark.server
def test_server_mode_ingest_and_search(chroma_server, settings, embedder, guide):
    remote = settings.model_copy(update={"chroma_url": chroma_server})
    with GuideIndex(remote, CountingEmbedder(embedder)) as idx:
        s = idx.ingest(guide, progress=False)
        assert s.added == 92 and idx.count() == 92
        assert idx.ingest(guide, progress=False).unchanged == 92
        assert idx.search("memcached across many machines", k=1)[0].question_id == CACHE_QID
    assert not remote.chroma_path.exists(), "server mode must not write an embedded index"
    with GuideIndex(remote, embedder) as again:  # a second client sees the same collection
        assert again.count() == 92 and not again.is_stale(guide)


def test_unreachable_server_is_a_clear_error(settings):
    from interviewer.errors import IndexStoreError

    remote = settings.model_copy(update={"chroma_url": f"http://127.0.0.1:{_free_port()}"})
    idx = GuideIndex(remote)  # constructing does not connect
    with pytest.raises(IndexStoreError, match="not reachable.*chroma run --path"):
        idx.count()


def test_merged_guide_keeps_each_question_under_its_file(tmp_path, guide):
    (tmp_path / "extra.md").write_text(EXTRA_GUIDE, encoding="utf-8")
    merged = guide.merged(load_guide_file(tmp_path / "extra.md"))
    chunks = chunk_guide(merged)
    extra = [c for c in chunks if c.metadata["question_id"] == "how-do-you-design-a-job-queue"]
    assert extra and all(c.source == "extra.md" and c.id.startswith("extra.md::") for c in extra)
    per_file = chunk_guides([guide, load_guide_file(tmp_path / "extra.md")])
    assert {c.id for c in per_file} == {c.id for c in chunks}
