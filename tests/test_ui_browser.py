"""Real-browser tests: Playwright drives Debian's headless Chromium through the app.

One app per module. Every tab is checked in light and dark mode at laptop and phone width:
nothing wider than the screen, and the WCAG contrast of banners, badges and tables computed
from the rendered colours. Screenshots are saved under ``artifacts/`` (git-ignored).
Skipped, with the reason, when ``/usr/bin/chromium`` is missing — ``make test`` installs it
(``make browser``).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from interviewer.settings import Settings

from conftest import KNOWLEDGE, REPO
from test_ui_support import GRADIO_PANDAS_WARNINGS, guide_index, launched, make_context, needs_engine, on_topic_answer  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.slow, *GRADIO_PANDAS_WARNINGS]

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
ARTIFACTS = REPO / "artifacts"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TABS = ("Mock interview", "Draft feedback", "Guide", "History")
AA = 4.5
# Text that must stay readable in both modes: banners, badges, score boxes, tables, captions.
CONTRAST_SELECTORS = (".badge", ".banner", ".sc-note", ".status", ".sc-overall", ".sc-count", ".sc-cols span", ".sc-muted",
                      ".sc-title", ".hist td", ".hist th", ".dl td", ".dl th", ".hit-title", ".hit-meta", ".legend li",
                      ".chart figcaption", ".sc-empty", "#app-header p", "[data-testid=block-info]", "button.primary", ".mode-why",
                      "#iv-report td", ".hit-text")
# Layout faults a user sees at once: a dropdown's caret drawn over its text (Gradio positions the caret absolutely
# over the input), and a word broken across two lines in a table, a badge, a tab or a button ("Overal/l").
LAYOUT_JS = """() => {
  const out = {caret: [], broken: []};
  for (const wrap of document.querySelectorAll(".wrap-inner")) {
    const input = wrap.querySelector("input"), icon = wrap.querySelector(".icon-wrap");
    if (!input || !icon) continue;
    const r = input.getBoundingClientRect(), c = icon.getBoundingClientRect();
    if (!r.width || !c.width) continue;
    const textEnd = r.right - parseFloat(getComputedStyle(input).paddingRight);
    if (textEnd > c.left + 0.5) out.caret.push(`${input.value.slice(0, 40)}: text to ${Math.round(textEnd)} px, caret from ${Math.round(c.left)} px`);
  }
  const words = "th, td, .sc-cols span, .sc-score, .sc-count, .status, .badge, [role=tab], button";
  for (const el of document.querySelectorAll(words)) {
    if (!el.getBoundingClientRect().width) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /[^\\s\\-\\/·—–]+/g; let m;  // a break at a space, hyphen or slash is fine
      while ((m = re.exec(node.data))) {
        const range = document.createRange(); range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(x => x.width).map(x => Math.round(x.top)));
        if (lines.size > 1) out.broken.push(m[0]);
      }
    }
  }
  const tabs = document.querySelector(".tabs").getBoundingClientRect();
  out.tabs = [Math.round(tabs.x), Math.round(tabs.width)];
  return out;
}"""
# The WCAG 2 contrast ratio of each element's text colour against the first opaque background behind it.
CONTRAST_JS = """(selectors) => {
  function rgb(c) { const m = c.match(/[\\d.]+/g); return m ? m.map(Number) : [0, 0, 0, 0]; }
  function lum(c) { const v = c.slice(0, 3).map(x => { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
                    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; }
  function background(el) {
    for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.length < 4 || c[3] > 0.5) return c; }
    return [255, 255, 255];
  }
  const out = [];
  for (const sel of selectors) for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || !el.innerText || !el.innerText.trim() || el.closest("[hidden], .hide")) continue;
    const fg = rgb(getComputedStyle(el).color), bg = background(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    out.push({sel: sel, text: el.innerText.trim().slice(0, 40), ratio: Math.round((a + 0.05) / (b + 0.05) * 100) / 100});
  }
  return out;
}"""
TIMEOUT_MS = 60_000
ANSWER = ("First I'd clarify requirements: transactions per second, latency targets, uptime and PCI DSS compliance. "
          "An API gateway does rate limiting and authentication; Kafka gives async processing, chosen over RabbitMQ for replay "
          "at the cost of operations work. At my last company we handled 10M payments a day and cut failures by 30%.")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: run `make browser` (apt-get install chromium chromium-driver)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, guide, embedder, guide_index):
    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("browser"), knowledge_dir=KNOWLEDGE)
    with launched(make_context(settings, guide, embedder, guide_index)) as url:
        yield url


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(app_url)
    page.get_by_role("tab", name="Mock interview").wait_for()
    yield page
    context.close()


def expect(locator):
    from playwright.sync_api import expect as _expect

    return _expect(locator)


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check_layout(page, name: str) -> list[int]:
    """No dropdown caret over its text, no word broken mid-word; returns the tab bar's x and width."""
    found = page.evaluate(LAYOUT_JS)
    assert not found["caret"], f"{name}: dropdown caret over the text: {found['caret']}"
    assert not found["broken"], f"{name}: words broken across lines: {sorted(set(found['broken']))[:8]}"
    return found["tabs"]


