"""Grading's matrix products run BLAS on one thread.

Every product the grader computes is small (an answer's few dozen sentence vectors against a
point's hundred exemplars, 384 wide). OpenBLAS splits even these across its threads, and on a
busy two-core machine — the ONNX models' own worker threads run beside it — the hand-offs cost
more than the sums: a point's exemplar lookup took 290 ms threaded and 0.9 ms on one thread
(``scripts/bench_grading.py`` times the whole grader). The limit holds only while an answer is
graded; code around the grader (fitting, evals) keeps its threads.
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from functools import cache

from threadpoolctl import ThreadpoolController


@cache
def _controller() -> ThreadpoolController:
    # Built once: finding the loaded BLAS libraries takes ~0.4 ms, switching their threads ~10 µs.
    return ThreadpoolController()


def one_blas_thread() -> AbstractContextManager:
    """A context in which BLAS uses one thread (the previous count is restored on exit).

    The count is process-wide: two answers graded at once in two threads may briefly see the
    other's setting, which changes only speed, never a score."""
    return _controller().limit(limits=1, user_api="blas")
