"""Who a browser session belongs to, for scoping history (no accounts needed).

With ``auth`` on, the logged-in user; otherwise a random id the browser keeps in its local
storage (``gr.BrowserState``). Two browsers therefore never list each other's sessions.
"""
from __future__ import annotations

import uuid

import gradio as gr


def owner_of(owner: str | None, request: gr.Request | None) -> str:
    """The owner key to store and list sessions under."""
    username = getattr(request, "username", None) if request is not None else None
    return f"user:{username}" if username else (owner or "anonymous")


def ensure_owner(owner: str | None) -> str:
    """On page load: keep this browser's id, or mint one (stored back into local storage)."""
    return owner if owner and len(owner) <= 64 else f"browser:{uuid.uuid4().hex}"
