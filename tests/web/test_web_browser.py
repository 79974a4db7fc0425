"""The web UI in a real browser (Debian's Chromium through Playwright), with screenshots.

The screenshots land in tests/artifacts/web/ (gitignored) for people to look at.
"""

from __future__ import annotations

import json
import re

import httpx
import pytest

pytestmark = pytest.mark.browser

WEAK = "We helped the team improve the checkout flow. It was a big improvement and everyone was happy with it."
DECISIVE = (
    "I decided to rebuild the order-book cache, which cut order-cancel latency by 31 % and added $2.4 M in "
    "quarterly trading volume. I aligned risk, engineering and compliance in one review and shipped it in 6 weeks."
)
MORE = " Retail complaints about stuck orders fell 18 % in the first month."


def verdict(page) -> str:
    return page.locator("#verdict-word").get_attribute("data-verdict") or ""


def wait_for_analysis_of_current_text(page) -> None:
    """Wait until the overlay mirrors exactly what the textarea holds (the newest analysis is shown)."""
    page.wait_for_function(
        """() => {
            const form = document.getElementById('editor-form');
            const overlay = document.getElementById('overlay');
            const area = document.getElementById('story-text');
            const end = overlay.querySelector('.surface__end');
            const mirrored = overlay.textContent.slice(0, overlay.textContent.length - (end ? end.textContent.length : 0));
            return form.dataset.sent === overlay.dataset.seq && mirrored === area.value;
        }"""
    )


def type_into_editor(page, text: str, replace: bool = False) -> None:
    editor = page.locator("#story-text")
    editor.click()
    if replace:
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
    page.keyboard.type(text)
    wait_for_analysis_of_current_text(page)


def test_write_improve_save_edit_restore_and_export(page, live_server, screenshot, tmp_path):
    page.goto("/stories/new")
    screenshot(page, "editor-empty")

    type_into_editor(page, WEAK)
    assert verdict(page) == "nice-talk"
    assert page.locator("#verdict-word").inner_text() == "Nice talk"
    marks = page.locator("#overlay mark.hl")
    assert marks.count() >= 2
    assert page.locator("#overlay mark.hl--error").count() >= 1
    assert page.locator("#overlay mark.hl--warning").count() >= 1

    box = page.evaluate(
        "() => { const r = document.querySelector('#overlay mark.hl--warning').getClientRects()[0];"
        " return {x: r.left + r.width / 2, y: r.top + r.height / 2}; }"
    )
    page.mouse.move(box["x"], box["y"])
    tip = page.locator("#finding-tip")
    tip.wait_for(state="visible")
    assert tip.locator(".finding-tip__message").inner_text().startswith("warning:")
    assert tip.locator(".finding-tip__hint").inner_text()
    screenshot(page, "editor-weak-story")

    type_into_editor(page, DECISIVE, replace=True)
    assert verdict(page) == "decisive"
    assert page.locator(".signal[data-signal='quantified_impact'] .signal__value").inner_text() != "0%"
    assert "31 %" in page.locator(".opening").inner_text()
    page.fill("#story-title", "Order-book cache")
    page.check("text=Relentless Execution")
    screenshot(page, "editor-decisive-story")

    page.click("button[value='save']")
    page.wait_for_url(re.compile(r"/stories/1\?saved=1$"))
    assert "Saved as version 1" in page.locator(".notice").inner_text()
    assert verdict(page) == "decisive"

    page.locator("#story-text").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(MORE)
    wait_for_analysis_of_current_text(page)
    page.keyboard.press("Control+S")
    page.wait_for_url(re.compile(r"/stories/1\?saved=2$"))
    assert page.locator("#story-text").input_value() == DECISIVE + MORE
    screenshot(page, "editor-saved-story")

    page.click("text=History")
    page.wait_for_url(re.compile(r"/stories/1/history$"))
    assert page.locator(".word-diff ins").first.inner_text().strip().startswith("Retail")
    screenshot(page, "history")
    page.click("button:has-text('Restore v1')")
    page.wait_for_url(re.compile(r"/history\?restored=1$"))
    assert "Version 1 restored as version 3" in page.locator(".notice").inner_text()
    assert httpx.get(f"{live_server}/api/stories/1").json()["text"] == DECISIVE

    page.goto("/transfer")
    screenshot(page, "import-export")
    with page.expect_download() as download_info:
        page.click("text=Download JSON backup")
    target = tmp_path / "backup.json"
    download_info.value.save_as(target)
    backup = json.loads(target.read_text(encoding="utf-8"))
    versions = backup["stories"][0]["versions"]
    assert [item["version"] for item in versions] == [1, 2, 3]
    assert versions[-1]["text"] == DECISIVE
    assert page.console_errors == []


