"""All benchmarks in one go: interview prompt tokens, the index (ingest, search, RSS) and grading throughput.

Each part runs in its own process so peak-RSS figures are not mixed. Run: make bench
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    for script in ("bench_tokens.py", "bench_index.py", "bench_grading.py"):
        print(f"== {script}", flush=True)
        code = subprocess.call([sys.executable, str(HERE / script)])
        if code:
            sys.exit(code)
