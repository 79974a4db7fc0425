"""What the spoken-answer report page shows, built from a `SpeechReport`: delivery against the
profile's targets, a words-per-minute chart and a timeline drawn as server-side SVG geometry,
and the transcript with the analyzer's findings highlighted."""

from __future__ import annotations

import math
from typing import Any

from storybank.practice.delivery import Word, in_order
from storybank.practice.speech import SpeechReport
from storybank.practice.speech.report import APPROXIMATE_NOTE
from storybank.web.analysis_view import analysis_view

CHART_WIDTH, CHART_HEIGHT = 640, 200
CHART_LEFT, CHART_RIGHT, CHART_TOP, CHART_BOTTOM = 44, 12, 12, 28
TIMELINE_WIDTH, TIMELINE_HEIGHT = 640, 44
SCALE_MIN_WPM, SCALE_MAX_WPM = 60, 240  # the range of the pace scale under the headline number


def clock(seconds: float | None) -> str:
    """`75.36` → "1:15.4"; None → "—"."""
    if seconds is None:
        return "—"
    minutes, rest = divmod(max(0.0, float(seconds)), 60)
    return f"{int(minutes)}:{rest:04.1f}"


def speech_view(report: SpeechReport, *, report_id: str, source: str, audio_file: str | None) -> dict[str, Any]:
    """Everything the report template draws, as plain values."""
    from storybank.rubric.loader import load_profile

    metrics, targets = report.metrics, report.targets
    checks = {check.name: {"ok": check.ok, "hint": check.hint} for check in report.checks}
    content = analysis_view(report.analysis, load_profile(report.profile), report.text)
    words = in_order(report.transcript.words)
    return {
        "id": report_id,
        "source": source,
        "audio_file": audio_file,
        "backend": report.transcript.backend,
        "duration": clock(metrics.duration_s),
        "duration_s": metrics.duration_s,
        "speaking": clock(metrics.speaking_s),
        "speaking_percent": round(metrics.speaking_s / metrics.duration_s * 100) if metrics.duration_s else 0,
        "words": metrics.words,
        "wpm": round(metrics.wpm),
        "wpm_speaking": round(metrics.wpm_speaking),
        "wpm_min": round(targets.wpm_min),
        "wpm_max": round(targets.wpm_max),
        "rate_state": rate_state(metrics.wpm, targets.wpm_min, targets.wpm_max),
        "rate_scale": rate_scale(metrics.wpm, targets.wpm_min, targets.wpm_max),
        "series": rate_chart(report),
        "timeline": timeline(report, words),
        "checks": checks,
        "hints": [check.hint for check in report.checks if check.hint],
        "pauses": pause_rows(report, words),
        "long_pause_s": targets.long_pause_s,
        "fillers": [{"text": f.text, "at": clock(f.start), "start": f.start, "approximate": f.approximate} for f in metrics.fillers],
        "fillers_approximate": any(f.approximate for f in metrics.fillers) or not report.transcript.fillers_reliable,
        "filler_percent": round(metrics.filler_ratio * 100, 1),
        "max_filler_percent": round(targets.max_filler_ratio * 100, 1),
        "first_metric": clock(report.first_metric_s),
        "first_metric_s": report.first_metric_s,
        "first_metric_max_s": round(targets.first_metric_max_s),
        "content": content,
        "approximate_note": APPROXIMATE_NOTE,
        "transcript_empty": not report.text.strip(),
    }


def rate_state(wpm: float, low: float, high: float) -> str:
    """"slow", "ok" or "fast" against the target band."""
    return "slow" if wpm < low else "fast" if wpm > high else "ok"


def _scale_x(wpm: float) -> float:
    clamped = min(max(wpm, SCALE_MIN_WPM), SCALE_MAX_WPM)
    return round((clamped - SCALE_MIN_WPM) / (SCALE_MAX_WPM - SCALE_MIN_WPM) * 100, 2)


def rate_scale(wpm: float, low: float, high: float) -> dict[str, float]:
    """Positions (0–100) of the target band and of the answer's pace on a 60–240 wpm scale."""
    band_start, band_end = _scale_x(low), _scale_x(high)
    return {"band_x": band_start, "band_width": round(band_end - band_start, 2), "marker_x": _scale_x(wpm)}


