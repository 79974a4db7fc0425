"""Speaking an answer in a real browser: Chromium records from a WAV file made by flite (its fake
microphone), streams it to the server while recording, and shows the report after Stop.

Screenshots land in tests/artifacts/web/ (gitignored) for people to look at.
"""

from __future__ import annotations

import re
import shutil
import time

import pytest
from speech_audio import ANSWER, synthesise

pytestmark = [pytest.mark.browser, pytest.mark.speech]

# The web tests' launch flags (no network chatter), plus a fake microphone below.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

RECORD_SECONDS = 7


@pytest.fixture
def microphone_file(require_flite: str, tmp_path) -> str:
    """The answer said by flite at 48 kHz, which Chromium's fake microphone plays in a loop."""
    return str(synthesise(require_flite, ANSWER, tmp_path / "microphone.wav", rate=48_000).path)


@pytest.fixture
def recording_browser(chromium_browser, microphone_file: str):
    """A second Chromium, from the same Playwright, whose microphone is `microphone_file`."""
    flags = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={microphone_file}",
    ]
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    browser = chromium_browser.browser_type.launch(executable_path=executable, args=CHROMIUM_ARGS + flags)
    yield browser
    browser.close()


@pytest.fixture
def recording_page(recording_browser, live_server: str):
    context = recording_browser.new_context(base_url=live_server, viewport=LAPTOP)
    context.grant_permissions(["microphone"], origin=live_server)
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    yield page
    context.close()


def clock_seconds(text: str) -> float:
    minutes, seconds = text.strip().split(":")
    return int(minutes) * 60 + float(seconds)


def test_record_from_the_microphone_stop_and_read_the_report(recording_page, screenshot):
    page = recording_page
    page.goto("/speak")
    recorder = page.locator("[data-recorder]")
    page.get_by_role("button", name="Record", exact=True).click()
    page.wait_for_function("() => document.querySelector('[data-recorder]').dataset.state === 'recording'")
    # The meter moves and the timer runs while the fake microphone speaks.
    page.wait_for_function("() => document.querySelector('[data-recorder] [data-level]').style.transform !== 'scaleX(0)'")
    page.wait_for_function(f"() => document.querySelector('[data-recorder] [data-elapsed]').textContent >= '0:0{RECORD_SECONDS - 3}'")
    screenshot(page, "speak-recording", full_page=False)
    page.wait_for_function(f"() => document.querySelector('[data-recorder] [data-elapsed]').textContent >= '0:0{RECORD_SECONDS}'")

    stopped = time.perf_counter()
    page.get_by_role("button", name="Stop", exact=True).click()
    page.wait_for_url(re.compile(r"/speak/reports/[\w-]+$"))
    page.locator("[data-metric='duration']").wait_for()
    print(f"\nstop → report page shown: {time.perf_counter() - stopped:.2f} s")

    duration = clock_seconds(page.locator("[data-metric='duration']").inner_text())
    assert RECORD_SECONDS - 0.5 <= duration <= RECORD_SECONDS + 5  # Stop is clicked a moment after the timer shows 7 s
    wpm = int(page.locator("[data-metric='wpm']").inner_text().split()[0])
    assert 60 <= wpm <= 300
    transcript = page.locator("[data-transcript]").inner_text().lower()
    heard = set(re.findall(r"[a-z]+", transcript)) & set(re.findall(r"[a-z]+", ANSWER.lower()))
    assert len(heard) >= 3, transcript
    assert page.locator(".rate-chart__bar").count() >= 1
    assert page.locator(".verdict__word").count() == 1
    assert recorder.count() == 1  # the recorder is there to try again
    screenshot(page, "speak-report")
    page.set_viewport_size(PHONE)
    screenshot(page, "speak-report-phone")
    assert page.console_errors == []