def check_screen(page, name: str) -> list[int]:
    """No horizontal overflow, AA contrast for every checked text, a clean layout, and a screenshot to look at."""
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{name}: the page is {width[0]} px wide on a {width[1]} px screen"
    measured = page.evaluate(CONTRAST_JS, list(CONTRAST_SELECTORS))
    low = [m for m in measured if m["ratio"] < AA]
    assert not low, f"{name}: text below {AA}:1 contrast: {low[:6]}"
    tabs = check_layout(page, name)
    shot(page, name)
    return tabs


def no_error_toast(page) -> None:
    assert page.locator(".toast-body.error").count() == 0, page.locator(".toast-body").all_inner_texts()


def test_draft_feedback_in_the_browser(page):
    page.get_by_role("tab", name="Draft feedback").click()
    page.locator("#draft-answer textarea").fill("We would use a database and an API. It should be fast.")
    page.locator("#draft-grade").click()
    card = page.locator("#draft-scorecard .sc-dims")
    card.wait_for()
    first = page.locator("#draft-scorecard .sc-overall b").inner_text()
    page.locator("#draft-answer textarea").fill(ANSWER)
    page.locator("#draft-grade").click()
    page.locator("#draft-delta table").wait_for()
    assert card.is_visible() and page.locator("#draft-scorecard .sc-dim").count() >= 4
    assert float(page.locator("#draft-scorecard .sc-overall b").inner_text()) > float(first)
    assert "▲" in page.locator("#draft-delta").inner_text()
    page.locator("#draft-scorecard .sc-dim summary").first.click()  # open one dimension's evidence
    assert page.locator("#draft-scorecard .sc-quote").first.is_visible()
    # The improved outline is a numbered list that can pass ten steps: its left padding must hold a
    # two-digit marker ("10." was clipped to "l0." by Gradio's default padding).
    outline = page.locator("#draft-gaps ol").last
    pad, font = outline.evaluate("e => [parseFloat(getComputedStyle(e).paddingLeft), parseFloat(getComputedStyle(e).fontSize)]")
    assert pad >= 2 * font, (pad, font)
    no_error_toast(page)
    assert shot(page, "draft-feedback").stat().st_size > 10_000


