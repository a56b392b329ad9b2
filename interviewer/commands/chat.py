"""``interviewer chat``: a mock interview in the terminal.

The candidate's turns are read from stdin one line at a time, so it works from a pipe
and can be scripted. Interviewer turns are printed as they stream. The interview ends
when the interviewer wraps up, the candidate says so, or stdin reaches EOF; then the
final report is printed once (``--format text`` tables on a terminal, plain text through
a pipe, ``markdown``, or ``json``: the transcript and report as JSON on stdout, with the
live conversation sent to stderr).

Every turn goes through the same interview service as the app and the API, so the
interview is stored (by default in the app's session store, under ``user:<login name>``,
the History key of a logged-in app user of that name; ``--owner browser:…`` with the key the
app's History tab shows puts it in that browser's History) and can be listed, exported or
continued later: see ``interviewer sessions``.
"""
from __future__ import annotations

import json
import sys

from rich.text import Text

from interviewer.errors import InputError
from interviewer.interview import InterviewPlan
from interviewer.services import Services, cli_owner
from interviewer.terminal import add_format_arguments, chosen_format, make_console, print_report
from interviewer.terminal.stream import StreamWrapper

USES_LLM = True  # cli.main resolves the model (and says why) before the interviewer is built


def add_arguments(p) -> None:
    p.add_argument("--track", action="append", metavar="T",
                   help="Track id (system-design, backend, frontend, architecture, devops, leadership, or mixed); repeatable.")
    p.add_argument("--questions", type=int, default=3, metavar="N", help="Number of questions, 1-6 (default 3).")
    p.add_argument("--question-id", help="Ask exactly this guide question (see `interviewer questions`).")
    p.add_argument("--level", choices=("senior", "staff"), default="senior", help="Target level (default senior).")
    p.add_argument("--owner", help="Whose history the interview is stored in: the key the app's History tab shows "
                        "(browser:…), or user:NAME (default: INTERVIEWER_OWNER, else user:<login>).")
    p.add_argument("--resume", metavar="SESSION_ID", help="Continue a stored, unfinished interview instead of starting one.")
    add_format_arguments(p, "the final report (json: with the transcript)")


def _plan(args) -> InterviewPlan:
    if not 1 <= args.questions <= 6:
        raise InputError("--questions must be between 1 and 6.")
    return InterviewPlan(tracks=args.track, n_questions=args.questions, level=args.level, question_id=args.question_id)


def run(args, settings) -> int:
    """Run one interview over stdin/stdout; returns 0."""
    fmt = chosen_format(args)
    console = make_console(sys.stderr if fmt == "json" else sys.stdout)
    owner = cli_owner(settings, args.owner)  # first: a mistyped key fails before anything is loaded
    service = Services(settings).interview_service
    session = service.load(args.resume, owner) if args.resume else service.start(_plan(args), owner)
    interactive = sys.stdin.isatty()

    def label(who: str) -> Text:
        return Text(f"{who}: ", style="bold cyan" if who == "Interviewer" else "bold green")

    def say(text: str) -> None:  # one Text, so rich wraps the line with its label
        console.print(Text.assemble(label("Interviewer"), text))

    # The mode line replaces the engine's mode notice: it also says which model, or why none.
    console.print(f"Mode: {settings.describe_llm()}", style="dim")
    for turn in session.turns:
        if turn.kind != "mode":
            say(turn.text)
    if args.resume:
        pending = service.state(session).pending
        if pending:
            console.print(f"Your last message was stored but not answered; send it again: {pending}", style="dim")
    eof = False
    while not session.finished:
        if interactive:
            console.print()
            console.print(label("You"), end="")
        line = sys.stdin.readline()
        if line == "":  # EOF: end gracefully, with the report
            eof = True
            break
        console.print(label("Interviewer"), end="")
        stream = StreamWrapper(console, start=len("Interviewer: "))
        try:
            for chunk in service.reply(session, line.rstrip("\r\n"), owner):
                stream.write(chunk)  # streamed: printed as it comes, wrapped between words
        except InputError as exc:  # an empty line: say so and keep listening
            stream.write(str(exc))
        stream.close()
    report = service.end(session, owner)
    if eof:
        say(session.turns[-1].text)  # the wrap-up that end() just added
    console.print(f"Saved as session {session.id} (owner {owner}): interviewer sessions show {session.id}", style="dim")
    if fmt != "json":
        console.print()
        print_report(report, fmt, console)
        return 0
    payload = {
        "session_id": session.id, "owner": owner, "mode": session.mode, "plan": session.plan.model_dump(mode="json"),
        "transcript": [t.model_dump(mode="json") for t in session.turns],  # hidden notes stay hidden
        "report": report.model_dump(mode="json"),
    }
    print(json.dumps(payload, ensure_ascii=False, indent=2))
    return 0
