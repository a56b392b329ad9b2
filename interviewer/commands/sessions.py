"""``interviewer sessions list|show|export|delete``: the stored interviews, from the terminal.

The same store and the same owner model as the app: by default the commands act on the
owner ``interviewer chat`` stores under (``INTERVIEWER_OWNER``, else ``user:<login name>``);
``--owner`` picks another and ``--all`` lists every owner's (an operator's view).
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from interviewer.errors import InputError
from interviewer.services import cli_owner
from interviewer.store import SessionStore, open_configured_store


def add_arguments(p) -> None:
    p.add_argument("--owner", help="Whose sessions: the key the app's History tab shows (browser:…) or user:NAME "
                                   "(default: INTERVIEWER_OWNER, else user:<login>).")
    p.add_argument("--all", action="store_true", help="Every owner's sessions (list), or any owner's session (others).")
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = sub.add_parser("list", help="Newest first: id, date, tracks, level, turns, overall, finished.")
    ls.add_argument("--limit", type=int, default=50, help="How many (default 50).")
    ls.add_argument("--json", action="store_true", help="Print the summaries as JSON.")
    show = sub.add_parser("show", help="Print a session's transcript with scorecards and report (Markdown).")
    show.add_argument("session_id")
    export = sub.add_parser("export", help="Write a session as Markdown or JSON (without hidden notes).")
    export.add_argument("session_id")
    export.add_argument("--format", choices=("markdown", "json"), default="json")
    export.add_argument("-o", "--output", help="File to write (default: stdout).")
    delete = sub.add_parser("delete", help="Delete a session for good.")
    delete.add_argument("session_id")


def _owned(store: SessionStore, args, owner: str):
    """The session, if it exists and belongs to ``owner`` (or ``--all``); else a clear error."""
    sid = args.session_id.strip()
    found = store.owner_of(sid)
    if found is None or (found != owner and not args.all):
        raise InputError(f"No session '{sid}' for owner {owner}. See `interviewer sessions list` "
                         "(add --all for every owner's).")
    return store.load_session(sid)


def run(args, settings) -> int:
    store = open_configured_store(settings)
    try:
        return _run(args, store, cli_owner(settings, args.owner))
    finally:
        store.close()


def _run(args, store: SessionStore, owner: str) -> int:
    if args.action == "list":
        rows = store.list_sessions(owner=None if args.all else owner, limit=max(1, args.limit))
        if args.json:
            print(json.dumps([r.model_dump(mode="json") for r in rows], indent=2, ensure_ascii=False))
            return 0
        if not rows:
            print(f"No sessions for owner {owner}." + ("" if args.all else " (--all lists every owner's.)"))
            return 0
        for r in rows:
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(r.updated_at))
            overall = f"{r.overall:.1f}" if r.overall is not None else "—"
            state = "finished" if r.finished else "in progress"
            who = f"  {r.owner}" if args.all else ""
            print(f"{r.id}  {when}  {','.join(r.tracks) or 'mixed'}  {r.level}  {r.n_turns} turns  "
                  f"overall {overall}  {state}{who}")
        return 0
    from interviewer.ui import transcript  # the app's own export format (same Markdown, same JSON)

    session = _owned(store, args, owner)
    if args.action == "show":
        print(transcript.session_markdown(session))
        return 0
    if args.action == "export":
        text = (json.dumps(transcript.session_data(session), indent=2, ensure_ascii=False) if args.format == "json"
                else transcript.session_markdown(session))
        if args.output:
            Path(args.output).write_text(text + "\n", encoding="utf-8")
            print(f"Wrote {args.output}", file=sys.stderr)
        else:
            print(text)
        return 0
    store.delete(session.id)
    print(f"Deleted session {session.id}.")
    return 0
