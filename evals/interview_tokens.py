"""Prompt tokens of one scripted mock interview against a logging OpenAI-compatible stub.

The interview issue 11 measured: default settings with a model configured, six questions
(mixed tracks), twenty candidate messages, the LLM judge on. The stub (``tests/fake_openai.py``)
logs every prompt and counts its tokens with tiktoken, as a server would; it phrases each
interviewer turn as the engine's draft and agrees with every judge score, like a well-behaved
model. Guide notes are the question's own index chunks (what the Chroma retriever returns),
built without an index so the run needs no ingest.

Floors (issue 11): the median of the last five interviewer prompts ≤ 1.2 × the median of
calls 2-6 (flat, not growing), and all prompt tokens (interviewer + judge) ≤ 50 % of the
51,284 a comparable IliaLarchenko/Interviewer interview uses.

Used by ``scripts/bench_tokens.py`` (``make bench``) and ``tests/test_interview_tokens.py``.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path

PEER_TOTAL = 51_284  # prompt tokens of a comparable IliaLarchenko/Interviewer interview
TOTAL_SHARE = 0.5
GROWTH_MAX = 1.2
SESSION_ID = "bench-tokens"
QUESTIONS = 6

# Twenty messages a candidate might send, in order, whatever the question: mostly answers of
# 40-90 words, with a clarifying question, an "I don't know" and a hint request on the way.
ANSWERS = [
    "I'd first pin down scale: roughly 2 million daily users, peaks of 3k requests per second, and p99 under 300 ms. "
    "Availability matters more than strict consistency for most reads, so I'd design for 99.9% and replicate across two zones.",
    "For the core I'd put a load balancer in front of stateless services, keep state in Postgres with read replicas, and "
    "push slow work onto a queue so user-facing calls stay fast. Redis caches the hot reads.",
    "The trade-off with the queue is eventual consistency: users may see stale status for a second or two, which I'd "
    "accept here because it buys us isolation from downstream outages.",
    "How many regions do we need to serve?",
    "Then I'd start in one region with a warm standby in a second, and only go active-active if latency for far users "
    "becomes a problem, because multi-region writes add conflict handling we'd rather avoid early.",
    "At my last company we did something similar for order processing: moving to a queue cut p99 latency by 40% and "
    "we survived a payment provider outage without losing a single order.",
    "I don't know",
    "I'd monitor the golden signals per service, alert on SLO burn rate rather than raw thresholds, and keep runbooks "
    "next to each alert so on-call can act quickly.",
    "For data I'd separate the write model from read models, and rebuild read models from the event log if needed.",
    "hint",
    "I'd invalidate cache entries on write and use short TTLs as a safety net, accepting a small window of staleness.",
    "Security-wise: TLS everywhere, tokens validated at the gateway, least-privilege service accounts, and audit logs "
    "for anything touching money or personal data.",
    "I'd version the API from day one and keep old versions alive for a deprecation window so clients can migrate.",
    "Testing would be layered: unit tests, contract tests between services, and a small set of end-to-end smoke tests "
    "that run on every deploy.",
    "Deploys go out behind feature flags with canaries at 5% of traffic, and we roll back automatically when error "
    "rates rise above the baseline.",
    "When engineers disagree I ask each to write down the options with their costs, we agree on the criteria first, "
    "and then the decision is usually obvious; if not, the owner decides and we revisit after a month.",
    "I mentor by pairing on real work, giving people ownership of a component, and having a weekly one-on-one where "
    "they set the agenda.",
    "For estimates I break the work into pieces no larger than a week, add explicit buffers for unknowns, and "
    "re-estimate every sprint as we learn.",
    "The biggest risk I'd flag is the external dependency: we'd need timeouts, retries with backoff and a circuit "
    "breaker so one slow provider cannot take the whole system down.",
    "If load grew 10x I'd expect the database to break first, so I'd shard by customer id and move analytics off "
    "the primary.",
]


@dataclass
class TokenReport:
    """Prompt tokens per call, as the stub counted them."""

    interviewer: list[int]
    judge: list[int]
    answers: int
    questions: int

    @property
    def total(self) -> int:
        return sum(self.interviewer) + sum(self.judge)

    @property
    def per_turn(self) -> float:
        return self.total / max(1, self.answers)

    @property
    def growth(self) -> float:
        """Median of the last five interviewer prompts over the median of calls 2-6."""
        early, late = self.interviewer[1:6], self.interviewer[-5:]
        return statistics.median(late) / statistics.median(early) if early and late else 0.0

    @property
    def floor_total(self) -> int:
        return int(PEER_TOTAL * TOTAL_SHARE)

    def failures(self) -> list[str]:
        """The floors this run misses (empty when it meets both)."""
        out = []
        if self.growth > GROWTH_MAX:
            out.append(f"interviewer prompts grow: late/early median {self.growth:.2f} > {GROWTH_MAX}")
        if self.total > self.floor_total:
            out.append(f"{self.total:,} prompt tokens > {self.floor_total:,} ({TOTAL_SHARE:.0%} of {PEER_TOTAL:,})")
        return out

    def lines(self) -> list[str]:
        """A human-readable summary for the benchmark."""
        i = self.interviewer
        return [
            f"interview: {QUESTIONS}-question plan ({self.questions} reached), {self.answers} candidate messages, "
            f"{len(i)} interviewer calls + {len(self.judge)} judge calls",
            f"prompt tokens per interview: {self.total:,} (interviewer {sum(i):,}, judge {sum(self.judge):,}); "
            f"floor {self.floor_total:,} = {TOTAL_SHARE:.0%} of the peer's {PEER_TOTAL:,}",
            f"prompt tokens per turn: {self.per_turn:,.0f} (interviewer call min/median/max {min(i)}/{statistics.median(i):.0f}/{max(i)})",
            f"growth: median of the last 5 interviewer calls / median of calls 2-6 = {self.growth:.2f} (floor {GROWTH_MAX})",
        ]


_DRAFT = re.compile(r"Engine draft[^\n]*\n(.*?)\n\s*\nReply with", re.S)


def stub_reply(body: dict) -> str:
    """What the logging stub answers: the judge agrees; the interviewer says the engine's draft."""
    messages = body.get("messages", [])
    if not body.get("stream"):
        return '{"adjustments": []}'
    m = _DRAFT.search(str(messages[-1].get("content") or "")) if messages else None
    return m.group(1).strip() if m else "Let's continue."