def test_a_slow_stale_analysis_never_overwrites_a_newer_one(page):
    held = []

    def hold_the_first(route):
        if not held:
            held.append((route, route.fetch()))
            return
        route.continue_()

    page.goto("/stories/new")
    page.route("**/stories/analysis", hold_the_first)
    editor = page.locator("#story-text")
    editor.click()
    page.keyboard.type("We")
    page.wait_for_function("() => document.getElementById('editor-form').dataset.sent === '1'")
    page.wait_for_timeout(200)
    page.keyboard.type(" decided nothing. " + DECISIVE)
    page.wait_for_function("() => Number(document.getElementById('overlay').dataset.seq) > 1")
    wait_for_analysis_of_current_text(page)
    assert verdict(page) == "decisive"
    route, stale_response = held[0]
    try:
        route.fulfill(response=stale_response)
    except Exception:  # the browser may already have cancelled the stale request
        pass
    page.wait_for_timeout(300)
    assert verdict(page) == "decisive"
    assert "decided nothing" in page.locator("#overlay").inner_text()


def test_findings_are_reachable_by_keyboard(page):
    page.goto("/stories/new")
    type_into_editor(page, WEAK)
    button = page.locator(".finding__show").first
    button.focus()
    page.keyboard.press("Enter")
    selection = page.evaluate(
        "() => { const a = document.getElementById('story-text'); return [a.selectionStart, a.selectionEnd, document.activeElement.id]; }"
    )
    assert selection[2] == "story-text" and selection[1] > selection[0]
    note = page.locator("#caret-note")
    assert note.inner_text().strip()
    assert page.locator("#overlay mark.hl--active").count() >= 1


@pytest.mark.parametrize(
    "viewport_name, size", [("laptop", {"width": 1366, "height": 900}), ("phone", {"width": 390, "height": 844})]
)
def test_main_pages_render_cleanly_on_laptop_and_phone(page, live_server, screenshot, viewport_name, size):
    page.set_viewport_size(size)
    page.goto("/")
    assert page.locator(".welcome").is_visible()
    screenshot(page, f"first-run-{viewport_name}")

    for title, text in [("Order-book cache", DECISIVE), ("Checkout sprint", WEAK)]:
        httpx.post(f"{live_server}/api/stories", json={"title": title, "text": text, "principles": ["Relentless Execution"]})
    httpx.put(f"{live_server}/api/stories/1", json={"base_version": 1, "text": DECISIVE + MORE})

    for path, name in [
        ("/", "dashboard"),
        ("/stories", "stories"),
        ("/stories/1", "editor"),
        ("/stories/1/history", "history"),
        ("/builder", "builder"),
        ("/transfer", "import-export"),
        ("/profiles", "profiles"),
    ]:
        page.goto(path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= size["width"], f"{path} scrolls sideways at {size['width']} px"
        unlabeled = page.evaluate(
            """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
                .map(el => el.name)"""
        )
        assert unlabeled == [], f"controls without a label on {path}: {unlabeled}"
        screenshot(page, f"{name}-{viewport_name}")
    assert page.console_errors == []


def test_builder_in_the_browser(page, screenshot):
    page.goto("/builder")
    page.fill("#builder-title", "Quote API sunset")
    page.click("button:has-text('Start')")
    page.wait_for_selector("text=Step 1 of 5")
    page.fill("#builder-part", "I decided to kill the legacy quote API")
    screenshot(page, "builder-step")
    page.click("button:has-text('Next')")
    page.wait_for_selector("text=Step 2 of 5")
    page.fill("#builder-part", "p99 latency fell 38 %")
    for step in range(3, 6):
        page.click("button[value='next']")
        page.wait_for_selector(f"text=Step {step} of 5")
    page.click("button[value='next']")
    page.wait_for_selector("text=Your story, in DMA order")
    assert page.locator("mark.placeholder").count() >= 1
    screenshot(page, "builder-review")
    page.click("button:has-text('Save as a story')")
    page.wait_for_url(re.compile(r"/stories/1\?saved=1$"))
    assert "38 %" in page.locator("#story-text").input_value()


def test_story_search_filters_as_you_type(page, live_server):
    for title, text in [("Order-book cache", DECISIVE), ("Checkout sprint", WEAK)]:
        httpx.post(f"{live_server}/api/stories", json={"title": title, "text": text})
    page.goto("/stories")
    assert page.locator(".story-table tbody tr").count() == 2
    page.fill("#filter-search", "cache")
    page.wait_for_function("() => document.querySelectorAll('.story-table tbody tr').length === 1")
    assert page.locator(".story-link").inner_text() == "Order-book cache"
    page.wait_for_url(re.compile(r"search=cache"))
    page.fill("#filter-search", "zebra")
    page.wait_for_selector("text=No story matches")
    assert page.console_errors == []
