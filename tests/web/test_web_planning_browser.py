"""The planner pages in a real browser (Debian's Chromium through Playwright), with screenshots
saved to tests/artifacts/web/ (gitignored) for people to look at."""

from __future__ import annotations

import httpx
import pytest
from icalendar import Calendar

from storybank.web.planning_view import day_label

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PLAN_QUERY = {"first_screen": "2026-03-02", "country": "US", "subdivision": "CA", "round": "2=2026-03-04"}


def assert_fits_and_is_labelled(page, width: int) -> None:
    """No sideways scrolling of the page itself, and a label on every control."""
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    unlabeled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
            .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
            .map(el => el.name)"""
    )
    assert unlabeled == []


def test_project_the_process_and_download_the_calendar(page, live_server, screenshot):
    page.goto("/plan")
    assert page.locator(".planner-intro").is_visible()
    screenshot(page, "plan-empty")

    page.fill("#f-first_screen", "2026-03-02")
    page.fill("#f-country", "US")
    page.fill("#f-subdivision", "CA")
    page.fill("#f-round_2", "2026-03-04")
    page.locator("#f-subdivision").press("Enter")  # the form submits from the keyboard
    page.wait_for_url("**/plan?*")

    expected = httpx.get(f"{live_server}/api/plan", params=PLAN_QUERY).json()
    assert page.locator("#offer-expected").inner_text() == day_label(expected["offer_by"]["expected"])
    assert page.locator("svg.tl-chart--wide .tl-row").count() == 8
    assert page.locator(".plan-table .recorded").count() == 2
    assert page.locator("#guide-check").is_visible()
    assert page.locator("#f-round_2").input_value() == "2026-03-04"
    assert_fits_and_is_labelled(page, 1366)
    screenshot(page, "plan-result")

    with page.expect_download() as download_info:
        page.click("text=Download calendar (.ics)")
    download = download_info.value
    assert download.suggested_filename == "hiring-process-2026-03-02.ics"
    calendar = Calendar.from_ical(open(download.path(), "rb").read())
    summaries = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    assert len(summaries) == 7 + len(expected["tasks"])
    assert any(summary.startswith("Hiring decision expected") for summary in summaries)

    page.set_viewport_size(PHONE)
    page.reload()
    assert_fits_and_is_labelled(page, PHONE["width"])
    screenshot(page, "plan-result-phone")
    assert page.console_errors == []


def test_a_bad_country_is_explained_next_to_the_field(page, screenshot):
    page.goto("/plan")
    page.fill("#f-country", "XX")
    page.click("text=Project the timeline")
    error = page.locator("#f-country-error")
    assert "Unknown country code 'XX'" in error.inner_text()
    assert page.locator("#f-country").get_attribute("aria-invalid") == "true"
    screenshot(page, "plan-error", full_page=False)


def test_plan_an_offer_compare_it_and_read_the_script(page, screenshot):
    page.goto("/offer")
    assert page.locator("#f-base").input_value() == "152000"
    assert page.locator(".planner-intro").is_visible()
    screenshot(page, "offer-empty")

    page.fill("#f-valuation-1", "10B")
    page.fill("#f-valuation-2", "20B")
    page.fill("#f-current_base", "140000")
    page.fill("#f-evidence", "I cut order-fill latency 31 % in six weeks")
    page.click("summary:has-text('Compare with other offers')")
    page.fill("#f-other1_name", "Other exchange")
    page.fill("#f-other1_base", "165k")
    page.fill("#f-other1_equity_percent", "0.02")
    page.fill("#f-other1_valuation", "5B")
    page.click("text=Plan the offer")

    first_year = page.locator("#years-table tbody tr").first.locator("td.total")
    assert first_year.all_inner_texts() == ["$924,000", "$1,674,000"]
    assert [text.strip() for text in page.locator("#compare-table thead th").all_text_contents()] == ["Item", "this offer", "Other exchange"]
    assert page.locator(".offer-chart--wide svg").is_visible()
    steps = page.locator("#script-steps > li")
    assert steps.count() == 6
    assert "I cut order-fill latency 31 % in six weeks" in steps.nth(1).inner_text()
    assert page.locator("#script-steps mark.placeholder").count() >= 1
    assert page.locator("#f-valuation-2").input_value() == "20B"  # the form keeps what was typed
    assert_fits_and_is_labelled(page, 1366)
    screenshot(page, "offer-result")

    page.set_viewport_size(PHONE)
    assert_fits_and_is_labelled(page, PHONE["width"])
    screenshot(page, "offer-result-phone")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.fill("#f-cliff_months", "60")
    page.click("text=Plan the offer")
    error = page.locator("#f-cliff_months-error")
    assert "longer than the 4-year vesting period" in error.inner_text()
    assert page.locator("#f-cliff_months").input_value() == "60"
    error.scroll_into_view_if_needed()
    screenshot(page, "offer-error", full_page=False)
