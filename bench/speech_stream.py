"""Spoken answers through the web app: how long after Stop the report is ready (target about 2 s
for a 45-second answer).

    .venv/bin/python bench/speech_stream.py [--runs 3] [--no-pace] [--browser]

1. flite says a ~45-second answer (rms voice); it becomes 16 kHz mono PCM.
2. `storybank serve` starts on a free loopback port with a throwaway STORYBANK_HOME.
3. HTTP: each run opens a recording and streams one-second chunks, paced in real time like the
   browser (unless --no-pace); "stop → report" is the time from sending the last chunk (the
   page sends the tail when Stop is pressed) until the finish request has returned the report.
4. --browser: Chromium records the same answer from its fake microphone for 45 s, Stop is
   clicked, and the time until the report page is on screen is measured.

Needs Debian's flite (and Chromium for --browser). Prints the numbers; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

ANSWER = (
    "I decided to rebuild the checkout flow after conversion fell for three straight months. "
    "Within six weeks checkout latency dropped by thirty one percent and revenue grew by two "
    "million dollars a quarter. I brought risk, compliance and engineering into one weekly review. "
    "Last spring I chose to pause a launch that our largest partner wanted, because the fraud "
    "checks were not ready. I explained the trade off with numbers, we shipped a month later, and "
    "chargebacks stayed flat while volume doubled. When withdrawals failed for a day, I owned the "
    "post mortem. We found a missing alert, added a staged rollout and a kill switch, and since "
    "then no release has caused an outage. Support tickets per thousand orders fell by half that year."
)
RATE = 16_000
CHUNK_BYTES = RATE * 2


def speak(folder: Path, rate: int | None = None) -> tuple[Path, bytes, float]:
    """The answer as a WAV (at `rate` when given) and as 16 kHz PCM, with its length."""
    import soundfile
    import soxr

    path = folder / f"answer-{rate or 'native'}.wav"
    subprocess.run(["flite", "-voice", "rms", "-t", ANSWER, "-o", str(path)], check=True, capture_output=True)
    samples, native = soundfile.read(str(path), dtype="float32")
    if rate and rate != native:
        soundfile.write(str(path), soxr.resample(samples, native, rate), rate, subtype="PCM_16")
    at_16k = samples if native == RATE else soxr.resample(samples, native, RATE)
    pcm = (np.clip(at_16k, -1, 1) * 32767).astype("<i2").tobytes()
    return path, pcm, len(samples) / native


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(home: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    executable = Path(sys.executable).with_name("storybank")
    env = dict(os.environ, STORYBANK_HOME=str(home))
    env.pop("STORYBANK_DATABASE_URL", None)
    process = subprocess.Popen([str(executable), "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/openapi.json", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("storybank serve did not start")


def stream_once(base: str, pcm: bytes, pace: bool) -> dict[str, float]:
    """One recording over HTTP; returns the chunk latencies and the stop → report time."""
    with httpx.Client(base_url=base, timeout=60) as client:
        client.get("/speak")
        headers = {"content-type": "application/octet-stream", "x-csrf-token": client.cookies["storybank_csrf"]}
        started = client.post("/api/speech/sessions", json={}).json()
        chunks = [pcm[start : start + CHUNK_BYTES] for start in range(0, len(pcm), CHUNK_BYTES)]
        began = time.perf_counter()
        chunk_times = []
        for seq, chunk in enumerate(chunks[:-1]):
            if pace:  # the browser sends each second once it has been spoken
                time.sleep(max(0.0, began + seq + 1 - time.perf_counter()))
            sent = time.perf_counter()
            client.post(f"{started['chunk_url']}?seq={seq}", content=chunk, headers=headers).raise_for_status()
            chunk_times.append(time.perf_counter() - sent)
        if pace:
            time.sleep(max(0.0, began + len(pcm) / 2 / RATE - time.perf_counter()))
        stopped = time.perf_counter()
        client.post(f"{started['chunk_url']}?seq={len(chunks) - 1}", content=chunks[-1], headers=headers).raise_for_status()
        finished = client.post(started["finish_url"], json={})
        finished.raise_for_status()
        ready = time.perf_counter() - stopped
        report = finished.json()
    return {"ready": ready, "chunk_p50": statistics.median(chunk_times), "chunk_max": max(chunk_times),
            "duration": report["duration_s"], "wpm": report["wpm"]}


def browser_once(base: str, microphone: Path, seconds: float) -> float:
    """Record `seconds` in Chromium from the fake microphone; the time from Stop to the report page."""
    import re

    from playwright.sync_api import sync_playwright

    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--use-fake-ui-for-media-stream",
             "--use-fake-device-for-media-stream", f"--use-file-for-fake-audio-capture={microphone}"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
        page = browser.new_page(base_url=base)
        page.set_default_timeout(120_000)
        page.goto("/speak")
        page.get_by_role("button", name="Record", exact=True).click()
        page.wait_for_function("() => document.querySelector('[data-recorder]').dataset.state === 'recording'")
        time.sleep(seconds)
        stopped = time.perf_counter()
        page.get_by_role("button", name="Stop", exact=True).click()
        page.wait_for_url(re.compile(r"/speak/reports/"))
        page.locator("[data-metric='duration']").wait_for()
        ready = time.perf_counter() - stopped
        browser.close()
    return ready


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-pace", action="store_true", help="send chunks as fast as the server takes them")
    parser.add_argument("--browser", action="store_true", help="also record in Chromium from a fake microphone")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="storybank-bench-") as folder:
        _, pcm, seconds = speak(Path(folder))
        process, base = serve(Path(folder) / "home")
        try:
            print(f"answer: {seconds:.1f} s of speech, {len(pcm) // CHUNK_BYTES + 1} one-second chunks, "
                  f"{'real-time pacing' if not options.no_pace else 'no pacing'}")
            readies = []
            for run in range(options.runs):
                result = stream_once(base, pcm, pace=not options.no_pace)
                readies.append(result["ready"])
                print(f"run {run + 1}: stop → report {result['ready']:.2f} s · chunk request p50 "
                      f"{result['chunk_p50'] * 1000:.0f} ms, max {result['chunk_max'] * 1000:.0f} ms · "
                      f"duration {result['duration']:.1f} s, {result['wpm']:.0f} wpm")
            print(f"stop → report over HTTP: median {statistics.median(readies):.2f} s, worst {max(readies):.2f} s "
                  "(target about 2 s)")
            if options.browser:
                microphone, _, _ = speak(Path(folder), rate=48_000)
                ready = browser_once(base, microphone, min(45.0, seconds))
                print(f"browser, {min(45.0, seconds):.0f} s recorded: Stop → report page shown {ready:.2f} s")
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
