"""Building the app's services from settings: the one place that wires them.

:class:`Services` is what the app (``ui/context.py``), the named API and the CLI commands
build; the ``build_*`` functions are its parts (tests build single parts with fakes).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from interviewer.guide import Guide, load_guides
from interviewer.lazy import LazyCache
from interviewer.settings import Settings
from interviewer.tokens import seed_tiktoken_cache

if TYPE_CHECKING:
    from interviewer.interview_service import InterviewService
    from interviewer.store import SessionStore


def load_guide(settings: Settings) -> Guide:
    """The guide(s) in the knowledge folder, parsed (cached per folder and mtimes)."""
    folder = Path(settings.knowledge_dir)
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*") if p.is_file())) if folder.is_dir() else ()
    return _load_cached(str(folder), stamp)


@lru_cache(maxsize=4)
def _load_cached(folder: str, stamp: tuple) -> Guide:
    return load_guides([Path(folder)])


def prepare_offline(settings: Settings) -> None:
    """Make token counting work without network (idempotent)."""
    seed_tiktoken_cache(Path(settings.data_dir) / "tiktoken")


def build_grader(settings: Settings):
    """The offline rubric grader over the configured guide and embedder."""
    from interviewer.embeddings import build_embedder
    from interviewer.grading import Grader

    return Grader(build_embedder(settings), load_guide(settings), max_chars=settings.max_answer_chars)


def build_index(settings: Settings):
    """The Chroma guide index (embedded or server, per settings); opens lazily."""
    from interviewer.embeddings import build_embedder
    from interviewer.index import GuideIndex

    return GuideIndex(settings, build_embedder(settings))


# --------------------------------------------------------------------------- LLM, judge, interviewer


def build_llm(settings: Settings, *, temperature: float | None = None, streaming: bool = True):
    """The configured chat model (LangChain ``ChatOpenAI``), or ``None`` in offline mode."""
    if not settings.llm_enabled:
        return None
    from interviewer.llm import build_chat_model

    return build_chat_model(settings, temperature=temperature, streaming=streaming)


def build_judged_grader(settings: Settings, llm=None, grader=None):
    """The grader with the LLM judge when an LLM is configured and ``llm_judge`` is on; else the plain grader.

    ``llm`` replaces the model built from settings (tests pass the shared fake here).
    """
    grader = grader or build_grader(settings)
    if not settings.llm_judge or (llm is None and not settings.llm_enabled):
        return grader
    from interviewer.grading.judge import JudgedGrader

    # The judge scores at temperature 0, whatever temperature the interviewer phrases at.
    llm = llm if llm is not None else build_llm(settings, temperature=0.0, streaming=False)
    return JudgedGrader(grader, llm, model=settings.llm_model)


def build_interview_service(settings: Settings, interviewer, store) -> "InterviewService":
    """The interview service every door uses, over ``interviewer`` and ``store`` (secrets from settings)."""
    from interviewer.interview_service import InterviewService

    return InterviewService(interviewer, store, secrets=(settings.llm_api_key.get_secret_value(),),
                            max_answer_chars=settings.max_answer_chars)


def _index_retriever(open_index):
    """Guide chunks of a question from the Chroma index ``open_index()`` returns (called on first use), by question id."""
    state: dict = {}

    def retrieve(question) -> list[str]:
        if "index" not in state:
            state["index"] = open_index()
        chunks = state["index"].chunks_for_question(question.id)
        return [c.text for c in chunks if c.metadata.get("kind") != "example"]  # never the example answer

    return retrieve


def build_interviewer(settings: Settings, llm=None, retriever=None, clock=None, *, grader=None, judge_llm=None):
    """The mock interviewer: LLM phrasing when ``llm`` is given or configured, else offline.

    ``retriever(question) -> list[str]`` supplies guide notes for the LLM prompt (default:
    the Chroma index, falling back to the guide itself); ``clock`` returns seconds (tests
    pass a fake one). The judge refines final per-question scores when configured.
    """
    from interviewer.interview import Interviewer

    prepare_offline(settings)
    grader = grader or build_grader(settings)
    llm = llm if llm is not None else build_llm(settings)
    judge = None
    if settings.llm_enabled and settings.llm_judge:
        judge = build_judged_grader(settings, llm=judge_llm, grader=grader)
    if llm is not None and retriever is None:
        retriever = _index_retriever(lambda: build_index(settings))
    return Interviewer(
        load_guide(settings), grader, llm=llm, model=settings.llm_model, judge=judge, retriever=retriever, clock=clock,
        token_budget=settings.prompt_token_budget, max_turns=settings.max_turns, max_answer_chars=settings.max_answer_chars,
        secrets=(settings.llm_api_key.get_secret_value(),),
    )


# --------------------------------------------------------------------------- everything, once


class Services:
    """Everything the app, the API and the CLI use, built from settings once and lazily (thread-safe).

    This is the one place that picks implementations: one offline grader (so one embedding model
    in memory) under the judge, the interviewer and the index; the store named by the settings,
    opened and migrated at construction so a wrong database URL fails at start-up; and the
    :class:`~interviewer.interview_service.InterviewService` over them. ``llm`` and ``clock``
    replace the configured model and the wall clock (tests pass fakes).
    """

    def __init__(self, settings: Settings, *, llm=None, clock=None, store: "SessionStore | None" = None):
        from interviewer.store import open_configured_store

        prepare_offline(settings)
        Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
        load_guide(settings)  # a broken guide fails start-up before the database is touched (or migrated)
        self.settings, self._llm, self._clock = settings, llm, clock
        self.store = store if store is not None else open_configured_store(settings)
        self._lazy = LazyCache()

    def _get(self, name: str, factory):
        return self._lazy.get(name, factory)

    @property
    def guide(self) -> Guide:
        return load_guide(self.settings)

    @property
    def grader(self):
        """The offline rubric grader (shared by everything below)."""
        return self._get("grader", lambda: build_grader(self.settings))

    @property
    def judged_grader(self):
        """Draft feedback's grader: the judge over the offline grader when an LLM is configured."""
        return self._get("judged", lambda: build_judged_grader(self.settings, llm=self._judge_llm(), grader=self.grader))

    @property
    def interviewer(self):
        # The LLM's guide notes come from this object's one index (and embedder), not a second one.
        return self._get("interviewer", lambda: build_interviewer(
            self.settings, llm=self._llm, clock=self._clock, grader=self.grader, judge_llm=self._judge_llm(),
            retriever=_index_retriever(lambda: self.index)))

    @property
    def index(self):
        from interviewer.index import GuideIndex

        return self._get("index", lambda: GuideIndex(self.settings, self.grader.embedder))

    @property
    def interview_service(self) -> "InterviewService":
        return self._get("service", lambda: build_interview_service(self.settings, self.interviewer, self.store))

    def _judge_llm(self):
        return self._llm  # None: the judge builds its own temperature-0 model from settings


def cli_owner(settings: Settings, given: str | None = None) -> str:
    """Whose history a terminal interview goes to: ``--owner`` (``given``), else ``INTERVIEWER_OWNER``,
    else ``user:<login name>``.

    ``user:<name>`` is the key the app stores a logged-in user's sessions under
    (:func:`interviewer.ui.identity.owner_of`), so with login on they share one History. Without
    login, the key the app's History tab shows (``browser:…``) puts them in that browser's History.
    A mistyped browser key is refused (:func:`interviewer.owners.check_terminal_owner`).
    """
    from interviewer.owners import check_terminal_owner

    if given is not None:
        return check_terminal_owner(given)
    if settings.owner.strip():
        return check_terminal_owner(settings.owner)
    import getpass

    try:
        return f"user:{getpass.getuser()}"
    except Exception:  # no login name (some containers): still one stable owner
        return "user:terminal"