def test_friendly_error_for_an_empty_draft(page):
    """One warning, no red "Error" badges, and no scorecard left over from an earlier draft."""
    page.get_by_role("tab", name="Draft feedback").click()
    page.locator("#draft-answer textarea").fill(ANSWER)
    page.locator("#draft-grade").click()
    page.locator("#draft-scorecard .sc-dims").wait_for()
    page.locator("#draft-answer textarea").fill("")
    page.locator("#draft-grade").click()
    expect(page.locator("#draft-scorecard")).to_contain_text("Paste your draft answer first.")
    page.wait_for_timeout(500)  # a second toast would have arrived by now
    toasts = page.locator(".toast-body").all_inner_texts()
    assert len(toasts) == 1 and "Paste your draft answer first." in toasts[0] and "Traceback" not in toasts[0], toasts
    assert page.locator("#draft-scorecard .sc-dims").count() == 0
    assert page.get_by_text("Error", exact=True).count() == 0  # Gradio's per-output error badge


def test_guide_search_in_the_browser(page):
    page.get_by_role("tab", name="Guide").click()
    box = page.locator("#guide-search textarea, #guide-search input").first
    box.fill("rate limiting at the gateway")
    box.press("Enter")
    page.locator("#guide-results").get_by_text("similarity").first.wait_for()
    assert "›" in page.locator("#guide-results").inner_text()
    assert page.locator("#guide-results .hit-text li").count() > 0  # lists stay lists, not "- a - b"
    page.locator("#guide-results .hit summary").first.click()
    body = page.locator("#guide-results .hit-body").first
    expect(body).to_be_visible()
    assert body.locator("h5").count() >= 3  # the question's framework parts and its example answer
    shot(page, "guide")


def answer_shown_question(page, guide) -> str:
    """Type the scripted answer to the question on screen, as a candidate would."""
    answer = on_topic_answer(guide, page.locator("#chat").inner_text())
    page.locator("#iv-msg textarea").fill(answer)
    return answer


def test_short_offline_mock_interview_in_the_browser(page, guide):
    needs_engine()
    page.locator("#iv-n input[type=number]").fill("1")
    page.locator("#iv-n input[type=number]").press("Enter")
    page.locator("#iv-start").click()
    page.locator("#chat .message").first.wait_for()
    assert "offline" in page.locator("#mode-badge").inner_text()
    assert "no LLM configured" in page.locator("#mode-why").inner_text(), "the badge says why it is offline"
    answer = answer_shown_question(page, guide)
    page.locator("#iv-send").click()
    page.locator("#iv-scorecard .sc-dims").wait_for()
    assert page.locator("#iv-scorecard .sc-dim").count() >= 3
    shot(page, "mock-interview")
    page.reload()  # the interview in progress comes back after a reload
    page.locator("#iv-scorecard .sc-dims").wait_for()
    expect(page.locator("#chat")).to_contain_text(answer[:60], timeout=TIMEOUT_MS)
    page.locator("#iv-end").click()  # End asks first
    expect(page.locator("#iv-end-yes")).to_be_visible()
    page.locator("#iv-end-no").click()
    expect(page.locator("#iv-end-yes")).to_be_hidden()
    assert page.locator("#iv-msg textarea").is_enabled()
    page.locator("#iv-end").click()
    page.locator("#iv-end-yes").click()
    page.locator("#iv-report").get_by_text("report", exact=False).first.wait_for()
    assert page.locator("#iv-scorecard .sc-dims").is_visible()
    no_error_toast(page)
    report = page.locator("#iv-report").inner_text()
    assert "Practise next" in report and "Work on next" not in report, "one list of advice: the lessons"
    check_screen(page, "mock-interview-report")
    page.get_by_role("tab", name="History").click()
    expect(page.locator("#history-table")).to_contain_text("finished", timeout=TIMEOUT_MS)
    page.locator("#history-chart svg").first.wait_for()
    shot(page, "history")
    page.locator("#history-delete").click()  # Delete asks first, then can be undone
    page.locator("#history-delete-yes").click()
    expect(page.locator("#history-table")).to_contain_text("No interviews yet", timeout=TIMEOUT_MS)
    page.locator("#history-undo-btn").click()
    expect(page.locator("#history-table")).to_contain_text("finished", timeout=TIMEOUT_MS)


