"""The app's CSS: layout at phone and laptop widths, scorecards, badges, history, guide results.

Colours are CSS variables with a light and a dark value (Gradio puts ``dark`` on ``<body>``),
each pair chosen for a WCAG AA contrast of at least 4.5:1 against its own background;
``tests/test_ui_browser.py`` measures the rendered ratios in both modes.
"""
from __future__ import annotations

# Palette: text/background pairs per tone, light first, then the `.dark` overrides.
_PALETTE = """
:root {
  --ic-note-bg: #fffbeb; --ic-note-fg: #78350f; --ic-note-edge: #d97706;
  --ic-info-bg: #eff6ff; --ic-info-fg: #1e3a8a; --ic-info-edge: #3b82f6;
  --ic-llm-bg: #eef2ff; --ic-llm-fg: #3730a3; --ic-llm-edge: #c7d2fe;
  --ic-phase-bg: #f0f9ff; --ic-phase-fg: #0c4a6e; --ic-phase-edge: #bae6fd;
  --ic-over-bg: #fff7ed; --ic-over-fg: #9a3412; --ic-over-edge: #fed7aa;
  --ic-done-bg: #f0fdf4; --ic-done-fg: #166534; --ic-done-edge: #bbf7d0;
  --ic-plain-bg: #f8fafc; --ic-plain-fg: #334155; --ic-plain-edge: #cbd5e1;
  --ic-high: #15803d; --ic-mid: #b45309; --ic-low: #b91c1c; --ic-na: #64748b;
  --ic-bar-track: #e2e8f0; --ic-bar-na: #f8fafc;
  --ic-up: #15803d; --ic-down: #b91c1c; --ic-same: #475569;
  --ic-line-0: #4f46e5; --ic-line-1: #0f766e; --ic-line-2: #c2410c; --ic-line-3: #be185d;
  --ic-line-4: #0369a1; --ic-line-5: #4d7c0f; --ic-line-6: #7e22ce; --ic-line-7: #475569;
}
.dark {
  --ic-note-bg: #3b2a0a; --ic-note-fg: #fde68a; --ic-note-edge: #f59e0b;
  --ic-info-bg: #172554; --ic-info-fg: #bfdbfe; --ic-info-edge: #60a5fa;
  --ic-llm-bg: #1e1b4b; --ic-llm-fg: #c7d2fe; --ic-llm-edge: #4338ca;
  --ic-phase-bg: #082f49; --ic-phase-fg: #bae6fd; --ic-phase-edge: #0369a1;
  --ic-over-bg: #431407; --ic-over-fg: #fed7aa; --ic-over-edge: #c2410c;
  --ic-done-bg: #052e16; --ic-done-fg: #bbf7d0; --ic-done-edge: #15803d;
  --ic-plain-bg: #1e293b; --ic-plain-fg: #e2e8f0; --ic-plain-edge: #475569;
  --ic-bar-track: #334155; --ic-bar-na: #1e293b;
  --ic-up: #4ade80; --ic-down: #fca5a5; --ic-same: #cbd5e1;
  --ic-line-0: #a5b4fc; --ic-line-1: #5eead4; --ic-line-2: #fdba74; --ic-line-3: #f9a8d4;
  --ic-line-4: #7dd3fc; --ic-line-5: #bef264; --ic-line-6: #d8b4fe; --ic-line-7: #cbd5e1;
}
"""

