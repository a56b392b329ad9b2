"""Who a browser session belongs to, for scoping history (no accounts needed).

With ``auth`` on, the logged-in user (``user:<name>``); otherwise a random key the browser keeps
in its local storage (``gr.BrowserState``). The browser sends that key with every event, so it is
checked here: only a well-formed ``browser:<32 hex>`` key is taken from a browser — never a
``user:`` key (the terminal's default owner) or ``api`` — so no browser can read another owner's
sessions without holding that owner's random key. See :mod:`interviewer.owners`.
"""
from __future__ import annotations

import gradio as gr

from interviewer.errors import InputError
from interviewer.owners import is_browser_key, new_browser_key


def owner_of(owner: str | None, request: gr.Request | None) -> str:
    """The owner key to store and list sessions under; raises when the browser sent no valid key."""
    username = getattr(request, "username", None) if request is not None else None
    if username:
        return f"user:{username}"
    if not is_browser_key(owner):
        raise InputError("This page has no valid history key yet: reload the page.")
    return str(owner)


def ensure_owner(owner: str | None) -> str:
    """On page load: keep this browser's key, or mint one (stored back into local storage)."""
    return str(owner) if is_browser_key(owner) else new_browser_key()
