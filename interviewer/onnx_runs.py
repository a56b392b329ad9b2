"""One input per model run, runs side by side: the way both shipped int8 models are run.

The int8 models (the embedder and the cross-encoder) quantise their activations with one scale
per input tensor, so in a batch an input's output moved with the inputs beside it (an embedder
vector's cosine with itself alone 0.946 at worst, 0.991 on average, in batches of 32 on 1,200
answer sentences; a cross-encoder logit by 0.24 on average, up to 1.6): an answer graded alone
and inside `interviewer eval` would read differently. One input per run makes the
output depend on that input only (and nothing is padded); inputs run side by side on
:data:`WORKERS` threads instead, one core each (each session has ``intra_op_num_threads = 1``).
"""
from __future__ import annotations

import os
import platform
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

WORKERS = 2

# On x86 CPUs without VNNI, onnxruntime's u8 x s8 kernels add byte products in pairs into a
# saturating 16-bit sum; VNNI CPUs keep 32 bits. With 8-bit weights (the shipped models until
# 2026-12-07) the same text got another vector (cosine 0.991) and logit (0.15 apart) on the two
# paths; with 7-bit weights (evals/reduce_range.py) no pair can saturate and both compute the
# same. Figures still record which path produced them, since older figures differ by path.
INT8_PATHS = {"vnni": "int8 with VNNI", "avx2": "int8 without VNNI",
              "other": "int8 on a non-x86 CPU", "unknown": "int8, CPU not identified"}

In = TypeVar("In")
Out = TypeVar("Out")


def worker_pool(name: str) -> ThreadPoolExecutor:
    """The threads a model's runs share: :data:`WORKERS`, never more than the machine's cores."""
    return ThreadPoolExecutor(max_workers=max(1, min(WORKERS, os.cpu_count() or 1)), thread_name_prefix=name)


def run_each(run: Callable[[In], Out], inputs: Sequence[In], pool: ThreadPoolExecutor) -> Iterable[Out]:
    """``run`` on every input, in order; a single input runs on the caller's thread."""
    return map(run, inputs) if len(inputs) == 1 else pool.map(run, inputs)


def int8_path(cpuinfo: str | None = None, machine: str | None = None) -> str:
    """Which int8 kernel family onnxruntime uses here: a key of :data:`INT8_PATHS`.

    ``cpuinfo`` is the text of ``/proc/cpuinfo`` (read when not given; other systems give
    ``"unknown"`` on x86)."""
    machine = (machine or platform.machine()).lower()
    if machine not in ("x86_64", "amd64", "i386", "i686", "x86"):
        return "other"
    if cpuinfo is None:
        try:
            with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
                cpuinfo = fh.read()
        except OSError:
            return "unknown"
    flags = {f for line in cpuinfo.splitlines() if line.startswith("flags") for f in line.split(":", 1)[-1].split()}
    if not flags:
        return "unknown"
    return "vnni" if flags & {"avx512_vnni", "avx_vnni"} else "avx2"
