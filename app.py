"""Start the interview coach's Gradio app: settings → services → UI → launch.

Run ``python app.py`` (or ``make run`` / ``interviewer serve``). Host and port come from
settings (``INTERVIEWER_HOST`` / ``INTERVIEWER_PORT``); everything else is wired in
``interviewer.ui``.
"""
import sys

from interviewer.errors import InterviewerError
from interviewer.settings import Settings, quiet_network_defaults

quiet_network_defaults()  # before gradio is imported: no analytics or hub look-ups

from interviewer.ui import build_app, build_context, launch_app  # noqa: E402


def main() -> int:
    from interviewer.llm_choice import resolve_llm

    settings = resolve_llm(Settings())  # once at start-up: which model, or why offline (shown at launch)
    try:
        context = build_context(settings)
        launch_app(build_app(context), context)
    except InterviewerError as exc:  # e.g. the port is busy, a broken guide: one line, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
