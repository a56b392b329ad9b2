"""Benchmark the Gradio app: cold start to the first 200 OK, and draft-feedback latency via gradio_client.

Usage: ``python scripts/bench_app.py [--starts 3] [--requests 40]``. Offline mode (no LLM),
a fresh temporary data dir, the app started exactly as ``python app.py`` starts it.
Cold start = from spawning the process to the first ``200`` on ``GET /`` (median of N starts).
Latency = wall time of ``Client.predict(..., api_name="/draft_feedback")`` after two warm-up calls.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # tests/procs.py: how every server subprocess is stopped
from procs import stop  # noqa: E402
DRAFTS = [
    "I'd clarify scale first: 2k payments per second, p99 under 200 ms, PCI DSS. An API gateway does rate limiting.",
    "Kafka decouples the payment service from processing; we chose it over RabbitMQ for replay, at an ops cost.",
    "Fraud detection runs in real time on each transaction; the database keeps an audit trail for every change.",
    "At my last company I led the payments platform: 10M transactions a day, and we cut failed payments by 30%.",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(data_dir: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWER_") and k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    env.update(INTERVIEWER_DATA_DIR=str(data_dir), INTERVIEWER_PORT=str(port), INTERVIEWER_HOST="127.0.0.1",
               GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    return env


def start_app(data_dir: Path) -> tuple[subprocess.Popen, str, float]:
    """Spawn ``python app.py``; returns the process, its URL and seconds to the first 200 OK."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(REPO / "app.py")], cwd=REPO, env=env_for(data_dir, port),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"the app exited with {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return proc, url, time.perf_counter() - t0
        except OSError:
            pass
        if time.perf_counter() - t0 > 120:
            proc.kill()
            raise SystemExit("the app did not answer within 120 s")
        time.sleep(0.05)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=3)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from gradio_client import Client

    with tempfile.TemporaryDirectory(prefix="bench-app-") as tmp:
        starts = []
        for i in range(args.starts):
            proc, _, seconds = start_app(Path(tmp) / f"start-{i}")
            starts.append(seconds)
            stop(proc)
        proc, url, _ = start_app(Path(tmp) / "latency")
        try:
            client = Client(url, verbose=False)
            qid = client.predict(api_name="/list_questions")[0]["id"]
            for d in DRAFTS[:2]:  # warm-up: the embedder loads on first use
                client.predict(qid, d, "", api_name="/draft_feedback")
            times = []
            for n in range(args.requests):
                draft = " ".join(DRAFTS[: 1 + n % len(DRAFTS)]) + f" (variant {n})"
                t0 = time.perf_counter()
                client.predict(qid, draft, "", api_name="/draft_feedback")
                times.append(time.perf_counter() - t0)
        finally:
            stop(proc)
    print(f"cold start to first 200 OK: median {statistics.median(starts):.2f} s over {len(starts)} starts "
          f"({', '.join(f'{s:.2f}' for s in starts)})")
    print(f"draft feedback via gradio_client (offline, {len(times)} requests): p50 {percentile(times, 50) * 1000:.0f} ms, "
          f"p95 {percentile(times, 95) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
