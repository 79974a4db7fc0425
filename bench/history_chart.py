"""History chart speed: drawing the progress chart (overall score and every signal) for 1,000
attempts, from records already in memory (the database read is not included).

Run: .venv/bin/python bench/history_chart.py
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import datetime, timedelta, timezone

from storybank.practice.attempts import Attempt
from storybank.practice.chart import history_chart_svg, history_series
from storybank.rubric import SIGNAL_IDS

ATTEMPTS = 1_000
RUNS = 20


def synthetic_attempts(count: int, seed: int = 1) -> list[Attempt]:
    """Drills spread over a year, scores drifting upwards with noise."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    attempts = []
    for index in range(count):
        progress = index / count
        signals = {
            name: {"score": round(min(1.0, max(0.0, 0.3 + 0.6 * progress + rng.uniform(-0.25, 0.25))), 3), "weight": 1.0}
            for name in SIGNAL_IDS
            if name != "failure_recovery" or index % 5 == 0
        }
        score = round(100 * sum(entry["score"] for entry in signals.values()) / len(signals), 1)
        moment = start + timedelta(hours=8.7 * index)
        attempts.append(Attempt(
            id=index + 1, uid=f"{index:032x}", mode="drill", phase="done", profile="binance",
            question_id="bn-reduced-churn", question={}, story_id=None, opening=None, opening_analysis=None,
            answer="…", analysis={"score": score, "signals": signals}, score=score, verdict="developing",
            kind="impact", limits={}, timings={}, probe=None, probe_reply=None, probe_analysis=None,
            probe_check=None, risk_aware=False, result=None, audio=None, started_at=moment,
            phase_started_at=moment, last_activity_at=moment, finished_at=moment,
        ))
    return attempts


def main() -> None:
    attempts = synthetic_attempts(ATTEMPTS)
    timings = []
    for _ in range(RUNS):
        began = time.perf_counter()
        svg = history_chart_svg(history_series(attempts))
        timings.append((time.perf_counter() - began) * 1000)
    print(f"history chart, {ATTEMPTS} attempts, {len(SIGNAL_IDS)} signals + overall: "
          f"min {min(timings):.1f} ms, median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms over {RUNS} runs "
          f"({len(svg) / 1024:.0f} KiB of SVG)")


if __name__ == "__main__":
    main()
