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
