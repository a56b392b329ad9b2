"""``interviewer serve [--host H] [--port P]``: start the Gradio app (same wiring as ``app.py``)."""
from __future__ import annotations


def add_arguments(p) -> None:
    p.add_argument("--host", help="Interface to listen on (default: settings, 127.0.0.1).")
    p.add_argument("--port", type=int, help="Port to listen on (default: settings, 7860).")


USES_LLM = True  # cli.main resolves the model first, so the start-up line says which one (or why none)


def run(args, settings) -> int:
    from interviewer.commands.ingest import ensure_index
    from interviewer.ui import build_app, build_context, launch_app

    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    if overrides:
        settings = settings.model_copy(update=overrides)
    context = build_context(settings)
    ensure_index(context.index, settings)  # the Guide tab's search needs it
    launch_app(build_app(context), context)  # prints the URL once it listens, then blocks until Ctrl+C
    return 0
