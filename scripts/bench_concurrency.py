"""Benchmark concurrent mock interviews: N users interviewing at once through the public API.

Usage: ``python scripts/bench_concurrency.py [--users 20] [--turns 3] [--questions 2] [--runs 1]``.
The app is started as ``python app.py`` starts it (offline mode, a fresh temporary data dir,
a free port on 127.0.0.1) and warmed up with one interview. Then every user — one
``gradio_client.Client`` and one thread each — starts an interview at the same moment, sends
``--turns`` answers, reads the state and ends it. Reported: errors, isolation (each
transcript holds exactly its own answers), and the median / p95 / max latency of each call
(a turn is the full ``/interview_reply``, from sending the answer to the end of the reply).
Nothing here is asserted: the figures are for RELIABILITY.md.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # tests/procs.py: how every server subprocess is stopped
from procs import stop  # noqa: E402
TRACKS = ["backend", "system-design", "devops", "architecture", "frontend"]


def answer(user: int, turn: int) -> str:
    return (f"[user-{user:02d} turn-{turn}] I'd clarify the load first, then use Postgres with read replicas and a Redis "
            f"cache in front, accepting some staleness for lower latency, and alert on p99 latency and error rate.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(data_dir: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERVIEWER_") and k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    env.update(INTERVIEWER_DATA_DIR=str(data_dir), INTERVIEWER_PORT=str(port), INTERVIEWER_HOST="127.0.0.1",
               GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    proc = subprocess.Popen([sys.executable, str(REPO / "app.py")], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url, deadline = f"http://127.0.0.1:{port}/", time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the app exited with {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the app did not answer within 120 s")


def interview(client, user: int, turns: int, questions: int, timings: dict[str, list[float]], lock: threading.Lock) -> list[str]:
    """One user's interview; returns the answers the server says this session holds."""
    def timed(kind: str, *args, api_name: str):
        t0 = time.perf_counter()
        result = client.predict(*args, api_name=api_name)
        with lock:
            timings[kind].append(time.perf_counter() - t0)
        return result

    sid = timed("start", TRACKS[user % len(TRACKS)], questions, "senior", api_name="/start_interview")["session_id"]
    for t in range(turns):
        timed("turn", sid, answer(user, t), api_name="/interview_reply")
    state = timed("state", sid, api_name="/interview_state")
    timed("end", sid, api_name="/end_interview")
    return [m["content"] for m in state["messages"] if m["role"] == "user"]


def run(url: str, users: int, turns: int, questions: int) -> dict:
    from gradio_client import Client

    timings: dict[str, list[float]] = {"start": [], "turn": [], "state": [], "end": []}
    lock, errors, isolated = threading.Lock(), [], []
    clients = [Client(url, verbose=False) for _ in range(users)]  # connected before the clock starts
    barrier = threading.Barrier(users)

    def user(n: int) -> None:
        try:
            barrier.wait(timeout=60)
            said = interview(clients[n], n, turns, questions, timings, lock)
            isolated.append(said == [answer(n, t) for t in range(turns)])
        except Exception as exc:  # counted, not raised: the figure is the error count
            errors.append(f"user {n}: {type(exc).__name__}: {exc}")

    t0 = time.perf_counter()
    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    return {"timings": timings, "errors": errors, "isolated": sum(isolated), "wall": time.perf_counter() - t0}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--turns", type=int, default=3, help="answers per interview")
    parser.add_argument("--questions", type=int, default=2, help="questions per interview (1-6)")
    parser.add_argument("--runs", type=int, default=1, help="repeat the whole burst (figures are pooled)")
    args = parser.parse_args()
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    with tempfile.TemporaryDirectory(prefix="bench-concurrency-") as tmp:
        proc, url = start_app(Path(tmp) / "data")
        try:
            run(url, 1, 2, 1)  # warm-up: the embedder and the interviewer are built on first use
            pooled: dict[str, list[float]] = {"start": [], "turn": [], "state": [], "end": []}
            errors, isolated, walls = [], 0, []
            for _ in range(args.runs):
                result = run(url, args.users, args.turns, args.questions)
                for k, v in result["timings"].items():
                    pooled[k] += v
                errors += result["errors"]
                isolated += result["isolated"]
                walls.append(result["wall"])
        finally:
            stop(proc, grace_s=30)

    sessions = args.users * args.runs
    print(f"{args.users} concurrent interviews x {args.runs} run(s), {args.turns} answers each, offline, "
          f"{os.cpu_count()} CPU(s)")
    print(f"errors: {len(errors)}   isolated transcripts: {isolated}/{sessions}   "
          f"wall per burst: {statistics.median(walls):.1f} s   turns/s: {sessions * args.turns / sum(walls):.1f}")
    for kind, values in pooled.items():
        if values:
            ms = [v * 1000 for v in values]
            print(f"  {kind:<6} n={len(ms):<4} median {statistics.median(ms):7.0f} ms   p95 {pct(ms, 0.95):7.0f} ms   "
                  f"max {max(ms):7.0f} ms")
    for e in errors[:5]:
        print("  " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
