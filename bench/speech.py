"""Speech: real-time factor on one core (target <= 0.25), the wait for the report after a
streamed 45-second answer ends (target about 2 s), and word error rate on flite's voices.

Needs Debian's flite (apt-get install -y flite). Run: .venv/bin/python bench/speech.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import soundfile

from storybank.practice.speech import PocketsphinxBackend, SpeechSession, decode_audio

# Numbers are spelled out so the reference is exactly what flite says.
ANSWERS = [
    "I decided to rebuild the checkout flow after conversion fell for three straight months. "
    "Within six weeks checkout latency dropped by thirty one percent and revenue grew by two "
    "million dollars a quarter. I brought risk, compliance and engineering into one weekly review.",
    "Last spring I chose to pause a launch that our largest partner wanted, because the fraud "
    "checks were not ready. I explained the trade off with numbers, we shipped a month later, and "
    "chargebacks stayed flat while volume doubled.",
    "When withdrawals failed for a day, I owned the post mortem. We found a missing alert, added "
    "a staged rollout and a kill switch, and since then no release has caused an outage.",
]
LONG_ANSWER = " ".join(ANSWERS)  # about 43 seconds in the rms voice
VOICES = ["kal", "kal16", "awb", "rms", "slt"]


def words_of(text: str) -> list[str]:
    return [w for w in "".join(c.lower() if c.isalnum() or c in " '" else " " for c in text).split()]


def word_error_rate(reference: list[str], hypothesis: list[str]) -> float:
    """Levenshtein distance over words ÷ reference length."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i] + [0] * len(hypothesis)
        for j, hyp in enumerate(hypothesis, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp))
        previous = current
    return previous[-1] / max(1, len(reference))


def synthesise(text: str, voice: str, path: Path) -> Path:
    subprocess.run(["flite", "-voice", voice, "-t", text, "-o", str(path)], check=True, capture_output=True)
    return path


def one_core() -> None:
    """Pin this process to one CPU so the numbers are per core."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def bench_voices(backend: PocketsphinxBackend, folder: Path) -> None:
    print(f"{'voice':<7} {'rate':>6} {'audio s':>8} {'cpu s':>6} {'RTF':>6} {'WER':>6}")
    all_rtf, all_wer = [], []
    for voice in VOICES:
        audio_s = cpu_s = errors = 0.0
        for index, answer in enumerate(ANSWERS):
            path = synthesise(answer, voice, folder / f"{voice}-{index}.wav")
            samples = decode_audio(path, 600)
            started = time.process_time()
            transcript = backend.transcribe(samples)
            cpu_s += time.process_time() - started
            audio_s += len(samples) / 16_000
            errors += word_error_rate(words_of(answer), words_of(transcript.text))
        rate = soundfile.info(str(path)).samplerate
        rtf, wer = cpu_s / audio_s, errors / len(ANSWERS)
        all_rtf.append(rtf)
        all_wer.append(wer)
        print(f"{voice:<7} {rate:>6} {audio_s:8.1f} {cpu_s:6.2f} {rtf:6.3f} {wer:6.3f}")
    print(f"{'all':<7} {'':>6} {'':>8} {'':>6} {max(all_rtf):6.3f} {sum(all_wer) / len(all_wer):6.3f}"
          "   (worst RTF, mean WER; target RTF <= 0.25)")


def bench_streaming(backend: PocketsphinxBackend, folder: Path) -> None:
    path = synthesise(LONG_ANSWER, "rms", folder / "long.wav")
    samples = decode_audio(path, 600)
    seconds = len(samples) / 16_000
    session = SpeechSession("binance", backend=backend)
    feeding = []
    for start in range(0, len(samples), 16_000):  # what the browser sends: a second at a time
        began = time.perf_counter()
        session.feed(samples[start : start + 16_000])
        feeding.append(time.perf_counter() - began)
    began = time.perf_counter()
    report = session.finish()
    wait = time.perf_counter() - began
    print(f"\nstreamed answer: {seconds:.1f} s of audio in {len(feeding)} one-second chunks; "
          f"{sum(feeding):.1f} s spent decoding them as they came; slowest chunk "
          f"{max(feeding) * 1000:.0f} ms (the one that measures the mean and catches up)")
    print(f"report ready {wait:.2f} s after the answer ended (target about 2 s); "
          f"{report.metrics.words} words, {report.metrics.wpm:.0f} wpm")


def main() -> int:
    if not shutil.which("flite"):
        print("flite is not installed: apt-get install -y flite", file=sys.stderr)
        return 1
    one_core()
    backend = PocketsphinxBackend()
    with tempfile.TemporaryDirectory() as folder:
        bench_voices(backend, Path(folder))
        bench_streaming(backend, Path(folder))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
