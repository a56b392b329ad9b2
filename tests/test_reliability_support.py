"""Shared helpers for the reliability tests (issue 7): an LLM-mode app context, a served app
driven by ``gradio_client``, and the app as a real subprocess (``interviewer serve``).

No tests here. Everything listens on 127.0.0.1 only, on free ports; every wait is a bounded loop.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from interviewer.settings import Settings

from conftest import KNOWLEDGE, REPO
from procs import stop
from test_ui_support import free_port

# A decent, mid-quality answer for any backend/system-design question: always leaves gaps to probe.
ANSWER = ("I'd start from the requirements and pick Postgres with read replicas because reads dominate, "
          "and put a Redis cache in front of it, accepting some staleness for lower latency.")
CLARIFY = "How many requests per second do we expect?"


def offline_settings(data_dir: Path, **update) -> Settings:
    """Settings with a private data dir and no LLM, whatever the environment says."""
    values = dict(data_dir=data_dir, knowledge_dir=KNOWLEDGE, llm_model="", llm_base_url="", llm_api_key="")
    return Settings(_env_file=None, **{**values, **update})


def llm_context(settings: Settings, guide, embedder, index):
    """An :class:`AppContext` wired like ``build_context`` (judged grader, LLM interviewer from settings)."""
    from interviewer import services
    from interviewer.grading import Grader
    from interviewer.interview.context import guide_notes
    from interviewer.store import SQLiteSessionStore
    from interviewer.ui import AppContext

    base = Grader(embedder, guide, max_chars=settings.max_answer_chars)
    return AppContext(
        settings=settings, guide=guide, store=SQLiteSessionStore(settings.sessions_db),
        make_grader=lambda: services.build_judged_grader(settings, grader=base),
        make_interviewer=lambda: services.build_interviewer(settings, grader=base, retriever=guide_notes),
        make_index=lambda: index,
    )


def client_for(url: str):
    from gradio_client import Client

    return Client(url, verbose=False)


def clean_env(**extra: str) -> dict[str, str]:
    """The test process's environment without any INTERVIEWER_/OpenAI settings, plus ``extra``."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("INTERVIEWER_") and k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    env.update(GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False",
               PYTHONUNBUFFERED="1", NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    env.update(extra)
    return env


class AppProcess:
    """``python -m interviewer.cli serve`` (or ``app.py``) as a subprocess with its own data dir and port."""

    def __init__(self, data_dir: Path, *, env: dict[str, str] | None = None, log: Path | None = None,
                 command: list[str] | None = None, cwd: Path | None = None):
        self.data_dir, self.port = data_dir, free_port()
        self.log = log or data_dir.parent / f"app-{self.port}.log"
        self.env = clean_env(INTERVIEWER_DATA_DIR=str(data_dir), INTERVIEWER_PORT=str(self.port), **(env or {}))
        self.command = command or [sys.executable, "-m", "interviewer.cli", "serve"]
        self.cwd = cwd or REPO
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self, timeout_s: float = 120) -> "AppProcess":
        self._fh = open(self.log, "ab")
        self.proc = subprocess.Popen(self.command, cwd=self.cwd, env=self.env, stdout=self._fh, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited with {self.proc.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url + "gradio_api/info", timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.25)
        raise RuntimeError(f"the app did not answer within {timeout_s}s:\n{self.output()}")

    def kill9(self) -> None:
        """SIGKILL: no shutdown hooks, no flushing — a crash."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
        if getattr(self, "_fh", None):
            self._fh.close()

    def output(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""


@contextmanager
def app_process(data_dir: Path, **kw):
    app = AppProcess(data_dir, **kw).start()
    try:
        yield app
    finally:
        app.stop()


def wait_until(predicate, timeout_s: float = 30, step_s: float = 0.05) -> bool:
    """Poll ``predicate`` until it is true or ``timeout_s`` passed (a bounded loop, no bare sleeps)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step_s)
    return bool(predicate())
