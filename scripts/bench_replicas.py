"""Benchmark scale-out: SQLite vs PostgreSQL, one vs two replicas, 20 and 40 concurrent interviews.

Usage: ``python scripts/bench_replicas.py [--users 20 40] [--replicas 1 2] [--backends sqlite postgresql]
[--turns 2] [--runs 3]`` (``make bench-scale``).

Real processes only, as the README's "Scaling out" runs them: ``chroma run`` (the guide index,
ingested once), a throw-away PostgreSQL cluster (tests/pg_server.py: Debian's ``postgresql``
package, 127.0.0.1 only), ``interviewer migrate`` and N ``interviewer serve`` processes, each
with its own data dir and port, sharing one sessions database (one SQLite file on this host, or
the PostgreSQL database) and the Chroma server. Offline mode (no LLM), so the figures are the
app's own cost: grading (embedding every answer), the interview engine and the store.

Every user is one thread with one ``gradio_client.Client`` per replica (connected before the
clock starts); all are released at once by a barrier. User ``n`` starts on replica ``n % R``
and sends answer ``t`` through replica ``(n + t) % R``, so with two replicas every interview
moves between them on every turn. Each answer is distinct text, sentence by sentence (each
sentence carries the user, turn and run), so the embedder's per-text cache never hits.

Reported per configuration (medians over ``--runs`` bursts): turns/s (answers completed / the
burst's wall time, which includes each interview's start, state and end calls), p50 / p95 turn
latency (one whole ``/interview_reply``), and the peak RSS of each replica (``VmHWM``). Checked
after every burst, through a replica other than the one that took the last answer: errors,
lost turns (an answer sent but not in the transcript), duplicated turns (stored twice),
foreign turns (another user's answer in the transcript) and the ordering. The exit code is 1
when any of those is non-zero. Nothing here is asserted by the test suite (no wall-clock asserts).
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # tests/procs.py: how every server subprocess is stopped
from procs import stop  # noqa: E402
TRACKS = ["backend", "system-design", "devops", "architecture", "frontend"]
# Sentence templates for the scripted answers; every sentence gets the user/turn/run tag and its own figures.
SENTENCES = [
    "For workload {tag} I'd first clarify the load: about {rps} requests per second with a p99 target of {ms} ms.",
    "In {tag} I'd keep Postgres as the source of truth with {replicas} read replicas, since reads dominate writes.",
    "A Redis cache in front of it for {tag} takes {pct}% of reads, accepting a few seconds of staleness for latency.",
    "For {tag} writes go through an outbox so the row and its event commit together, and consumers are idempotent.",
    "I'd alert on p99 latency and on an error rate above {err}% for {tag}, and load-test at {x}x the expected peak.",
    "The trade-off in {tag}: {replicas} replicas cost more to run, but failover stays under {ms} ms for users.",
]


def answer(user: int, turn: int, run: int) -> str:
    """A distinct answer: four sentences picked by user and turn, each tagged and with its own figures."""
    tag = f"u{user:02d}-t{turn}-r{run}"
    k = user * 7 + turn * 3 + run
    picks = [SENTENCES[(k + i) % len(SENTENCES)] for i in range(4)]
    figures = dict(tag=tag, rps=1000 + 37 * k, ms=50 + k % 150, replicas=2 + k % 4, pct=60 + k % 35,
                   err=1 + k % 5, x=2 + k % 3)
    return " ".join(p.format(**figures) for p in picks)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without INTERVIEWER_/OpenAI settings (offline, whatever the shell says), plus ``extra``."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("INTERVIEWER_") and k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    env.update(GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False",
               NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")])))
    env.update(extra)
    return env


def wait_for(url: str, proc: subprocess.Popen, log: Path, timeout_s: float = 180) -> None:
    """Poll ``url`` until it answers 200; a process that exits first stops the benchmark with its log."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{proc.args} exited with {proc.returncode}:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    proc.kill()
    raise SystemExit(f"{url} did not answer within {timeout_s:.0f} s; see {log}")


@contextmanager
def process(args: list[str], log: Path, ready_url: str, env: dict[str, str]) -> Iterator[subprocess.Popen]:
    """A server subprocess, ready once ``ready_url`` answers; terminated (then killed) on exit."""
    with open(log, "ab") as fh:
        proc = subprocess.Popen(args, cwd=REPO, env=env, stdout=fh, stderr=subprocess.STDOUT)
        try:
            wait_for(ready_url, proc, log)
            yield proc
        finally:
            stop(proc)