def guide_chunks_retriever(guide):
    """The question's non-example chunks, exactly as the Chroma retriever returns them."""
    from interviewer.index.chunks import chunk_guide

    chunks = chunk_guide(guide)

    def retrieve(question) -> list[str]:
        return [c.text for c in chunks if c.metadata.get("question_id") == question.id and c.metadata.get("kind") != "example"]

    return retrieve


def run(server, data_dir: Path, knowledge_dir: Path, grader=None) -> TokenReport:
    """Play the scripted interview against ``server`` (a started ``FakeOpenAI``) and measure it."""
    from pydantic import SecretStr

    from interviewer.interview import InterviewPlan
    from interviewer.services import build_interviewer, load_guide
    from interviewer.settings import Settings

    server.responder = stub_reply
    settings = Settings(_env_file=None, data_dir=data_dir, knowledge_dir=knowledge_dir, llm_model="gpt-4o-mini",
                        llm_base_url=server.url, llm_api_key=SecretStr("sk-bench-not-a-real-key"))
    clock = iter(range(10**6))
    iv = build_interviewer(settings, clock=lambda: 1_000_000.0 + 45 * next(clock), grader=grader,
                           retriever=guide_chunks_retriever(load_guide(settings)))
    start = len(server.prompts)
    s = iv.start(InterviewPlan(tracks=["mixed"], n_questions=QUESTIONS), session_id=SESSION_ID)
    sent = 0
    for message in ANSWERS:
        if s.finished:
            break
        "".join(iv.reply(s, message))
        sent += 1
    iv.end(s)
    logged = server.prompts[start:]
    return TokenReport(interviewer=[p.prompt_tokens for p in logged if p.stream],
                       judge=[p.prompt_tokens for p in logged if not p.stream], answers=sent,
                       questions=sum(r.status != "open" for r in s.records))
