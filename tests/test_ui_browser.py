"""Real-browser tests: Playwright drives Debian's headless Chromium through the app.

Screenshots are saved under ``artifacts/`` (git-ignored). Skipped, with the reason, when
``/usr/bin/chromium`` is missing — ``make test`` installs it (``make browser``).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from interviewer.settings import Settings

from conftest import KNOWLEDGE, REPO
from test_ui_support import GRADIO_PANDAS_WARNINGS, guide_index, launched, make_context, needs_engine  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.slow, *GRADIO_PANDAS_WARNINGS]

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]
ARTIFACTS = REPO / "artifacts"
LAPTOP = {"width": 1366, "height": 800}
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
    no_error_toast(page)
    assert shot(page, "draft-feedback").stat().st_size > 10_000


def test_friendly_error_for_an_empty_draft(page):
    page.get_by_role("tab", name="Draft feedback").click()
    page.locator("#draft-grade").click()
    toast = page.locator(".toast-body")
    toast.first.wait_for()
    text = toast.first.inner_text()
    assert "Paste your draft answer first." in text and "Traceback" not in text


def test_guide_search_in_the_browser(page):
    page.get_by_role("tab", name="Guide").click()
    box = page.locator("#guide-search textarea, #guide-search input").first
    box.fill("rate limiting at the gateway")
    box.press("Enter")
    page.locator("#guide-results").get_by_text("similarity").first.wait_for()
    assert "›" in page.locator("#guide-results").inner_text()
    shot(page, "guide")


def test_short_offline_mock_interview_in_the_browser(page):
    needs_engine()
    page.locator("#iv-n input[type=number]").fill("1")
    page.locator("#iv-n input[type=number]").press("Enter")
    page.locator("#iv-start").click()
    page.locator("#chat .message").first.wait_for()
    assert "offline" in page.locator("#mode-badge").inner_text()
    page.locator("#iv-msg textarea").fill(ANSWER)
    page.locator("#iv-send").click()
    page.locator("#iv-scorecard .sc-dims").wait_for()
    assert page.locator("#iv-scorecard .sc-dim").count() >= 3
    shot(page, "mock-interview")
    page.locator("#iv-end").click()
    page.locator("#iv-report").get_by_text("report", exact=False).first.wait_for()
    assert page.locator("#iv-scorecard .sc-dims").is_visible()
    no_error_toast(page)
    shot(page, "mock-interview-report")
    page.get_by_role("tab", name="History").click()
    expect(page.locator("#history-table")).to_contain_text("finished", timeout=TIMEOUT_MS)
    page.locator("#history-chart img").first.wait_for()
    shot(page, "history")