@contextmanager
def chroma_server(root: Path) -> Iterator[str]:
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        exe = Path(shutil.which("chroma") or "")
    if not exe.is_file():
        raise SystemExit("`chroma` (the Chroma server CLI) is not installed next to this Python or on PATH: "
                         "pip install -e '.[dev]'.")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with process([str(exe), "run", "--path", str(root / "chroma"), "--host", "127.0.0.1", "--port", str(port)],
                 root / "chroma.log", f"{url}/api/v2/heartbeat", clean_env()):
        yield url


@contextmanager
def postgres_server() -> Iterator[object]:
    """The test suite's throw-away cluster (initdb in a temp dir, 127.0.0.1 only)."""
    import pg_server  # tests/pg_server.py (on sys.path above): the same cluster the contract tests use

    try:
        server = pg_server.start_server()
    except BaseException as exc:  # pytest.skip raises a BaseException subclass with the reason
        raise SystemExit(f"PostgreSQL is not available: {exc}. `make postgres` installs it; "
                         "or run with --backends sqlite.") from None
    try:
        yield server
    finally:
        try:
            server.stop("immediate")
        finally:
            shutil.rmtree(server.root, ignore_errors=True)


def cli(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "interviewer.cli", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"interviewer {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (``VmHWM``) in MB, from /proc (Linux)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


@dataclass
class Burst:
    """One burst's outcome: the figures and the integrity counts."""

    wall_s: float
    turn_s: list[float]
    answers: int
    errors: list[str] = field(default_factory=list)
    lost: int = 0
    duplicated: int = 0
    foreign: int = 0
    misordered: int = 0
    sessions: int = 0


def burst(urls: list[str], users: int, turns: int, questions: int, run: int) -> Burst:
    """``users`` interviews at once over the replicas at ``urls``; then check every transcript."""
    from gradio_client import Client

    clients = [[Client(u, verbose=False) for u in urls] for _ in range(users)]  # connected before the clock starts
    barrier, lock = threading.Barrier(users + 1), threading.Lock()
    turn_s: list[float] = []
    sessions: dict[int, str] = {}
    errors: list[str] = []

    def user(n: int) -> None:
        mine = clients[n]
        try:
            barrier.wait(timeout=120)
            sid = mine[n % len(mine)].predict(TRACKS[n % len(TRACKS)], questions, "senior",
                                              api_name="/start_interview")["session_id"]
            sessions[n] = sid
            for t in range(turns):
                t0 = time.perf_counter()
                mine[(n + t) % len(mine)].predict(sid, answer(n, t, run), api_name="/interview_reply")
                with lock:
                    turn_s.append(time.perf_counter() - t0)
            mine[(n + turns) % len(mine)].predict(sid, api_name="/end_interview")
        except Exception as exc:  # counted, not raised: the error count is a figure
            with lock:
                errors.append(f"user {n}: {type(exc).__name__}: {exc}"[:300])

    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
    for t in threads:
        t.start()
    barrier.wait(timeout=120)
    t0 = time.perf_counter()
    for t in threads:
        t.join(timeout=900)
    result = Burst(wall_s=time.perf_counter() - t0, turn_s=turn_s, answers=len(turn_s), errors=errors)

    # Integrity, read back through a replica other than the one that took the last answer.
    tags = {answer(n, t, run): n for n in range(users) for t in range(turns)}
    for n, sid in sessions.items():
        reader = clients[n][(n + turns) % len(urls)]  # the last answer went through (n + turns - 1) % R
        try:
            state = reader.predict(sid, api_name="/interview_state")
        except Exception as exc:
            result.errors.append(f"user {n} state: {type(exc).__name__}: {exc}"[:300])
            continue
        said = [m["content"] for m in state["messages"] if m["role"] == "user"]
        expected = [answer(n, t, run) for t in range(turns)]
        result.lost += sum(1 for a in expected if a not in said)
        result.duplicated += sum(said.count(a) - 1 for a in expected if said.count(a) > 1)
        result.foreign += sum(1 for s in said if s in tags and tags[s] != n)
        result.misordered += int([s for s in said if s in expected] != [a for a in expected if a in said])
    result.sessions = len(sessions)
    result.lost += (users - len(sessions)) * turns  # interviews that never started lost all their turns
    return result


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))] if ordered else float("nan")