# Phone widths: Gradio sizes its container to its content's min-width (our columns' min_width),
# which made a 390 px screen lay out 504 px wide. Let every flex level shrink instead; the page's
# side padding is given back in PAGE_CSS (below). Note: Gradio prefixes every selector inside an
# @media block here with ".gradio-container … .contain", so such rules only reach inside .contain.
_LAYOUT = """
.gradio-container { max-width: 1320px !important; margin: 0 auto !important; min-width: 0 !important; }
.gradio-container .main, .gradio-container .wrap, .gradio-container main.contain, .tabs, .tabitem { min-width: 0 !important; }
@media (max-width: 640px) {
  .tab-container button, .tab-wrapper button { padding-left: .25rem !important; padding-right: .25rem !important; font-size: .8rem !important; }
  #app-header p { display: none; }
  .report-grid { grid-template-columns: 1fr !important; }
}
/* Long words and URLs wrap instead of widening the page. */
.prose, .sc, .hist, .hits { overflow-wrap: break-word; }
.prose pre, .hit-body pre { max-width: 100%; overflow-x: auto; }
.gradio-container .block, .gradio-container .prose, .gradio-container .html-container { min-width: 0; max-width: 100%; }
@media (max-width: 640px) { .prose pre, .prose pre code, .hit-body pre { font-size: .68rem !important; white-space: pre-wrap !important; overflow-wrap: anywhere; } }
/* Dropdowns: Gradio positions the caret absolutely (right: var(--size-5)) over the end of the input, so a
   long choice ran under it ("Mixed (all trac▾"). Reserve the caret's lane on the input's box and let the
   text end in an ellipsis before it; tests/test_ui_browser.py checks the rectangles on every tab. */
.wrap-inner .secondary-wrap { padding-right: calc(var(--size-5) + 1rem) !important; min-width: 0; }
.secondary-wrap input[role="combobox"] { text-overflow: ellipsis; min-width: 0; }
/* Rows of controls (a dropdown beside a button or another dropdown) stack on a phone instead of
   squeezing each control to a few characters. */
@media (max-width: 640px) {
  .stack-sm { flex-wrap: wrap !important; }
  .stack-sm > .form, .stack-sm > .block, .stack-sm > button, .stack-sm .form > .block { min-width: 100% !important; flex: 1 1 100% !important; }
}
/* A small button beside a labelled control sits on the control's baseline, not stretched to the label's height. */
.align-end { align-items: flex-end !important; }
.align-end > button { flex-grow: 0 !important; margin-bottom: var(--spacing-lg); }
/* Every tab lays out at the same width: without this the page shrank to its content on History, and the
   header and the tab bar moved sideways when switching tabs. */
.gradio-container { width: 100% !important; }
/* Numbered lists (the draft's improved outline runs to 13 steps) keep room for two-digit markers:
   Gradio's padding clipped "10." to "l0." at both widths. */
.prose ol { padding-left: 2.4em !important; }
/* Gradio ends its footer with a separator dot after the last link. */
footer .divider:last-child { display: none; }
/* Visible keyboard focus everywhere (Gradio's own ring is faint on the Soft theme). */
button:focus-visible, summary:focus-visible, a:focus-visible, [role="tab"]:focus-visible,
input:focus-visible, textarea:focus-visible { outline: 2px solid var(--color-accent) !important; outline-offset: 2px; }
footer { margin-top: .5rem !important; }
"""

_HEADER = """
#app-header h1 { font-size: 1.45rem; margin: 0; display: flex; align-items: center; gap: .5rem; }
.logo { width: 1.6rem; height: 1.6rem; border-radius: 8px; background: #4f46e5; color: white; font-size: .95rem;
        display: inline-flex; align-items: center; justify-content: center; }
#app-header p { margin: 0; color: var(--body-text-color-subdued); font-size: .92rem; }
.muted-md, .muted-md p { color: var(--body-text-color-subdued); font-size: .9rem; }
.guide-md pre { font-size: .78rem; line-height: 1.25; }
.badges { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; }
.badge { display: inline-flex; align-items: center; gap: .35rem; padding: .2rem .65rem; border-radius: 999px; font-size: .82rem;
         font-weight: 600; border: 1px solid var(--ic-plain-edge); background: var(--ic-plain-bg); color: var(--ic-plain-fg); }
.badge-llm { color: var(--ic-llm-fg); background: var(--ic-llm-bg); border-color: var(--ic-llm-edge); }
.badge-phase { color: var(--ic-phase-fg); background: var(--ic-phase-bg); border-color: var(--ic-phase-edge); }
.badge-over { color: var(--ic-over-fg); background: var(--ic-over-bg); border-color: var(--ic-over-edge); }
.badge-done { color: var(--ic-done-fg); background: var(--ic-done-bg); border-color: var(--ic-done-edge); }
.mode-why { font-size: .78rem; color: var(--body-text-color-subdued); min-width: 0; flex: 0 1 auto; line-height: 1.3; }
.dot { width: .5rem; height: .5rem; border-radius: 50%; background: currentColor; display: inline-block; }
.banner { padding: .45rem .7rem; border-radius: 8px; border-left: 3px solid var(--ic-info-edge); font-size: .88rem;
          background: var(--ic-info-bg); color: var(--ic-info-fg); margin: .2rem 0; }
.banner-note { background: var(--ic-note-bg); color: var(--ic-note-fg); border-left-color: var(--ic-note-edge); }
.banner b { color: inherit; }
"""