def test_a_drill_answered_and_probed_out_loud(recording_page, screenshot):
    page = recording_page
    started = page.request.post("/api/practice/drills", data={"question_id": "bn-funnel", "with_opening": False})
    uid = started.json()["uid"]
    page.goto(f"/practice/drills/{uid}")
    page.get_by_role("button", name="Record", exact=True).click()
    page.wait_for_function("() => document.querySelector('[data-recorder] [data-elapsed]').textContent >= '0:05'")
    screenshot(page, "drill-recording", full_page=False)
    page.get_by_role("button", name="Stop", exact=True).click()
    page.locator(".drill[data-phase='probe']").wait_for()
    attempt = page.request.get(f"/api/practice/drills/{uid}").json()
    assert attempt["timings"]["answer"]["source"] == "audio"
    assert 4.5 <= attempt["timings"]["answer"]["seconds"] <= 8
    assert attempt["audio"]["words"] > 5 and attempt["answer"]
    screenshot(page, "drill-after-spoken-answer")

    # The follow-up probe is answered out loud too.
    assert page.get_by_role("heading", name="Or reply out loud").is_visible()
    page.get_by_role("button", name="Record", exact=True).click()
    page.wait_for_function("() => document.querySelector('[data-recorder] [data-elapsed]').textContent >= '0:04'")
    page.get_by_role("button", name="Stop", exact=True).click()
    page.locator(".drill[data-phase='done']").wait_for()
    attempt = page.request.get(f"/api/practice/drills/{uid}").json()
    assert attempt["timings"]["probe"]["source"] == "audio" and 3.5 <= attempt["timings"]["probe"]["seconds"] <= 7
    assert attempt["probe_audio"]["words"] > 3 and attempt["probe_reply"] == attempt["probe_audio"]["transcript"]
    assert page.get_by_text("Reply transcribed offline from the recording").is_visible()
    screenshot(page, "drill-after-spoken-reply")
    assert page.console_errors == []


def test_the_page_downsamples_to_16_khz_without_aliasing(page):
    """The recorder's own rate converter: a 1 kHz tone passes, a 12 kHz tone (above the new
    Nyquist frequency) is filtered out instead of folding back to 4 kHz."""
    page.goto("/speak")
    result = page.evaluate(
        """() => {
            const { Downsampler } = window.StorybankRecorder;
            const amplitude = (frequency) => {
                const converter = new Downsampler(48000);
                const input = new Float32Array(48000);
                for (let i = 0; i < input.length; i++) input[i] = Math.sin(2 * Math.PI * frequency * i / 48000);
                const parts = [];
                for (let i = 0; i < input.length; i += 2048) parts.push(converter.push(input.subarray(i, i + 2048)));
                parts.push(converter.push(new Float32Array(0), true));
                const out = parts.flatMap((part) => Array.from(part));
                const middle = out.slice(2000, out.length - 2000);
                return { length: out.length, peak: Math.max(...middle.map(Math.abs)) };
            };
            return { low: amplitude(1000), high: amplitude(12000) };
        }"""
    )
    assert result["low"]["length"] == 16000 and result["high"]["length"] == 16000
    assert 0.95 <= result["low"]["peak"] <= 1.05
    assert result["high"]["peak"] < 0.01


def test_without_a_microphone_the_recorder_says_so_and_offers_the_upload(page, screenshot):
    page.goto("/speak")
    page.get_by_role("button", name="Record", exact=True).click()
    status = page.locator("[data-status]")
    page.wait_for_function("() => document.querySelector('[data-recorder] [data-status]').classList.contains('recorder__status--error')")
    assert re.search(r"microphone|record", status.inner_text(), re.I)
    assert page.locator("[data-recorder]").get_attribute("data-state") == "idle"
    assert page.get_by_role("button", name="Record", exact=True).is_enabled()
    assert page.get_by_label("A WAV, FLAC or OGG file of one answer").is_visible()
    screenshot(page, "speak-no-microphone", full_page=False)
