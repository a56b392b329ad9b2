"""Markdown and JSON downloads of transcripts, scorecards and reports.

Files go to a private temp folder (Gradio serves them from there). Every export passes
through :func:`interviewer.ui.errors.redact`, and nothing here reads settings other than
the secret values to scrub: a session or scorecard never carries the API key, and this is
the second line of defence should that ever change.
"""
from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from interviewer.interview.guard import redact

EXPORT_DIR = Path(tempfile.gettempdir()) / "interviewer-exports"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "export"


def write_pair(stem: str, markdown: str, data: Any, secrets: tuple[str, ...] = ()) -> tuple[str, str]:
    """Write ``<stem>.md`` and ``<stem>.json`` into a fresh folder; returns both paths."""
    folder = Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%d-%H%M%S-"), dir=_ensure_dir()))
    name = _slug(stem)
    md_path, json_path = folder / f"{name}.md", folder / f"{name}.json"
    md_path.write_text(redact(markdown, secrets), encoding="utf-8")
    json_path.write_text(redact(json.dumps(data, ensure_ascii=False, indent=2), secrets), encoding="utf-8")
    return str(md_path), str(json_path)


def _ensure_dir() -> Path:
    EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    return EXPORT_DIR


def draft_markdown(question: str, draft: str, card_markdown: str, reference: str = "") -> str:
    """A draft-feedback export: the question, the draft as written, and the scorecard."""
    quoted = "\n".join(f"> {line}" if line else ">" for line in draft.splitlines())
    parts = [f"# Draft feedback — {question}", "", f"_Exported {time.strftime('%Y-%m-%d %H:%M')}_", ""]
    if reference:
        parts += ["## Model answer (yours)", "", reference.strip(), ""]
    parts += ["## Your draft", "", quoted, "", card_markdown]
    return "\n".join(parts)
