"""The ``interviewer`` command: one sub-command per job, each in ``interviewer/commands/``.

Settings are built here once and passed down; a command module that sets ``USES_LLM`` (or
whose ``USES_LLM(args)`` says so) gets them with the chat model resolved first (see ``interviewer.llm_choice``). Errors the
user can act on are printed as one line (exit code 2); nothing else prints a traceback
unless ``--debug`` is given. Bare ``interviewer`` prints the help.
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
    "sessions": "List, show, export or delete stored interviews (the app's History, from the terminal).",
    "migrate": "Create or upgrade the sessions database's schema (idempotent; the app also does it on start).",
    "serve": "Start the Gradio app.",
}


EXAMPLES = """examples:
  interviewer questions --track system-design
  interviewer grade --question-id design-a-distributed-cache-system --answer "I'd shard keys with consistent hashing..."
  interviewer chat --track backend --questions 2
  interviewer search "keep a cache available when a node dies"
  interviewer sessions list
  INTERVIEWER_DATABASE_URL=postgresql://coach@db:5432/coach interviewer migrate

Run `interviewer COMMAND --help` for a command's options."""


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the examples' line breaks and each command's summary on the command's own line."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=100)

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        # argparse measures sub-commands one indent short and wraps the longest name onto its own line.
        for sub in getattr(action, "_choices_actions", ()):
            self._action_max_length = max(self._action_max_length, len(sub.metavar or sub.dest) + 6)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="interviewer", description="AI interview coach for senior engineers.",
                                     epilog=EXAMPLES, formatter_class=_HelpFormatter)
    parser.add_argument("--debug", action="store_true", help="Show tracebacks for unexpected errors.")
    # Not required: a bare `interviewer` shows the help rather than "arguments are required".
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
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
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings()
        module = importlib.import_module(f"interviewer.commands.{args.command}")
        uses_llm = getattr(module, "USES_LLM", False)
        if uses_llm(args) if callable(uses_llm) else uses_llm:
            from interviewer.llm_choice import resolve_llm

            settings = resolve_llm(settings)  # once, before any service is built
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
