"""The point × text cross-encoder: reads a rubric point and a sentence together.

A bi-encoder compares two separately embedded texts and cannot tell "we had monitoring" from
"we monitored hit rate, latency and memory"; a cross-encoder attends across both. Ours is
all-MiniLM-L6-v2 fine-tuned on the blind-labelled guide points (``evals/train_cross_encoder.py``),
shipped as int8 ONNX under ``models/cross_encoder/`` with its licence and training command in
``MODEL.md``, and run with onnxruntime (no torch). Loaded lazily on first use.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from interviewer.onnx_runs import run_each, worker_pool

MODEL_DIR = Path(__file__).with_name("models") / "cross_encoder"
MAX_LEN = 128
# One pair per run (interviewer/onnx_runs.py): batched, a pair's logit moved with the pairs beside
# it (by 0.24 on average, up to 1.6, on 400 answer sentences), so a point's judgement depended on
# the answer's other sentences; one at a time it runs at the same speed on CPU (163 vs 156 pairs/s).


class CrossEncoder:
    """Scores (point, text) pairs: a logit, higher = the text states the point."""

    name = "minilm-l6-cross-encoder-int8-7bit"

    def __init__(self, model_dir: Path = MODEL_DIR, cache_size: int = 50_000):
        self.model_dir = model_dir
        self._session = None
        self._tokenizer = None
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._cache_size = cache_size

    @staticmethod
    def available(model_dir: Path = MODEL_DIR) -> bool:
        """Is a trained model shipped?"""
        return (model_dir / "model.onnx").exists() and (model_dir / "tokenizer.json").exists()

    def _load(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        # Without graph optimisations and memory patterns no float copies or per-shape buffers are
        # kept — less memory for the same logits (the shipped outputs were fitted this way).
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        opts.enable_mem_pattern = False
        # One core per run, pairs side by side (onnx_runs): a single short pair gains little
        # from two cores, and a run has no idle intra-op workers left to spin on both cores between
        # the numpy steps (the exemplar likeness, the trees) and slow them down.
        opts.intra_op_num_threads = 1
        self._session = ort.InferenceSession(str(self.model_dir / "model.onnx"), sess_options=opts, providers=["CPUExecutionProvider"])
        tok = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        tok.enable_truncation(max_length=MAX_LEN)
        tok.no_padding()  # one pair per run: padding would only enter the activations' scale
        self._tokenizer = tok
        self._pool = worker_pool("cross-encoder")

    def score(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """One logit per (point, text) pair, cached per pair."""
        out = np.zeros(len(pairs), dtype=np.float32)
        todo: dict[tuple[str, str], list[int]] = {}
        with self._lock:
            for i, pair in enumerate(pairs):
                hit = self._cache.get(pair)
                if hit is None:
                    todo.setdefault(pair, []).append(i)
                else:
                    out[i] = hit
            if not todo:
                return out
            if self._session is None:
                self._load()
            pending = list(todo)
            encs = self._tokenizer.encode_batch(pending)
            runs = run_each(self._run, encs, self._pool)
            for pair, value in zip(pending, runs):
                self._cache[pair] = value
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
                for i in todo[pair]:
                    out[i] = value
        return out

    def _run(self, enc) -> float:
        """One pair's logit (one pair per run: see interviewer/onnx_runs.py)."""
        feed = {"input_ids": np.array([enc.ids], dtype=np.int64),
                "attention_mask": np.array([enc.attention_mask], dtype=np.int64),
                "token_type_ids": np.array([enc.type_ids], dtype=np.int64)}
        (logits,) = self._session.run(None, feed)
        return float(logits[0, 0])
