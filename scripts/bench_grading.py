"""Grading throughput and memory: ~150-word answers, rubric embeddings cached.

Prints answers/s (median of 5 runs over distinct answers, so answer embeddings are
never cache hits) and peak RSS. Run: .venv/bin/python scripts/bench_grading.py
"""
from __future__ import annotations

import random
import resource
import statistics
import time

from interviewer.embeddings import MiniLMEmbedder
from interviewer.grading import Grader
from interviewer.guide import load_guides
from interviewer.settings import REPO_ROOT

SENTENCES = [
    "First I'd clarify the expected load, say {n}k requests per second, and the latency budget.",
    "I'd put a load balancer in front and keep the services stateless so we can scale horizontally.",
    "Data gets sharded by user id because most queries are per user, with read replicas for reporting.",
    "We'd cache hot keys in Redis with a TTL of {n} seconds, accepting slightly stale reads.",
    "The trade-off is consistency versus latency; for payments I'd rather be consistent and slower.",
    "Asynchronous work goes through Kafka so spikes don't hit the database directly.",
    "We monitor p99 latency, error rate and saturation, and alert with runbooks attached.",
    "At my last company we moved to this design and cut latency by {n}% over two quarters.",
    "Rollouts are canary first, {n}% of traffic, with automatic rollback on error budgets.",
    "I'd use circuit breakers and retries with backoff between services to avoid cascades.",
    "Schema changes are backwards compatible so old and new versions can run side by side.",
    "Security-wise, tokens are validated at the gateway and secrets live in a vault.",
]


def make_answer(rng: random.Random) -> str:
    picked = rng.sample(SENTENCES, 9)
    return " ".join(s.format(n=rng.randint(2, 99)) for s in picked)


def main(n: int = 200) -> None:
    guide = load_guides([REPO_ROOT / "knowledge"])
    grader = Grader(MiniLMEmbedder(), guide)
    questions = guide.questions
    rng = random.Random(7)
    grader.grade(questions[0], make_answer(rng))  # load the model
    for q in questions:  # cache rubric embeddings, as a long-running app would have
        grader.grade(q, "warm up the rubric cache for this question")
    words = []
    rates = []
    for _ in range(5):
        answers = [make_answer(rng) for _ in range(n)]
        words += [len(a.split()) for a in answers]
        t = time.perf_counter()
        for i, a in enumerate(answers):
            grader.grade(questions[i % len(questions)], a)
        rates.append(n / (time.perf_counter() - t))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"answers: {n} x 5 runs, median {statistics.median(words):.0f} words each")
    print(f"throughput: median {statistics.median(rates):.1f} answers/s (runs: {', '.join(f'{r:.1f}' for r in rates)})")
    print(f"peak RSS: {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
