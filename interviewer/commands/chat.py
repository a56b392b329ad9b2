"""``interviewer chat``: a mock interview in the terminal.

The candidate's turns are read from stdin one line at a time, so it works from a pipe
and can be scripted. Interviewer turns are printed as they stream. The interview ends
when the interviewer wraps up, the candidate says so, or stdin reaches EOF; then the
final scorecard is printed (Markdown, or with ``--json`` the transcript and report as
JSON on stdout, with the live conversation sent to stderr).
"""
from __future__ import annotations

import json
import sys

from interviewer.interview import InterviewPlan
from interviewer.services import build_interviewer


def add_arguments(p) -> None:
    p.add_argument("--track", action="append", metavar="T",
                   help="Track id (system-design, backend, frontend, architecture, devops, leadership, or mixed); repeatable.")
    p.add_argument("--questions", type=int, default=3, metavar="N", help="Number of questions, 1-6 (default 3).")
    p.add_argument("--question-id", help="Ask exactly this guide question (see `interviewer questions`).")
    p.add_argument("--level", choices=("senior", "staff"), default="senior", help="Target level (default senior).")
    p.add_argument("--json", action="store_true", help="Print the transcript and the scorecard as JSON at the end.")


def _plan(args) -> InterviewPlan:
    from interviewer.errors import InputError

    if not 1 <= args.questions <= 6:
        raise InputError("--questions must be between 1 and 6.")
    return InterviewPlan(tracks=args.track, n_questions=args.questions, level=args.level, question_id=args.question_id)


def run(args, settings) -> int:
    """Run one interview over stdin/stdout; returns 0."""
    out = sys.stderr if args.json else sys.stdout
    interviewer = build_interviewer(settings)
    session = interviewer.start(_plan(args))
    interactive = sys.stdin.isatty()

    def show(role: str, text: str) -> None:
        print(f"[{text}]" if role == "system" else f"Interviewer: {text}", file=out, flush=True)

    for turn in session.turns:
        show(turn.role, turn.text)
    eof = False
    while not session.finished:
        if interactive:
            print("You: ", end="", file=out, flush=True)
        line = sys.stdin.readline()
        if line == "":  # EOF: end gracefully, with the scorecard
            eof = True
            break
        print("Interviewer: ", end="", file=out, flush=True)
        for chunk in interviewer.reply(session, line.rstrip("\r\n")):
            print(chunk, end="", file=out, flush=True)
        print(file=out, flush=True)
    report = interviewer.end(session)
    if eof:
        show("interviewer", session.turns[-1].text)  # the wrap-up that end() just added
    if not args.json:
        print(file=out)
        print(report.to_markdown(), file=out)
        return 0
    payload = {
        "session_id": session.id, "mode": session.mode, "plan": session.plan.model_dump(mode="json"),
        "transcript": [t.model_dump(mode="json") for t in session.turns],  # hidden notes stay hidden
        "report": report.model_dump(mode="json"),
    }
    print(json.dumps(payload, ensure_ascii=False, indent=2))
    return 0
