"""Who a session belongs to: the owner keys the app, the API and the terminal store sessions under.

Three kinds of key, and only these:

- ``browser:<32 hex digits>`` — minted at random for each browser (kept in its local storage).
  It is a bearer secret: whoever holds it sees that History. The History tab shows it so its
  owner can pass it to ``interviewer chat --owner`` (or ``INTERVIEWER_OWNER``) and see their
  terminal interviews in the browser.
- ``user:<name>`` — a logged-in app user (Gradio auth), and the terminal's default
  (``user:<login name>``). A browser can never claim one: the app only takes it from the login.
- ``api`` — sessions started through the named API endpoints.

Pure functions, no Gradio: the CLI imports this without the UI.
"""
from __future__ import annotations

import re
import uuid

from interviewer.errors import InputError

BROWSER_PREFIX = "browser:"
_BROWSER_KEY = re.compile(r"browser:[0-9a-f]{32}")


def new_browser_key() -> str:
    """A fresh, unguessable browser key (128 random bits)."""
    return f"{BROWSER_PREFIX}{uuid.uuid4().hex}"


def is_browser_key(value: str | None) -> bool:
    """True for a well-formed ``browser:<32 hex>`` key (what :func:`new_browser_key` mints)."""
    return bool(value) and _BROWSER_KEY.fullmatch(value or "") is not None


def check_terminal_owner(owner: str) -> str:
    """The owner a terminal command was given, stripped; a mistyped browser key is refused.

    A key that starts with ``browser:`` but is not one the app could have minted would store the
    interview where no browser can ever see it, so it is an error that says where to copy it from.
    """
    owner = owner.strip()
    if not owner:
        raise InputError("--owner / INTERVIEWER_OWNER is empty; leave it unset for user:<login name>, "
                         "or copy your key from the app's History tab.")
    if owner.startswith(BROWSER_PREFIX) and not is_browser_key(owner):
        raise InputError(f"'{owner}' is not a browser key: copy it whole from the app's History tab "
                         "(browser: followed by 32 hex digits).")
    return owner
