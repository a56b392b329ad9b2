#!/usr/bin/env python
"""Benchmark the Chroma knowledge index (embedded mode, offline MiniLM).

Prints: cold ingest into a fresh folder, re-ingest with nothing changed, search latency
p50/p95 over 200 queries after a warm-up (query cache off, so every query is embedded),
peak RSS after ingest, and the retrieval eval (recall@1, recall@3, MRR). Timings are
medians of 3 runs where cheap. Exits 1 when a floor is missed.

    .venv/bin/python scripts/bench_index.py [--knowledge DIR]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from interviewer.embeddings import MiniLMEmbedder  # noqa: E402
from interviewer.index import GuideIndex, chunk_guides, load_guide_files  # noqa: E402
from interviewer.index.retrieval_eval import evaluate_retrieval, load_queries  # noqa: E402
from interviewer.settings import Settings  # noqa: E402

FLOORS = {"reingest_s": 1.0, "search_p95_ms": 20.0, "rss_mb": 400.0, "recall_at_3": 0.90}
RUNS = 3
N_QUERIES = 200


def _settings(folder: Path) -> Settings:
    return Settings(_env_file=None, data_dir=folder, chroma_url="")


def _pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--knowledge", type=Path, default=REPO / "knowledge")
    args = ap.parse_args()
    guides = load_guide_files([args.knowledge])
    n_chunks = len(chunk_guides(guides))
    tmp = Path(tempfile.mkdtemp(prefix="bench-index-"))

    cold, reingest, open_and_reingest = [], [], []
    for run in range(RUNS):
        settings = _settings(tmp / f"run{run}")
        t0 = time.perf_counter()
        with GuideIndex(settings, MiniLMEmbedder()) as idx:  # fresh folder, model not yet loaded
            s = idx.ingest(guides, progress=False)
            cold.append(time.perf_counter() - t0)
            if run == 0:  # one client + one model, as in `interviewer ingest`
                rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
            assert s.added == n_chunks
            t1 = time.perf_counter()
            s = idx.ingest(load_guide_files([args.knowledge]), progress=False)  # parse + chunk + diff
            reingest.append(time.perf_counter() - t1)
            assert s.unchanged == n_chunks, s
        t2 = time.perf_counter()
        with GuideIndex(settings, MiniLMEmbedder()) as idx:  # a new client on the persisted folder
            idx.ingest(load_guide_files([args.knowledge]), progress=False)
        open_and_reingest.append(time.perf_counter() - t2)
    rss_all_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    settings = _settings(tmp / "run0")
    queries = [q.query for q in load_queries()]
    with GuideIndex(settings, MiniLMEmbedder(cache_size=0)) as idx:
        for q in queries[:20]:
            idx.search(q, k=5)  # warm-up: model load, client, HNSW in memory
        p50s, p95s = [], []
        for _ in range(RUNS):
            lat = []
            for i in range(N_QUERIES):
                t = time.perf_counter()
                idx.search(queries[i % len(queries)], k=5)
                lat.append((time.perf_counter() - t) * 1000)
            p50s.append(_pct(lat, 50))
            p95s.append(_pct(lat, 95))
        report = evaluate_retrieval(idx)

    env = {**os.environ, "INTERVIEWER_DATA_DIR": str(tmp / "run0"), "INTERVIEWER_KNOWLEDGE_DIR": str(args.knowledge),
           "INTERVIEWER_CHROMA_URL": ""}
    t = time.perf_counter()
    cli = subprocess.run([sys.executable, "-m", "interviewer.cli", "ingest", "--no-progress"], env=env,
                         capture_output=True, text=True, cwd=tmp)
    cli_s = time.perf_counter() - t

    figures = {
        "reingest_s": statistics.median(reingest),
        "search_p95_ms": statistics.median(p95s),
        "rss_mb": rss_mb,
        "recall_at_3": report.recall_at_3,
    }
    print(f"guide: {len(guides)} file(s), {n_chunks} chunks; medians of {RUNS} runs")
    print(f"cold ingest (fresh dir, model load incl.): {statistics.median(cold):.2f} s   runs: "
          + ", ".join(f"{x:.2f}" for x in cold))
    print(f"re-ingest, nothing changed (parse+diff):   {figures['reingest_s'] * 1000:.1f} ms  runs: "
          + ", ".join(f"{x * 1000:.1f}" for x in reingest))
    print(f"open new client + re-ingest:               {statistics.median(open_and_reingest) * 1000:.1f} ms")
    print(f"CLI `interviewer ingest` in a new process:  {cli_s:.2f} s (Python start + imports incl.): "
          f"{(cli.stdout or cli.stderr).strip()}")
    print(f"search latency over {N_QUERIES} queries (k=5, uncached embeddings): "
          f"p50 {statistics.median(p50s):.1f} ms, p95 {figures['search_p95_ms']:.1f} ms")
    print(f"peak RSS after the first cold ingest: {rss_mb:.0f} MB "
          f"(after all {RUNS} runs, {RUNS} models and clients loaded: {rss_all_mb:.0f} MB)")
    print(report.line())
    failed = []
    for key, floor in FLOORS.items():
        ok = figures[key] >= floor if key == "recall_at_3" else figures[key] < floor
        if not ok:
            failed.append(key)
        print(f"  {'PASS' if ok else 'FAIL'} {key}: {figures[key]:.3f} ({'≥' if key == 'recall_at_3' else '<'} {floor})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