_SCORECARD = """
.sc { border: 1px solid var(--border-color-primary); border-radius: 12px; padding: .8rem .9rem; background: var(--background-fill-primary); }
.sc-empty { color: var(--body-text-color-subdued); text-align: center; padding: 1.4rem .8rem; border-style: dashed; }
.sc-head { display: flex; gap: .9rem; align-items: center; margin-bottom: .6rem; }
.sc-overall { min-width: 4.2rem; height: 4.2rem; border-radius: 12px; display: flex; align-items: baseline; justify-content: center;
              padding-top: .85rem; box-sizing: border-box; color: #fff; flex: none; }
.sc-overall b { font-size: 1.7rem; line-height: 1; } .sc-overall small { font-size: .8rem; }
.sc-overall.sc-high { background: var(--ic-high); } .sc-overall.sc-mid { background: var(--ic-mid); }
.sc-overall.sc-low { background: var(--ic-low); } .sc-overall.sc-na { background: var(--ic-na); }
.sc-meta { font-size: .88rem; line-height: 1.45; min-width: 0; }
.sc-question { font-weight: 650; font-size: .95rem; }
.sc-muted { color: var(--body-text-color-subdued); font-size: .8rem; }
.sc-note { background: var(--ic-note-bg); color: var(--ic-note-fg); border-left: 3px solid var(--ic-note-edge); padding: .35rem .6rem;
           margin: .3rem 0; font-size: .85rem; border-radius: 4px; }
.sc-dims { display: flex; flex-direction: column; gap: .15rem; }
.sc-cols, .sc-dim summary { display: grid; grid-template-columns: minmax(0, 1.6fr) minmax(3rem, 1fr) 3.2rem 3.6rem; align-items: center;
                            gap: .5rem; padding: .3rem .25rem; font-size: .86rem; }
.sc-cols { color: var(--body-text-color-subdued); font-size: .72rem; font-weight: 600; text-transform: uppercase; letter-spacing: .03em;
           padding-bottom: 0; }
.sc-cols span:nth-child(n+3) { text-align: right; }
.sc-dim summary { cursor: pointer; border-radius: 6px; list-style: none; }
.sc-dim summary::-webkit-details-marker { display: none; }
.sc-dim summary:hover { background: var(--background-fill-secondary); }
.sc-title { line-height: 1.25; }
.sc-bar { height: .6rem; border-radius: 999px; background: var(--ic-bar-track); overflow: hidden; display: block; }
.sc-bar-na { background: repeating-linear-gradient(45deg, var(--ic-bar-track), var(--ic-bar-track) 4px, var(--ic-bar-na) 4px, var(--ic-bar-na) 8px); }
.sc-fill { display: block; height: 100%; border-radius: 999px; }
.sc-fill.sc-high { background: var(--ic-high); } .sc-fill.sc-mid { background: var(--ic-mid); } .sc-fill.sc-low { background: var(--ic-low); }
.dark .sc-fill.sc-high { background: #22c55e; } .dark .sc-fill.sc-mid { background: #f59e0b; } .dark .sc-fill.sc-low { background: #ef4444; }
.sc-score { font-weight: 650; text-align: right; white-space: nowrap; }
.sc-na-label { font-weight: 400; color: var(--body-text-color-subdued); font-size: .72rem; }
.sc-count { color: var(--body-text-color-subdued); font-size: .78rem; text-align: right; white-space: nowrap; }
.sc-points { list-style: none; margin: .2rem 0 .5rem .3rem !important; padding: 0 !important; }
.sc-pt { display: flex; gap: .5rem; margin: .3rem 0 !important; font-size: .84rem; line-height: 1.4; }
.sc-icon { font-weight: 700; width: 1rem; flex: none; text-align: center; }
.sc-covered .sc-icon { color: var(--ic-high); } .sc-partial .sc-icon { color: var(--ic-mid); } .sc-missing .sc-icon { color: var(--ic-low); }
.sc-elsewhere .sc-icon { color: var(--body-text-color-subdued); }
.dark .sc-covered .sc-icon { color: #4ade80; } .dark .sc-partial .sc-icon { color: #fbbf24; } .dark .sc-missing .sc-icon { color: #fca5a5; }
.sc-pt-body { display: flex; flex-direction: column; gap: .12rem; min-width: 0; }
.sc-quote { font-style: italic; color: var(--body-text-color); background: var(--background-fill-secondary); border-radius: 4px; padding: .1rem .4rem; }
.sc-pt cite { font-style: normal; font-size: .74rem; color: var(--body-text-color-subdued); }
.sc-pt cite::before { content: "Guide: "; }
.sc-hint { font-size: .75rem; color: var(--body-text-color-subdued); margin: .5rem 0 0; }
@media (max-width: 480px) {
  .sc-cols, .sc-dim summary { grid-template-columns: minmax(0, 1fr) 3.2rem 3.4rem; }
  .sc-cols span { white-space: nowrap; letter-spacing: 0; }
  .sc-cols span:nth-child(2), .sc-dim summary .sc-bar { display: none; }
  .sc-overall { min-width: 3.4rem; height: 3.4rem; padding-top: .7rem; } .sc-overall b { font-size: 1.35rem; }
}
"""

