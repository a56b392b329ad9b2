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
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

WORKERS = 2

In = TypeVar("In")
Out = TypeVar("Out")


def worker_pool(name: str) -> ThreadPoolExecutor:
    """The threads a model's runs share: :data:`WORKERS`, never more than the machine's cores."""
    return ThreadPoolExecutor(max_workers=max(1, min(WORKERS, os.cpu_count() or 1)), thread_name_prefix=name)


def run_each(run: Callable[[In], Out], inputs: Sequence[In], pool: ThreadPoolExecutor) -> Iterable[Out]:
    """``run`` on every input, in order; a single input runs on the caller's thread."""
    return map(run, inputs) if len(inputs) == 1 else pool.map(run, inputs)
