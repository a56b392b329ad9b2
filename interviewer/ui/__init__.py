"""The Gradio UI: mock interview, draft feedback, guide explorer and history, plus a named API."""
from interviewer.ui.app import build_app, launch_app
from interviewer.ui.context import AppContext, build_context

__all__ = ["AppContext", "build_app", "build_context", "launch_app"]