_TABLES = """
.dl table { width: 100%; border-collapse: collapse; font-size: .86rem; border: none !important; }
.dl th, .dl td { text-align: left; padding: .28rem .4rem !important; border: none !important;
                 border-bottom: 1px solid var(--border-color-primary) !important; background: transparent !important; }
.dl th, .hist th { color: var(--body-text-color-subdued); font-weight: 600; font-size: .75rem; text-transform: uppercase; letter-spacing: .03em; }
.dl td:not(:first-child), .dl th:not(:first-child) { text-align: right; width: 4.5rem; white-space: nowrap; }
.dl-overall td { font-weight: 650; }
.dl-up { color: var(--ic-up); font-weight: 600; } .dl-down { color: var(--ic-down); font-weight: 600; } .dl-same { color: var(--ic-same); }
.dl-points { list-style: none; padding: 0 !important; margin: .2rem 0 0 !important; font-size: .82rem; }
#chat { border-radius: 12px; }
.report-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); gap: .8rem; margin-top: .6rem; }
.report-md table, .report-md tr { border: none !important; }  /* no black grid (see .hist) */
.report-md table { font-size: .86rem; border-collapse: collapse; display: block; overflow-x: auto; }
.report-md th, .report-md td { border: none !important; border-bottom: 1px solid var(--border-color-primary) !important;
                               padding: .3rem .5rem !important; background: transparent !important; }
/* Words never break inside a cell (a phone broke "Question" into "Qu/esti/on"): headers stay on one line and
   a table wider than the screen scrolls inside its own box (display: block above). */
.report-md th, .report-md td { word-break: normal !important; overflow-wrap: normal !important; hyphens: none; }
.report-md th { white-space: nowrap; }
#iv-report td:nth-child(2) { min-width: 12rem; }  /* the question column of the report's table */
/* On a phone the report's question table (columns as in ui/report_view.py) becomes one card per question,
   each number labelled, instead of seven columns squeezed to a letter each. */
@media (max-width: 640px) {
  #iv-report table, #iv-report tbody { display: block; }
  #iv-report thead { display: none; }
  #iv-report tr { display: flex; flex-wrap: wrap; gap: .1rem .7rem; padding: .4rem 0; border-bottom: 1px solid var(--border-color-primary); }
  #iv-report td { border: none !important; padding: 0 !important; min-width: 0 !important; }
  #iv-report td:nth-child(2) { flex: 1 1 calc(100% - 3rem); font-weight: 600; }
  #iv-report td:nth-child(1)::before { content: "Q"; }
  #iv-report td:nth-child(n+3)::before { color: var(--body-text-color-subdued); font-size: .78rem; }
  #iv-report td:nth-child(3)::before { content: "Status "; } #iv-report td:nth-child(4)::before { content: "Overall "; }
  #iv-report td:nth-child(5)::before { content: "Level "; } #iv-report td:nth-child(6)::before { content: "Follow-ups "; }
  #iv-report td:nth-child(7)::before { content: "Hints "; }
}
.report-md { border: 1px solid var(--border-color-primary); border-radius: 12px; padding: .4rem .9rem; }
"""

