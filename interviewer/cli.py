"""The ``interviewer`` command: one sub-command per job, each in ``interviewer/commands/``.

Settings are built here once and passed down. Errors the user can act on are printed as
one line (exit code 2); nothing else prints a traceback unless ``--debug`` is given.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import sys

from interviewer.errors import InterviewerError

COMMANDS = {
    "questions": "List the guide's questions (id, track, parts).",
    "ingest": "Parse the guide(s) and (re)build the Chroma index, idempotently.",
    "search": "Semantic search over the index, with citations.",
    "grade": "Grade an answer against a question's rubric; prints a scorecard.",
    "eval": "Run a grader over a labelled JSONL dataset; writes metrics and a report.",
    "chat": "A mock interview in the terminal (reads your answers from stdin).",
    "serve": "Start the Gradio app.",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="interviewer", description="AI interview coach for senior engineers.")
    parser.add_argument("--debug", action="store_true", help="Show tracebacks for unexpected errors.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        try:
            module = importlib.import_module(f"interviewer.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"interviewer.commands.{name}":
                raise
            continue  # a command whose module is not in this build
        module.add_arguments(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    from interviewer.settings import Settings, quiet_network_defaults

    quiet_network_defaults()
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings()
        module = importlib.import_module(f"interviewer.commands.{args.command}")
        return int(module.run(args, settings) or 0)
    except InterviewerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last line of defence: one line, no traceback, no secrets
        if args.debug:
            raise
        print(f"error: unexpected {type(exc).__name__}; run with --debug for details.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
