"""What the CLI prints: scorecards and reports as rich text, plain text, Markdown or JSON.

``views`` build rich renderables from the typed results (pure: no I/O); ``output`` picks the
format and the console (colours on a terminal, plain text through a pipe) and prints.
"""
from interviewer.terminal.output import FORMATS, add_format_arguments, chosen_format, make_console, print_report, print_scorecard

__all__ = ["FORMATS", "add_format_arguments", "chosen_format", "make_console", "print_report", "print_scorecard"]
