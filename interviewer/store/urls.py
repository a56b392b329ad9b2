"""Parsing and describing sessions database URLs (pure: no driver, no I/O).

A URL is shown to the user in start-up errors and health output, so it is always described
without its password.
"""
from __future__ import annotations

from urllib.parse import unquote, urlsplit

POSTGRES_SCHEMES = ("postgres", "postgresql", "postgresql+psycopg")


def scheme_of(url: str) -> str:
    """The URL's scheme, lower-cased ("" for a bare path)."""
    scheme, sep, _ = url.partition("://")
    return scheme.lower() if sep else ""


def libpq_url(url: str) -> str:
    """The URL as libpq accepts it (SQLAlchemy-style ``postgresql+psycopg://`` becomes ``postgresql://``)."""
    scheme, _, rest = url.partition("://")
    return f"postgresql://{rest}" if scheme.lower() in POSTGRES_SCHEMES else url


def describe_url(url: str) -> str:
    """``postgresql://user@host:port/db`` with the password left out (safe to print or log)."""
    if scheme_of(url) not in POSTGRES_SCHEMES:
        return url
    parts = urlsplit(libpq_url(url))
    try:
        port = parts.port
    except ValueError:
        port = None  # a malformed port: libpq reports it; the description must not fail first
    user = f"{unquote(parts.username)}@" if parts.username else ""
    host = parts.hostname or "(local socket)"
    query = f"?{parts.query}" if parts.query and "password" not in parts.query.lower() else ""
    return f"postgresql://{user}{host}{f':{port}' if port else ''}{parts.path or '/'}{query}"
