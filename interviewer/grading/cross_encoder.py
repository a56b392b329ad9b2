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
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).with_name("models") / "cross_encoder"
MAX_LEN = 128
# One pair per run. The int8 model quantises its activations with one scale per input tensor, so
# in a batch a pair's logit moved with the other pairs beside it (by 0.24 on average, up to 1.6, on
# 400 answer sentences): a point's judgement depended on the answer's other sentences, and through
# the cache on whatever was graded first. One at a time it depends on the pair alone, at the same
# speed on CPU (no padding: 163 vs 156 pairs/s).
BATCH = 1


class CrossEncoder:
    """Scores (point, text) pairs: a logit, higher = the text states the point."""

    name = "minilm-l6-cross-encoder-int8"

    def __init__(self, model_dir: Path = MODEL_DIR, cache_size: int = 50_000):
        self.model_dir = model_dir
        self._session = None
        self._tokenizer = None
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
        # As for the embedder (interviewer/embeddings.py): without graph optimisations the int8
        # weights are not folded into float copies, and without memory patterns no buffers are
        # kept per batch shape — less memory for the same logits.
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        opts.enable_mem_pattern = False
        # Each answer's few pairs are scored between numpy steps (the exemplar likeness, the trees);
        # ONNX Runtime's idle workers otherwise spin on both cores and slow those steps down.
        # Measured (scripts/bench_grading.py, 80 long answers): eval 20.8 -> 18.8 s, one by one 40.9
        # -> 35.0 s, a sixth less CPU. Not for the embedder: it serves search, whose single short
        # queries take ~2.5 ms longer without spinning.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(self.model_dir / "model.onnx"), sess_options=opts, providers=["CPUExecutionProvider"])
        tok = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        tok.enable_truncation(max_length=MAX_LEN)
        tok.enable_padding(pad_id=0, pad_token="[PAD]")
        self._tokenizer = tok

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
            pending = sorted(todo, key=lambda p: len(p[0]) + len(p[1]))
            for start in range(0, len(pending), BATCH):
                chunk = pending[start : start + BATCH]
                encs = self._tokenizer.encode_batch(chunk)
                feed = {"input_ids": np.array([e.ids for e in encs], dtype=np.int64),
                        "attention_mask": np.array([e.attention_mask for e in encs], dtype=np.int64),
                        "token_type_ids": np.array([e.type_ids for e in encs], dtype=np.int64)}
                (logits,) = self._session.run(None, feed)
                for pair, value in zip(chunk, logits[:, 0]):
                    self._cache[pair] = float(value)
                    if len(self._cache) > self._cache_size:
                        self._cache.popitem(last=False)
                    for i in todo[pair]:
                        out[i] = value
        return out