_HISTORY = """
/* Gradio's HTML component draws every table cell in the text colour (a black grid); History uses hairlines. */
.hist table, .hist tr, .hist th, .hist td { border: none !important; }
.hist table { width: 100%; border-collapse: collapse; font-size: .86rem; }
.hist th, .hist td { text-align: left; padding: .4rem .45rem; border-bottom: 1px solid var(--border-color-primary) !important;
                     word-break: normal; overflow-wrap: normal; hyphens: none; vertical-align: top; }
.hist td.num, .hist th.num { text-align: right; white-space: nowrap; }
.hist .when { white-space: nowrap; }
.hist .sub { display: block; color: var(--body-text-color-subdued); font-size: .78rem; }
.status { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .75rem; font-weight: 600; white-space: nowrap;
          border: 1px solid var(--ic-plain-edge); background: var(--ic-plain-bg); color: var(--ic-plain-fg); }
.status-done { color: var(--ic-done-fg); background: var(--ic-done-bg); border-color: var(--ic-done-edge); }
.status-open { color: var(--ic-phase-fg); background: var(--ic-phase-bg); border-color: var(--ic-phase-edge); }
@media (max-width: 640px) {
  /* A card per session: the header row is hidden, so each number carries its own label. */
  .hist thead { display: none; }
  .hist tr { display: grid; grid-template-columns: minmax(0, 1fr) auto; gap: .2rem .8rem; padding: .55rem .25rem;
             border-bottom: 1px solid var(--border-color-primary) !important; }
  .hist td { border: none !important; padding: 0; }
  .hist td.num { text-align: left; }
  .hist td[data-label]::before { content: attr(data-label) " "; color: var(--body-text-color-subdued); font-size: .78rem; }
}
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(300px, 100%), 1fr)); gap: .8rem; }
.chart { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: .5rem .6rem; margin: 0; }
.chart figcaption { font-weight: 650; font-size: .86rem; margin-bottom: .2rem; }
.chart svg { width: 100%; height: auto; display: block; overflow: visible; }
.chart .axis { stroke: var(--border-color-primary); stroke-width: 1; }
.chart text { fill: var(--body-text-color-subdued); font-size: 10px; font-family: inherit; }
.chart .line { fill: none; stroke-width: 2.2; stroke-linejoin: round; stroke-linecap: round; }
.legend { list-style: none; padding: 0 !important; margin: .3rem 0 0 !important; display: flex; flex-wrap: wrap; gap: .15rem .8rem;
          font-size: .78rem; color: var(--body-text-color); }
.legend li { display: inline-flex; align-items: center; gap: .3rem; margin: 0 !important; }
.legend i { width: .9rem; height: .22rem; border-radius: 2px; display: inline-block; flex: none; }
""" + "".join(f".c{i} {{ stroke: var(--ic-line-{i}); fill: var(--ic-line-{i}); }} .legend i.c{i} {{ background: var(--ic-line-{i}); }}\n"
               for i in range(8))

_GUIDE = """
.hits { display: flex; flex-direction: column; gap: .5rem; }
.hit { border: 1px solid var(--border-color-primary); border-radius: 10px; background: var(--background-fill-primary); }
.hit > summary { cursor: pointer; padding: .55rem .7rem; list-style: none; display: block; border-radius: 10px; }
.hit > summary::-webkit-details-marker { display: none; }
.hit > summary:hover { background: var(--background-fill-secondary); }
.hit-title { font-weight: 650; font-size: .92rem; display: block; }
.hit-meta { color: var(--body-text-color-subdued); font-size: .76rem; display: block; margin: .1rem 0 .25rem; }
.hit-text { font-size: .86rem; display: block; }
.hit-text ul { margin: .15rem 0 0 1.1rem !important; padding: 0 !important; }
.hit-text li { margin: .05rem 0 !important; }
.hit-open { display: inline-block; margin-top: .3rem; font-size: .78rem; font-weight: 600; color: var(--link-text-color); }
.hit[open] .hit-open::after { content: " (open)"; font-weight: 400; }
.hit-body { padding: .2rem .9rem .7rem; border-top: 1px solid var(--border-color-primary); font-size: .86rem; }
.hit-body h5 { margin: .6rem 0 .2rem !important; font-size: .88rem; }
.hit-body ul { margin: 0 0 0 1.1rem !important; padding: 0 !important; }
.hit-body pre { font-size: .75rem; line-height: 1.25; overflow-x: auto; background: var(--background-fill-secondary); padding: .4rem; border-radius: 6px; }
"""

CSS = _PALETTE + _LAYOUT + _HEADER + _SCORECARD + _TABLES + _HISTORY + _GUIDE

# Gradio scopes the rules inside an @media block of ``css`` to ``.gradio-container … .contain``, so a phone
# rule for the page's own padding (on ``.main``, outside ``.contain``) never matched and a 390 px screen kept
# 2 × 32 px of side padding; the tab bar then overflowed into a "More tabs" menu at 360 px. Rules for what
# lies outside ``.contain`` go into the page head instead (see theme.HEAD).
PAGE_CSS = """
@media (max-width: 640px) {
  .gradio-container > .main.fillable.app { padding-left: .75rem !important; padding-right: .75rem !important; }
}
"""
