"""``interviewer grade``: grade one answer and print the scorecard (Markdown or JSON)."""
from __future__ import annotations

import sys
from pathlib import Path

from interviewer.errors import InputError
from interviewer.services import build_grader, load_guide

MAX_FILE_BYTES = 10_000_000


def add_arguments(p) -> None:
    q = p.add_mutually_exclusive_group(required=True)
    q.add_argument("--question-id", help="A guide question id (see `interviewer questions`).")
    q.add_argument("--question", help="Your own question text.")
    p.add_argument("--reference", help="A model answer for your own question (its key points become the rubric).")
    a = p.add_mutually_exclusive_group(required=True)
    a.add_argument("--answer", help="The answer text.")
    a.add_argument("--answer-file", help="A UTF-8 text file with the answer ('-' reads stdin).")
    p.add_argument("--json", action="store_true", help="Print the scorecard as JSON.")


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


def run(args, settings) -> int:
    answer = args.answer if args.answer is not None else read_answer_file(args.answer_file)
    grader = build_grader(settings)
    if args.question_id:
        question = load_guide(settings).question(args.question_id)
        card = grader.grade(question, answer)
    else:
        card = grader.grade(args.question, answer, reference=args.reference)
    print(card.to_json() if args.json else card.to_markdown())
    return 0
