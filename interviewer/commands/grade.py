"""``interviewer grade``: grade one answer and print the scorecard (text, Markdown or JSON).

The grader is the one the app's draft feedback uses: the offline rubric grader, refined by
the LLM judge when an LLM is configured.
"""
from __future__ import annotations

import sys
from pathlib import Path

from interviewer.errors import InputError
from interviewer.services import build_judged_grader, load_guide
from interviewer.terminal import add_format_arguments, chosen_format, make_console, print_scorecard

MAX_FILE_BYTES = 10_000_000
USES_LLM = True  # the judge, when configured: cli.main resolves the model first


def add_arguments(p) -> None:
    q = p.add_mutually_exclusive_group(required=True)
    q.add_argument("--question-id", help="A guide question id (see `interviewer questions`).")
    q.add_argument("--question", help="Your own question text.")
    p.add_argument("--reference", help="A model answer for your own question (its key points become the rubric).")
    a = p.add_mutually_exclusive_group(required=True)
    a.add_argument("--answer", help="The answer text.")
    a.add_argument("--answer-file", help="A UTF-8 text file with the answer ('-' reads stdin).")
    add_format_arguments(p, "the scorecard")


def read_answer_file(path: str) -> str:
    """Read an answer file, refusing binary or unreadable input with a clear message."""
    if path == "-":
        raw = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    else:
        try:
            with open(Path(path), "rb") as fh:
                raw = fh.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise InputError(f"Cannot read the answer file {path}: {exc.strerror}.") from exc
    if b"\x00" in raw[:8192]:
        raise InputError(f"{path} looks like a binary file; give a plain-text answer.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8.") from exc


def read_answer(args) -> str:
    """The answer from ``--answer`` or ``--answer-file``; an empty one is refused (nothing to grade)."""
    answer = args.answer if args.answer is not None else read_answer_file(args.answer_file)
    if not answer.strip():
        if args.answer is not None:
            raise InputError('The answer is empty: pass your answer as --answer "..." (or --answer-file FILE) and grade again.')
        where = "stdin" if args.answer_file == "-" else args.answer_file
        raise InputError(f'{where} holds no answer (empty or only whitespace): write your answer there, or pass --answer "...".')
    return answer


def run(args, settings) -> int:
    answer = read_answer(args)
    fmt = chosen_format(args)
    grader = build_judged_grader(settings)
    if args.question_id:
        question = load_guide(settings).question(args.question_id)
        card = grader.grade(question, answer)
    else:
        card = grader.grade(args.question, answer, reference=args.reference)
    console = make_console()
    if fmt == "text":  # the mode line: which model refined the scores, or why none did
        console.print(f"Mode: {settings.describe_llm()}", style="dim")
    print_scorecard(card, fmt, console)
    return 0
