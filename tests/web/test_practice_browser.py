"""A full drill in a real browser (Debian's Chromium through Playwright): the live countdowns,
the over-time display, the probe, the summary, the history chart and the reviewer's form, with
screenshots in tests/artifacts/web/. The browser's clock is moved by hand, so nothing sleeps."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.browser

STORY = (
    "I decided to rebuild the fee page for new traders. First-month churn fell 4.3 %, worth $1.1M a year in "
    "retained fees. I aligned design, engineering and support and shipped it in 5 weeks."
)
OPENING = "I decided to rebuild the fee page, and first-month churn fell 4.3 %."
ANSWER = "We looked at the fee page and the team made changes. Users were happier and churn went down a lot."
REPLY = "I decided to rebuild it myself after reading 200 support tickets; churn fell 4.3 %, about $1.1M a year."


def countdown_text(page) -> str:
    return page.locator("[data-countdown] .countdown__value").inner_text()


def test_a_full_drill_with_countdowns_probe_summary_history_and_review(page, live_server, screenshot):
    created = httpx.post(f"{live_server}/api/stories", json={"title": "New-trader fee page", "text": STORY,
                                                              "principles": ["Customer-First Innovation"]})
    assert created.status_code == 201, created.text
    page.clock.install()
    page.goto("/practice?kind=customer")
    screenshot(page, "practice-questions")
    item = page.locator(".question-item", has_text="bn-reduced-churn")
    item.get_by_role("button", name="Drill").click()

    page.wait_for_selector("[data-phase=opening]")
    page.clock.run_for(1000)
    assert countdown_text(page) in ("0:45", "0:44")
    page.clock.fast_forward(20_000)
    page.clock.run_for(500)
    assert countdown_text(page) in ("0:25", "0:24")
    page.locator("#text").fill(OPENING)
    screenshot(page, "practice-drill-opening")
    page.get_by_role("button", name="Done — now the full answer").click()

    page.wait_for_selector("text=2 · Your full answer")
    assert page.locator("[data-countdown]").get_attribute("data-limit") == "90.0"
    page.clock.fast_forward(95_000)
    page.clock.run_for(500)
    assert countdown_text(page).startswith("+0:0")
    assert "countdown--over" in page.locator("[data-countdown]").get_attribute("class")
    page.locator("#text").fill(ANSWER)
    screenshot(page, "practice-drill-over-time")
    page.locator("#text").press("Control+Enter")

    page.wait_for_selector("text=3 · Follow-up")
    probe = page.locator(".probe-text").inner_text()
    assert probe
    screenshot(page, "practice-drill-probe")
    page.locator("#text").fill(REPLY)
    page.get_by_role("button", name="Done — summary").click()

    page.wait_for_selector("text=Summary")
    assert page.locator(".one-change").count() == 1
    assert page.locator(".opening-line").count() == 1
    assert ANSWER in page.locator(".summary").inner_text()
    screenshot(page, "practice-drill-summary")

    page.goto("/practice/history")
    assert page.locator(".progress-chart svg polyline").count() >= 2
    assert page.locator("article.attempt").count() == 1
    screenshot(page, "practice-history")

    page.locator("article.attempt").get_by_role("link", name="Review this attempt").click()
    page.locator("#reviewer").fill("Dana")
    page.locator("input[name=score_ownership][value='2']").check()
    page.locator("input[name=score_metric_clarity][value='3']").check()
    page.locator("#comment_ownership").fill("Say what you decided, in the first person.")
    page.get_by_role("button", name="Save the review").click()
    page.wait_for_selector("text=Reviews beside the analyzer")
    screenshot(page, "practice-review")

    page.goto("/practice/calibration")
    assert "Ownership signals" in page.locator("table").text_content()
    screenshot(page, "practice-calibration")
    assert page.console_errors == []
