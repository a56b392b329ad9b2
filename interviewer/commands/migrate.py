"""``interviewer migrate``: bring the sessions database's schema up to date (idempotent).

The app and every command run the same migrations when they open the store; this command
lets an operator do it once before starting several replicas, and says where and at which
version the database is (the URL is shown without its password).
"""
from __future__ import annotations

from interviewer.store import describe_url, open_configured_store, store_url
from interviewer.store.migrations import LATEST


def add_arguments(p) -> None:
    """No options: the database is the one INTERVIEWER_DATABASE_URL names."""


def run(args, settings) -> int:
    store = open_configured_store(settings)  # opening migrates
    try:
        print(f"Sessions database {describe_url(store_url(settings))}: schema version {store.schema_version()} "
              f"(this release: {LATEST}); up to date.")
    finally:
        store.close()
    return 0