@pytest.fixture(params=[("light", LAPTOP), ("dark", LAPTOP), ("light", PHONE), ("dark", PHONE)],
                ids=["light-1280", "dark-1280", "light-390", "dark-390"])
def themed_page(request, browser, app_url):
    scheme, viewport = request.param
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{app_url.rstrip('/')}/?__theme={scheme}")
    page.get_by_role("tab", name="Mock interview").wait_for()
    yield page, f"{scheme}-{viewport['width']}"
    context.close()


def test_every_tab_fits_and_reads_in_light_and_dark(themed_page, guide):
    """Each tab with content on it (a graded answer, a draft, search hits, history), in one mode and width."""
    needs_engine()
    page, tag = themed_page
    assert page.evaluate("document.body.classList.contains('dark')") == tag.startswith("dark")
    for tab in TABS:  # every tab is reachable on a phone: no overflow menu
        assert page.get_by_role("tab", name=tab).is_visible(), tab
    check_layout(page, f"{tag}-setup")  # the Track dropdown, before the setup folds away
    page.locator("#iv-n input[type=number]").fill("2")
    page.locator("#iv-n input[type=number]").press("Enter")
    page.locator("#iv-start").click()
    page.locator("#chat .message").first.wait_for()
    answer_shown_question(page, guide)
    page.locator("#iv-msg textarea").press("Enter")  # Enter sends
    page.locator("#iv-scorecard .sc-dims").wait_for()
    expect(page.locator("#iv-status")).to_contain_text("Question", timeout=TIMEOUT_MS)
    bars = [check_screen(page, f"{tag}-interview")]

    page.get_by_role("tab", name="Draft feedback").click()
    page.locator("#draft-answer textarea").fill(ANSWER)
    page.locator("#draft-answer textarea").press("Control+Enter")  # Ctrl+Enter grades
    page.locator("#draft-scorecard .sc-dims").wait_for()
    page.locator("#draft-scorecard .sc-dim summary").first.click()
    bars.append(check_screen(page, f"{tag}-draft"))

    page.get_by_role("tab", name="Guide").click()
    box = page.locator("#guide-search textarea, #guide-search input").first
    box.fill("rate limiting at the gateway")
    box.press("Enter")
    page.locator("#guide-results .hit").first.wait_for()
    page.locator("#guide-results .hit summary").first.click()  # a result opens its question's framework
    expect(page.locator("#guide-results .hit-body").first).to_be_visible()
    bars.append(check_screen(page, f"{tag}-guide"))

    page.get_by_role("tab", name="History").click()
    expect(page.locator("#history-table")).to_contain_text("1 of 2", timeout=TIMEOUT_MS)
    page.locator("#history-chart svg").first.wait_for()
    bars.append(check_screen(page, f"{tag}-history"))
    assert len({tuple(b) for b in bars}) == 1, f"the page moves sideways between tabs: {bars}"

    page.get_by_role("tab", name="Mock interview").click()  # the final report, in this mode and width
    page.locator("#iv-end").click()
    page.locator("#iv-end-yes").click()
    expect(page.locator("#iv-report")).to_contain_text("Practise next", timeout=TIMEOUT_MS)
    check_screen(page, f"{tag}-report")
    no_error_toast(page)


def test_the_narrowest_phone_keeps_every_tab_in_the_bar(browser, app_url):
    """At 360 px (the narrowest phone we support) all four tabs fit: none hides behind a "More tabs" menu."""
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(app_url)
    page.get_by_role("tab", name="Mock interview").wait_for()
    try:
        for tab in TABS:
            assert page.get_by_role("tab", name=tab).is_visible(), tab
        check_layout(page, "360-setup")
        page.get_by_role("tab", name="Guide").click()
        page.locator("#guide-question").wait_for()
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"the page is {width[0]} px wide on a {width[1]} px screen"
        check_layout(page, "360-guide")
        shot(page, "light-360-guide")
    finally:
        context.close()
