"""Choosing the output format and printing results in it.

``text`` (the default) is for people: colours and tables on a terminal, the same layout as
plain text through a pipe (rich drops styles when stdout is not a terminal, and honours
``NO_COLOR``). ``markdown`` is the document the app exports; ``json`` is the typed model.
"""
from __future__ import annotations

import sys
from typing import TextIO

from rich.console import Console

FORMATS = ("text", "markdown", "json")


def add_format_arguments(p, what: str) -> None:
    """``--format text|markdown|json`` and its shorthand ``--json`` (same destination, last one wins)."""
    p.add_argument("--format", choices=FORMATS, default="text",
                   help=f"How to print {what}: text (tables and colours on a terminal, plain through a pipe), "
                        "markdown, or json (default text).")
    p.add_argument("--json", dest="format", action="store_const", const="json", help="Same as --format json.")


def chosen_format(args) -> str:
    """The format the user asked for (``text`` when the command has no ``--format``)."""
    return getattr(args, "format", None) or "text"


def make_console(file: TextIO | None = None) -> Console:
    """A console on ``file`` (stdout by default) that never interprets user text as markup or emoji codes."""
    return Console(file=file or sys.stdout, markup=False, emoji=False, highlight=False)


def print_scorecard(card, fmt: str, console: Console | None = None) -> None:
    """Print one scorecard in ``fmt``."""
    if fmt == "json":
        print(card.to_json(), flush=True)
    elif fmt == "markdown":
        print(card.to_markdown(), end="", flush=True)
    else:
        from interviewer.terminal.scorecard_view import scorecard_view

        (console or make_console()).print(scorecard_view(card))


def print_report(report, fmt: str, console: Console | None = None) -> None:
    """Print a mock interview's final report in ``fmt`` (``json`` = the report model)."""
    if fmt == "json":
        print(report.model_dump_json(indent=2), flush=True)
    elif fmt == "markdown":
        print(report.to_markdown(), end="", flush=True)
    else:
        from interviewer.terminal.report_view import report_view

        (console or make_console()).print(report_view(report))
