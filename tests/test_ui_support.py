"""Shared helpers for the UI, API and browser tests (fixtures are imported by those modules).

One Chroma index is ingested per test session and shared read-only; every test gets its
own data dir and session store, so tests never see each other's sessions.
"""
from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from interviewer.settings import Settings

from conftest import KNOWLEDGE


# Gradio's queue calls pandas APIs that pandas 3 deprecates; not ours to fix, and not worth the noise.
GRADIO_PANDAS_WARNINGS = [
    pytest.mark.filterwarnings("ignore:.*no_silent_downcasting.*"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def guide_index(tmp_path_factory, guide, embedder):
    """The shipped guide, ingested once into a private Chroma folder."""
    from interviewer.index import GuideIndex

    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("ui-index"), knowledge_dir=KNOWLEDGE)
    index = GuideIndex(settings, embedder)
    index.ingest(guide, progress=False)
    yield index
    index.close()


def make_context(settings, guide, embedder, index, llm=None, clock=None):
    """An :class:`AppContext` like ``build_context`` makes, with the test's embedder, index and LLM."""
    from interviewer import services
    from interviewer.grading import Grader
    from interviewer.store import SQLiteSessionStore
    from interviewer.ui import AppContext

    build_interviewer = getattr(services, "build_interviewer", None)

    def make_interviewer():
        if build_interviewer is not None:
            return build_interviewer(settings, llm=llm, clock=clock, grader=Grader(embedder, guide), judge_llm=llm)
        from interviewer.interview import Interviewer  # until services.build_interviewer lands

        return Interviewer(guide, Grader(embedder, guide), llm=llm, clock=clock)

    return AppContext(
        settings=settings,
        guide=guide,
        store=SQLiteSessionStore(settings.sessions_db),
        make_grader=lambda: Grader(embedder, guide),
        make_interviewer=make_interviewer,
        make_index=lambda: index,
    )


@pytest.fixture
def ui_ctx(settings, guide, embedder, guide_index):
    """An offline app context over a private data dir."""
    return make_context(settings, guide, embedder, guide_index)


def needs_engine() -> None:
    try:
        from interviewer.interview import Interviewer  # noqa: F401
    except ImportError:
        pytest.skip("the interview engine (interviewer.interview.Interviewer) is not in this build yet")


@contextmanager
def launched(ctx) -> Iterator[str]:
    """Serve the app for ``ctx`` on a free 127.0.0.1 port; yields its URL and closes it after."""
    from interviewer.ui import build_app, launch_app

    app = build_app(ctx)
    _, url, _ = launch_app(app, ctx, block=False, warm_up=False, server_name="127.0.0.1", server_port=free_port())
    try:
        yield url
    finally:
        app.close()


# A candidate answers the question the interviewer asked (the mixed track picks any of the 16): a
# mid-quality answer per guide question, on topic, leaving gaps to follow up on. An answer to
# another problem is put back to the candidate rather than graded, so a script that sends one
# answer whatever was asked would never see a scorecard.
ON_TOPIC = {
    "design-a-payment-processing-system-for-a-fintech-company":
        "First I'd clarify requirements: transactions per second, latency targets, uptime and PCI DSS compliance. An API "
        "gateway does rate limiting and authentication; Kafka gives async payment processing, chosen over RabbitMQ for replay.",
    "design-a-real-time-notification-system":
        "I'd ask how many users and which channels: push, email, SMS. Producers publish events to Kafka, a fan-out service "
        "reads user preferences and hands each notification to a channel worker; WebSockets keep browsers up to date in real time.",
    "how-would-you-scale-a-system-from-1m-to-100m-users":
        "Make the app servers stateless behind a load balancer so we can add instances, put a CDN and a Redis cache in front "
        "of hot reads, add read replicas, and shard the database by user id once one primary cannot take the writes.",
    "design-a-distributed-cache-system":
        "I'd use consistent hashing with virtual nodes so keys spread evenly across cache nodes, replicate each shard to a "
        "second node for availability, evict with LRU and expire entries with a TTL so stale data does not live forever.",
    "explain-the-differences-between-rest-and-graphql-apis":
        "REST gives each resource its own URL and uses HTTP verbs, so responses cache well in CDNs; GraphQL is one endpoint "
        "where the client asks for exactly the fields it needs, which avoids over-fetching but makes caching harder.",
    "how-do-you-handle-database-transactions-and-consistency":
        "I keep ACID transactions short in Postgres and pick the isolation level per use case, SERIALIZABLE for transfers with "
        "a retry on serialization failure. Across services I avoid two-phase commit and use the outbox pattern with a saga.",
    "how-do-you-optimize-frontend-performance":
        "I measure first with Lighthouse and the Core Web Vitals, then split the bundle and lazy-load routes, compress and "
        "resize images, serve static assets from a CDN with long cache headers, and memoise expensive React renders.",
    "how-do-you-handle-state-management-in-large-applications":
        "I keep server state in React Query so caching and refetching are handled, local UI state in components, and only "
        "truly global state like the signed-in user in a small Redux or Zustand store, with normalised data to avoid duplicates.",
    "when-would-you-choose-microservices-over-monolith":
        "I'd start with a modular monolith for a small team and split into microservices when teams need to deploy "
        "independently or one part needs to scale on its own, accepting the cost of network calls and distributed debugging.",
    "how-do-you-handle-service-to-service-communication":
        "Synchronous calls over REST or gRPC when the caller needs the answer now, with timeouts, retries and a circuit "
        "breaker; asynchronous events on Kafka when it does not, so a slow service does not take its callers down.",
    "how-do-you-design-a-data-warehouse":
        "I'd load data from the source systems with ELT into a columnar warehouse like Snowflake, model it as a star schema "
        "with fact tables and dimension tables, partition the big facts by date and give analysts a BI tool on top.",
    "how-do-you-design-a-ci-cd-pipeline":
        "Every push runs lint and unit tests, then we build one Docker image and deploy it to staging for integration tests; "
        "production goes out as a canary with automatic rollback when the error rate rises, and Terraform manages the infrastructure.",
    "how-do-you-handle-monitoring-and-observability":
        "Each service exports its latency, traffic, errors and saturation to Prometheus, and Grafana dashboards show them. "
        "Logs go to ELK as JSON with a request id so we can follow one request, and alerts fire on SLO burn rate and page the on-call.",
    "how-do-you-handle-technical-disagreements-in-your-team":
        "I first make sure I understand the other engineer's view, then we agree on the criteria, like cost, risk and time, "
        "and compare the options against them with data or a small spike; if we still disagree, the owner decides and we commit.",
    "how-do-you-mentor-and-develop-your-team":
        "I hold regular one-to-ones, agree a growth plan with each engineer, give them stretch work with support, and pair "
        "on code reviews so the feedback is specific; I mentored one engineer who became a tech lead within a year.",
    "how-do-you-estimate-and-plan-large-technical-projects":
        "I break the project into milestones and tasks small enough to estimate, estimate with the team using ranges, add a "
        "buffer for unknowns, start with a spike on the riskiest part, and track progress every week against the plan.",
}


def on_topic_answer(guide, shown: str) -> str:
    """The scripted answer to whichever guide question appears in ``shown`` (the chat so far)."""
    hits = [(shown.rfind(q.text.rstrip(".?")), q.id) for q in guide.questions if q.text.rstrip(".?") in shown]
    assert hits, f"no guide question in: {shown[-300:]}"
    return ON_TOPIC[max(hits)[1]]