@dataclass
class Row:
    backend: str
    replicas: int
    users: int
    bursts: list[Burst]
    rss_mb: list[float]

    def line(self) -> str:
        per_s = statistics.median(b.answers / b.wall_s for b in self.bursts)
        p50 = statistics.median(pct(b.turn_s, 0.50) for b in self.bursts) * 1000
        p95 = statistics.median(pct(b.turn_s, 0.95) for b in self.bursts) * 1000
        errors = sum(len(b.errors) for b in self.bursts)
        checks = "/".join(str(sum(getattr(b, k) for b in self.bursts)) for k in ("lost", "duplicated", "foreign", "misordered"))
        sessions = sum(b.sessions for b in self.bursts)
        rss = " / ".join(f"{r:.0f}" for r in self.rss_mb)
        return (f"| {self.backend} | {self.replicas} | {self.users} | {per_s:.1f} | {p50:,.0f} | {p95:,.0f} | "
                f"{errors} | {checks} | {sessions} | {rss} |")

    @property
    def clean(self) -> bool:
        return not any(b.errors or b.lost or b.duplicated or b.foreign or b.misordered for b in self.bursts)


def database_url(backend: str, root: Path, pg: object | None) -> str:
    """A fresh, empty sessions database for one configuration."""
    if backend == "postgresql":
        return pg.create_database()  # type: ignore[attr-defined]
    path = root / f"sessions-{time.monotonic_ns()}.sqlite3"
    return f"sqlite:///{path}"  # sqlite:/// + an absolute path: the replicas on this host share the file


def run_config(root: Path, backend: str, replicas: int, users_list: list[int], args, shared: dict[str, str],
               pg: object | None) -> list[Row]:
    """Start ``replicas`` serve processes on one fresh database; one Row per user count."""
    env = clean_env(INTERVIEWER_DATABASE_URL=database_url(backend, root, pg), **shared)
    cli({**env, "INTERVIEWER_DATA_DIR": str(root / "ops")}, "migrate")
    rows: list[Row] = []
    with ExitStack() as stack:
        procs, urls = [], []
        for r in range(replicas):
            port = free_port()
            data = root / f"{backend}-{replicas}-replica-{r}"
            url = f"http://127.0.0.1:{port}/"
            procs.append(stack.enter_context(process(
                [sys.executable, "-m", "interviewer.cli", "serve"], root / f"{data.name}.log", url + "healthz",
                {**env, "INTERVIEWER_DATA_DIR": str(data), "INTERVIEWER_PORT": str(port)})))
            urls.append(url)
        burst(urls, replicas, 1, 1, run=-1)  # warm-up: each replica builds its embedder and interviewer on first use
        for users in users_list:
            bursts = []
            for run in range(args.runs):
                b = burst(urls, users, args.turns, args.questions, run=users * 100 + run)
                bursts.append(b)
                print(f"  {backend:<10} replicas={replicas} users={users} run {run + 1}: {b.answers / b.wall_s:5.1f} turns/s, "
                      f"p50 {pct(b.turn_s, 0.5) * 1000:,.0f} ms, p95 {pct(b.turn_s, 0.95) * 1000:,.0f} ms, "
                      f"errors {len(b.errors)}, lost {b.lost}, duplicated {b.duplicated}, foreign {b.foreign}", flush=True)
                for e in b.errors[:3]:
                    print("    " + e, flush=True)
            rows.append(Row(backend, replicas, users, bursts, []))
        rss = [peak_rss_mb(p.pid) for p in procs]  # peak over this configuration's whole life
        for row in rows:
            row.rss_mb = rss
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, nargs="+", default=[20, 40], help="concurrent interviews per burst")
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2], choices=(1, 2, 3, 4))
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"], choices=("sqlite", "postgresql"))
    parser.add_argument("--turns", type=int, default=2, help="answers per interview")
    parser.add_argument("--questions", type=int, default=2, help="questions per interview (1-6)")
    parser.add_argument("--runs", type=int, default=3, help="bursts per configuration (figures are their medians)")
    args = parser.parse_args()
    os.environ.update(GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", NO_PROXY="127.0.0.1,localhost")

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-replicas-") as tmp, ExitStack() as stack:
        root = Path(tmp)
        chroma = stack.enter_context(chroma_server(root))
        shared = {"INTERVIEWER_CHROMA_URL": chroma}
        cli(clean_env(INTERVIEWER_DATA_DIR=str(root / "ops"), **shared), "ingest")  # once, as an operator would
        pg = stack.enter_context(postgres_server()) if "postgresql" in args.backends else None
        print(f"{os.cpu_count()} CPU(s); offline; {args.turns} answers per interview; {args.runs} burst(s) per row; "
              f"Chroma server + {'PostgreSQL + ' if pg else ''}replicas all on this machine", flush=True)
        for backend in args.backends:
            for replicas in args.replicas:
                rows += run_config(root, backend, replicas, args.users, args, shared, pg)

    print()
    print("| store | replicas | users | turns/s | turn p50 ms | turn p95 ms | errors | lost/dup/foreign/misordered "
          "turns | interviews | peak RSS per replica MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(row.line())
    return 0 if all(r.clean for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
