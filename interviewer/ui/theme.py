"""Look and feel: the Gradio theme, the CSS of the scorecard panels, and the phase-timer script.

The theme uses Gradio's bundled fonts only (no web fonts: the app must work offline).
The phase timer ticks in the browser: the server sends the phase's elapsed seconds with
each turn and the script counts on from there, so no one polls the server every second.
"""
from __future__ import annotations

import gradio as gr


def theme() -> gr.themes.Base:
    return gr.themes.Soft(primary_hue="indigo", secondary_hue="sky", neutral_hue="slate", radius_size="md")


CSS = """
.gradio-container { max-width: 1320px !important; margin: 0 auto !important; }
#app-header { display: flex; align-items: center; justify-content: space-between; gap: 1rem; margin-bottom: .25rem; }
#app-header h1 { font-size: 1.45rem; margin: 0; display: flex; align-items: center; gap: .5rem; }
.logo { width: 1.6rem; height: 1.6rem; border-radius: 8px; background: linear-gradient(135deg, #6366f1, #0ea5e9);
        color: white; font-size: .95rem; display: inline-flex; align-items: center; justify-content: center; }
#app-header p { margin: 0; color: var(--body-text-color-subdued); font-size: .92rem; }
.muted-md, .muted-md p { color: var(--body-text-color-subdued); font-size: .9rem; }
.guide-md pre { font-size: .78rem; line-height: 1.25; }
.badges { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; }
.badge { display: inline-flex; align-items: center; gap: .35rem; padding: .2rem .65rem; border-radius: 999px;
         font-size: .82rem; font-weight: 600; border: 1px solid var(--border-color-primary); background: var(--background-fill-secondary); }
.badge-offline { color: #475569; }
.badge-llm { color: #3730a3; background: #eef2ff; border-color: #c7d2fe; }
.badge-phase { color: #0c4a6e; background: #f0f9ff; border-color: #bae6fd; }
.badge-over { color: #9a3412; background: #fff7ed; border-color: #fed7aa; }
.badge-done { color: #166534; background: #f0fdf4; border-color: #bbf7d0; }
.dot { width: .5rem; height: .5rem; border-radius: 50%; background: currentColor; display: inline-block; }

.sc { border: 1px solid var(--border-color-primary); border-radius: 12px; padding: .8rem .9rem; background: var(--background-fill-primary); }
.sc-empty { color: var(--body-text-color-subdued); text-align: center; padding: 1.4rem .8rem; border-style: dashed; }
.sc-head { display: flex; gap: .9rem; align-items: center; margin-bottom: .6rem; }
.sc-overall { min-width: 4.2rem; height: 4.2rem; border-radius: 12px; display: flex; align-items: baseline; justify-content: center;
              padding-top: .85rem; box-sizing: border-box; color: white; }
.sc-overall b { font-size: 1.7rem; line-height: 1; } .sc-overall small { font-size: .8rem; opacity: .9; }
.sc-overall.sc-high { background: #16a34a; } .sc-overall.sc-mid { background: #d97706; }
.sc-overall.sc-low { background: #dc2626; } .sc-overall.sc-na { background: #94a3b8; }
.sc-meta { font-size: .88rem; line-height: 1.45; }
.sc-question { font-weight: 650; font-size: .95rem; }
.sc-muted { color: var(--body-text-color-subdued); font-size: .8rem; }
.sc-note { background: #fffbeb; border-left: 3px solid #f59e0b; padding: .35rem .6rem; margin: .3rem 0; font-size: .85rem; border-radius: 4px; }
.sc-dims { display: flex; flex-direction: column; gap: .15rem; }
.sc-dim summary { display: grid; grid-template-columns: minmax(9rem, 1.3fr) 1fr 5.2rem 2.4rem; align-items: center; gap: .6rem;
                  cursor: pointer; padding: .3rem .25rem; border-radius: 6px; font-size: .86rem; list-style: none; }
.sc-dim summary::-webkit-details-marker { display: none; }
.sc-dim summary:hover { background: var(--background-fill-secondary); }
.sc-title { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.sc-dim[open] .sc-title { white-space: normal; }
.sc-bar { height: .6rem; border-radius: 999px; background: #e2e8f0; overflow: hidden; display: block; }
.sc-bar-na { background: repeating-linear-gradient(45deg, #e2e8f0, #e2e8f0 4px, #f8fafc 4px, #f8fafc 8px); }
.sc-fill { display: block; height: 100%; border-radius: 999px; }
.sc-fill.sc-high { background: #22c55e; } .sc-fill.sc-mid { background: #f59e0b; } .sc-fill.sc-low { background: #ef4444; }
.sc-score { font-weight: 650; text-align: right; } .sc-na-label { font-weight: 400; color: var(--body-text-color-subdued); font-size: .72rem; white-space: nowrap; }
.sc-count { color: var(--body-text-color-subdued); font-size: .75rem; text-align: right; }
.sc-points { list-style: none; margin: .2rem 0 .5rem .3rem !important; padding: 0 !important; }
.sc-pt { display: flex; gap: .5rem; margin: .3rem 0 !important; font-size: .84rem; line-height: 1.4; }
.sc-icon { font-weight: 700; width: 1rem; flex: none; text-align: center; }
.sc-covered .sc-icon { color: #16a34a; } .sc-partial .sc-icon { color: #d97706; } .sc-missing .sc-icon { color: #dc2626; }
.sc-pt-body { display: flex; flex-direction: column; gap: .12rem; }
.sc-quote { font-style: italic; color: var(--body-text-color); background: var(--background-fill-secondary); border-radius: 4px; padding: .1rem .4rem; }
.sc-pt cite { font-style: normal; font-size: .74rem; color: var(--body-text-color-subdued); }
.sc-pt cite::before { content: "Guide: "; }
.sc-hint { font-size: .75rem; color: var(--body-text-color-subdued); margin: .5rem 0 0; }

.dl table { width: 100%; border-collapse: collapse; font-size: .86rem; border: none !important; }
.dl th, .dl td { text-align: left; padding: .28rem .4rem !important; border: none !important;
                 border-bottom: 1px solid var(--border-color-primary) !important; background: transparent !important; }
.dl th { color: var(--body-text-color-subdued); font-weight: 600; font-size: .78rem; text-transform: uppercase; letter-spacing: .03em; }
.dl td:not(:first-child), .dl th:not(:first-child) { text-align: right; width: 4.5rem; }
.dl-overall td { font-weight: 650; }
.dl-up { color: #15803d; font-weight: 600; } .dl-down { color: #b91c1c; font-weight: 600; } .dl-same { color: #64748b; }
.dl-points { list-style: none; padding: 0 !important; margin: .2rem 0 0 !important; font-size: .82rem; }
#chat { border-radius: 12px; }
.report-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: .8rem; margin-top: .6rem; }
.report-md table { font-size: .86rem; border-collapse: collapse; }
.report-md th, .report-md td { border: none !important; border-bottom: 1px solid var(--border-color-primary) !important;
                               padding: .3rem .5rem !important; background: transparent !important; }
#history-table table { font-size: .82rem; }
#history-table td, #history-table th { font-family: inherit !important; }
.report-md { border: 1px solid var(--border-color-primary); border-radius: 12px; padding: .4rem .9rem; }
footer { margin-top: .5rem !important; }
"""

# Counts the phase timer on in the browser between turns (see the module docstring).
HEAD = """
<script>
(function () {
  function fmt(s) { s = Math.max(0, Math.floor(s)); return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0"); }
  setInterval(function () {
    document.querySelectorAll(".phase-timer[data-elapsed]").forEach(function (el) {
      if (!el.dataset.t0 || el.dataset.seen !== el.dataset.elapsed) {
        el.dataset.seen = el.dataset.elapsed;
        el.dataset.t0 = String(Date.now() / 1000 - parseFloat(el.dataset.elapsed));
      }
      var elapsed = Date.now() / 1000 - parseFloat(el.dataset.t0), budget = parseFloat(el.dataset.budget || "0");
      el.textContent = fmt(elapsed) + (budget ? " / " + fmt(budget) : "");
      var badge = el.closest(".badge");
      if (badge && budget) { badge.classList.toggle("badge-over", elapsed > budget); }
    });
  }, 1000);
})();
</script>
"""
