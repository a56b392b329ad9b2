"""The Gradio app: header, four tabs, the public API, and how it is launched.

:func:`build_app` composes the tabs over an :class:`AppContext`; :func:`launch_app` starts
the server on the host and port from settings. Per-user state is only ever in
``gr.State`` / ``gr.BrowserState``; the context is shared and read-only.
"""
from __future__ import annotations

import threading

import gradio as gr
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from interviewer.errors import ConfigError
from interviewer.ui import theme
from interviewer.ui.api import register_api
from interviewer.ui.context import AppContext
from interviewer.ui.draft import build_draft_tab
from interviewer.ui.exports import EXPORT_DIR
from interviewer.ui.guide_tab import build_guide_tab
from interviewer.ui.history import build_history_tab
from interviewer.ui.identity import ensure_owner
from interviewer.ui.interview_tab import build_interview_tab

TITLE = "Interview coach"
# Grading is CPU-bound and LLM calls wait on the network: allow this many of each event at once
# (Gradio's default is 1, which would make 20 users queue behind each other).
CONCURRENCY = 16


def _header(ctx: AppContext) -> str:
    return (f'<div id="app-header"><div><h1><span class="logo" aria-hidden="true">✓</span>{TITLE}</h1><p>Mock interviews and '
            f'draft feedback for senior engineers, graded point by point against your guide ({len(ctx.guide.questions)} '
            'questions).</p></div></div>')


def build_app(ctx: AppContext) -> gr.Blocks:
    """The whole UI plus the named API endpoints."""
    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        owner = gr.BrowserState("", storage_key="interviewer-owner")
        gr.HTML(_header(ctx))
        with gr.Tabs() as tabs:
            with gr.Tab("Mock interview", id="interview", elem_id="tab-interview"):
                interview_tab = build_interview_tab(ctx, owner)
            with gr.Tab("Draft feedback", id="draft", elem_id="tab-draft"):
                draft = build_draft_tab(ctx)
            with gr.Tab("Guide", id="guide", elem_id="tab-guide"):
                guide = build_guide_tab(ctx)
            with gr.Tab("History", id="history", elem_id="tab-history") as history_tab:
                refresh, refresh_outputs = build_history_tab(ctx, owner, interview_tab, tabs)
        register_api(ctx)

        guide["practise"].click(lambda qid: (gr.update(value=qid), gr.Tabs(selected="draft")), guide["question"],
                                [draft["choice"], tabs], api_visibility="private")
        history_tab.select(refresh, owner, refresh_outputs, api_visibility="private")
        # Mint this browser's owner id first; then reopen the interview it had in progress (reload, second tab).
        app.load(ensure_owner, owner, owner, api_visibility="private").then(
            interview_tab.restore, [interview_tab.current, owner], interview_tab.outputs, api_visibility="private")
    app.queue(default_concurrency_limit=CONCURRENCY)
    return app


def health_route(ctx: AppContext) -> Route:
    """``GET /healthz``: 200 with the checks when the store and the index answer, else 503."""
    from interviewer.health import check_health
    from interviewer.store import describe_url, store_url

    where = describe_url(store_url(ctx.settings))

    def healthz(request: Request) -> JSONResponse:  # sync: Starlette runs it in a worker thread
        health = check_health(ctx.store, lambda: ctx.index, where)
        return JSONResponse(health.as_dict(), status_code=200 if health.ok else 503)

    return Route("/healthz", healthz, methods=["GET"])


def launch_app(app: gr.Blocks, ctx: AppContext, *, block: bool = True, warm_up: bool = True, **overrides):
    """Serve on the settings' host and port; returns Gradio's (app, local_url, share_url).

    The heavy services are warmed up only once the server answers, so they never delay the first page.
    """
    EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    options = dict(
        server_name=ctx.settings.host, server_port=ctx.settings.port, theme=theme.theme(), css=theme.CSS, head=theme.HEAD,
        ssr_mode=False,  # no Node server: one process, starts faster
        show_error=False,  # our callbacks already turn errors into friendly messages
        footer_links=["api"], run_history=False, allowed_paths=[str(EXPORT_DIR)], quiet=True,
        app_kwargs={"routes": [health_route(ctx)]},  # /healthz for a load balancer, ahead of Gradio's own routes
    )
    options.update(overrides)
    try:
        result = app.launch(prevent_thread_lock=True, **options)
    except OSError as exc:  # Gradio says "Cannot find empty port"; say what to change
        raise ConfigError(f"Cannot listen on {options['server_name']}:{options['server_port']} ({exc}). "
                          "Is the app already running? Set INTERVIEWER_PORT (or `interviewer serve --port`).") from exc
    if warm_up:
        threading.Thread(target=ctx.warm_up, name="warm-up", daemon=True).start()
    if block:
        print(f"Interview coach on {result[1]}  (mode: {ctx.settings.describe_llm()}; Ctrl+C to stop)", flush=True)
        app.block_thread()
    return result