def _nice_ceiling(value: float, step: int = 40) -> int:
    return int(math.ceil(value / step) * step)


def rate_chart(report: SpeechReport) -> dict[str, Any]:
    """Bars of words per minute per window, over the target band, in SVG user units."""
    metrics, targets = report.metrics, report.targets
    series = metrics.wpm_series
    duration = metrics.duration_s or 1.0
    top = _nice_ceiling(max([targets.wpm_max * 1.25, *(point.wpm for point in series)]))
    plot_width = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM

    def x(seconds: float) -> float:
        return round(CHART_LEFT + seconds / duration * plot_width, 1)

    def y(wpm: float) -> float:
        return round(CHART_TOP + (1 - min(wpm, top) / top) * plot_height, 1)

    bars = []
    for point in series:
        left, right = x(point.start), x(point.end)
        bars.append({
            "x": left + 1, "width": max(1.0, round(right - left - 2, 1)), "y": y(point.wpm),
            "height": round(y(0) - y(point.wpm), 1), "wpm": round(point.wpm),
            "state": rate_state(point.wpm, targets.wpm_min, targets.wpm_max),
            "label": f"{clock(point.start)}–{clock(point.end)}: {round(point.wpm)} wpm",
        })
    label_every = max(1, math.ceil(len(series) / 8))
    ticks = [{"x": x(point.start), "label": clock(point.start)[:-2]} for point in series[::label_every]]
    return {
        "width": CHART_WIDTH, "height": CHART_HEIGHT, "left": CHART_LEFT, "right": CHART_WIDTH - CHART_RIGHT,
        "baseline": y(0), "top_y": y(top), "top": top,
        "band_y": y(targets.wpm_max), "band_height": round(y(targets.wpm_min) - y(targets.wpm_max), 1),
        "band_min_y": y(targets.wpm_min), "band_max_y": y(targets.wpm_max),
        "average_y": y(metrics.wpm), "bars": bars, "ticks": ticks, "label_y": CHART_HEIGHT - 8,
        "window_s": round(targets.series_window_s),
    }


def _speech_runs(words: list[Word], bridge_s: float) -> list[tuple[float, float]]:
    runs: list[tuple[float, float]] = []
    for word in words:
        if runs and word.start - runs[-1][1] < bridge_s:
            runs[-1] = (runs[-1][0], max(runs[-1][1], word.end))
        else:
            runs.append((word.start, word.end))
    return runs


def timeline(report: SpeechReport, words: list[Word]) -> dict[str, Any]:
    """The recording as a strip: speech, long pauses, fillers and the first metric, in SVG units."""
    metrics = report.metrics
    duration = metrics.duration_s or 1.0

    def x(seconds: float) -> float:
        return round(min(max(seconds, 0.0), duration) / duration * TIMELINE_WIDTH, 1)

    speech = [{"x": x(start), "width": max(0.5, round(x(end) - x(start), 1))}
              for start, end in _speech_runs(words, report.targets.min_silence_s)]
    pauses = [{"x": x(p.start), "width": max(1.0, round(x(p.end) - x(p.start), 1)),
               "label": f"Pause {clock(p.start)}–{clock(p.end)} ({p.seconds:.1f} s)"} for p in metrics.pauses]
    fillers = [{"x": x(f.start), "label": f"“{f.text}” at {clock(f.start)}"} for f in metrics.fillers]
    first = report.first_metric_s
    return {
        "width": TIMELINE_WIDTH, "height": TIMELINE_HEIGHT, "speech": speech, "pauses": pauses, "fillers": fillers,
        "metric_x": None if first is None else x(first),
        "metric_label": None if first is None else f"First metric at {clock(first)}",
        "end": clock(metrics.duration_s),
    }


def pause_rows(report: SpeechReport, words: list[Word]) -> list[dict[str, Any]]:
    """Each long pause with its position: when, how long, and the words either side."""
    rows = []
    for pause in report.metrics.pauses:
        before = [w.text for w in words if w.end <= pause.start + 0.01][-1:]
        after = [w.text for w in words if w.start >= pause.end - 0.01][:1]
        rows.append({
            "start": clock(pause.start), "end": clock(pause.end), "seconds": round(pause.seconds, 1),
            "before": before[0] if before else None, "after": after[0] if after else None,
        })
    return rows
