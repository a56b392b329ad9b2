"""Stopping a server subprocess the same way everywhere (tests and the benchmarks in scripts/):
SIGTERM, a grace period for shutdown hooks, then SIGKILL."""
from __future__ import annotations

import subprocess


def stop(proc: subprocess.Popen, grace_s: float = 15.0) -> None:
    """Terminate ``proc`` and wait for it; kill it if it outlives ``grace_s`` seconds."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
