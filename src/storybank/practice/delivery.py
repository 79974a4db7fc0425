"""Delivery metrics of a spoken answer, as pure functions over word timings.

Everything here works on `Word`s (text, start and end in seconds) and the profile's delivery
targets; no audio, no recogniser, no I/O, so it is tested without sound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storybank.practice.models import DeliveryTargets


@dataclass(frozen=True)
class Word:
    """One recognised word and when it was spoken, in seconds from the start of the audio."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class Transcript:
    """What a speech backend heard: the words in order, and facts about the recogniser."""

    words: tuple[Word, ...]
    duration_s: float
    backend: str
    punctuated: bool = False  # the recogniser writes punctuation, casing and digits itself
    fillers_reliable: bool = False  # the recogniser keeps "um" and "uh" instead of guessing

    @property
    def text(self) -> str:
        """The words joined by spaces, as recognised."""
        return " ".join(word.text for word in self.words)


@dataclass(frozen=True)
class Pause:
    """A silence between two words longer than the long-pause threshold."""

    start: float
    end: float

    @property
    def seconds(self) -> float:
        """Length of the pause."""
        return self.end - self.start


@dataclass(frozen=True)
class Filler:
    """A filler word or phrase; `approximate` when the recogniser is unreliable for fillers."""

    text: str
    start: float
    approximate: bool


@dataclass(frozen=True)
class RatePoint:
    """Words per minute within one window of the recording."""

    start: float
    end: float
    wpm: float


@dataclass(frozen=True)
class DeliveryMetrics:
    """Duration, rate, pauses and fillers of one spoken answer."""

    duration_s: float
    speaking_s: float
    words: int
    wpm: float
    wpm_speaking: float
    wpm_series: list[RatePoint] = field(default_factory=list)
    pauses: list[Pause] = field(default_factory=list)
    fillers: list[Filler] = field(default_factory=list)

    @property
    def filler_ratio(self) -> float:
        """Fillers as a share of all words (0 when nothing was said)."""
        return len(self.fillers) / self.words if self.words else 0.0


_NOT_LETTERS = re.compile(r"[^\w']+")


def bare(text: str) -> str:
    """A word lower-cased without surrounding punctuation, for matching lexicon terms."""
    return _NOT_LETTERS.sub(" ", text.lower()).strip()


def words_per_minute(words: int, seconds: float) -> float:
    """`words` ÷ `seconds` × 60, or 0 for no time at all."""
    return words / seconds * 60.0 if seconds > 0 else 0.0


def in_order(words: list[Word] | tuple[Word, ...]) -> list[Word]:
    """Words sorted by start time, with each end at least its start."""
    ordered = sorted(words, key=lambda word: (word.start, word.end))
    return [word if word.end >= word.start else Word(word.text, word.start, word.start) for word in ordered]


def speaking_time(words: list[Word], min_silence_s: float) -> float:
    """Seconds of speech: the words' time spans, bridging gaps shorter than `min_silence_s`."""
    total = 0.0
    run_start = run_end = None
    for word in in_order(words):
        if run_end is not None and word.start - run_end < min_silence_s:
            run_end = max(run_end, word.end)
            continue
        if run_end is not None:
            total += run_end - run_start
        run_start, run_end = word.start, word.end
    if run_end is not None:
        total += run_end - run_start
    return total


def long_pauses(words: list[Word], threshold_s: float) -> list[Pause]:
    """Silences between consecutive words longer than `threshold_s`, in order."""
    pauses = []
    latest_end = None
    for word in in_order(words):
        if latest_end is not None and word.start - latest_end > threshold_s:
            pauses.append(Pause(round(latest_end, 2), round(word.start, 2)))
        latest_end = word.end if latest_end is None else max(latest_end, word.end)
    return pauses


def rate_series(words: list[Word], duration_s: float, window_s: float) -> list[RatePoint]:
    """Words per minute in consecutive windows; a last window shorter than half is merged back."""
    if duration_s <= 0 or window_s <= 0:
        return []
    edges = [0.0]
    while edges[-1] + window_s < duration_s:
        edges.append(edges[-1] + window_s)
    edges.append(duration_s)
    if len(edges) > 2 and edges[-1] - edges[-2] < window_s / 2:
        del edges[-2]
    counts = [0] * (len(edges) - 1)
    for word in words:
        counts[_window_index(edges, word.start)] += 1
    return [
        RatePoint(round(start, 2), round(end, 2), round(words_per_minute(count, end - start), 1))
        for start, end, count in zip(edges, edges[1:], counts)
    ]


def _window_index(edges: list[float], moment: float) -> int:
    for index in range(len(edges) - 2, -1, -1):
        if moment >= edges[index]:
            return index
    return 0


def find_fillers(words: list[Word], lexicon: list[str], approximate: bool) -> list[Filler]:
    """Filler words and phrases in the words, longest phrase first, never overlapping."""
    phrases = sorted({tuple(bare(term).split()) for term in lexicon if bare(term)}, key=len, reverse=True)
    spoken = [bare(word.text) for word in words]
    fillers, index = [], 0
    while index < len(words):
        phrase = next((p for p in phrases if tuple(spoken[index : index + len(p)]) == p), None)
        if phrase is None:
            index += 1
            continue
        fillers.append(Filler(" ".join(phrase), round(words[index].start, 2), approximate))
        index += len(phrase)
    return fillers


def measure_delivery(transcript: Transcript, targets: DeliveryTargets) -> DeliveryMetrics:
    """All delivery metrics of a transcript, measured with the profile's thresholds."""
    words = in_order(transcript.words)
    duration = max(transcript.duration_s, words[-1].end if words else 0.0)
    speaking = speaking_time(words, targets.min_silence_s)
    return DeliveryMetrics(
        duration_s=round(duration, 2),
        speaking_s=round(speaking, 2),
        words=len(words),
        wpm=round(words_per_minute(len(words), duration), 1),
        wpm_speaking=round(words_per_minute(len(words), speaking), 1),
        wpm_series=rate_series(words, duration, targets.series_window_s),
        pauses=long_pauses(words, targets.long_pause_s),
        fillers=find_fillers(words, targets.fillers, approximate=not transcript.fillers_reliable),
    )


@dataclass(frozen=True)
class DeliveryCheck:
    """One delivery target, whether the answer met it, and the hint when it did not."""

    name: str
    ok: bool
    hint: str | None = None


def check_delivery(metrics: DeliveryMetrics, first_metric_s: float | None, targets: DeliveryTargets) -> list[DeliveryCheck]:
    """Compare the metrics with the profile's targets; hints come from the profile."""
    values = hint_values(metrics, first_metric_s, targets)
    hints = targets.hints

    def check(name: str, ok: bool, template: str) -> DeliveryCheck:
        return DeliveryCheck(name, ok, None if ok else template.format_map(values))

    rate_hint = hints.too_slow if metrics.wpm < targets.wpm_min else hints.too_fast
    metric_hint = hints.no_metric if first_metric_s is None else hints.metric_late
    return [
        check("rate", targets.wpm_min <= metrics.wpm <= targets.wpm_max, rate_hint),
        check("fillers", metrics.filler_ratio <= targets.max_filler_ratio, hints.too_many_fillers),
        check("pauses", not metrics.pauses, hints.long_pauses),
        check("metric_first", first_metric_s is not None and first_metric_s <= targets.first_metric_max_s, metric_hint),
    ]


def hint_values(metrics: DeliveryMetrics, first_metric_s: float | None, targets: DeliveryTargets) -> dict[str, object]:
    """The values a delivery hint may name in `{braces}`."""
    longest = max((pause.seconds for pause in metrics.pauses), default=0.0)
    return {
        "wpm": round(metrics.wpm),
        "wpm_min": round(targets.wpm_min),
        "wpm_max": round(targets.wpm_max),
        "filler_count": len(metrics.fillers),
        "filler_percent": round(metrics.filler_ratio * 100, 1),
        "max_filler_percent": round(targets.max_filler_ratio * 100, 1),
        "pause_count": len(metrics.pauses),
        "longest_pause_s": round(longest, 1),
        "long_pause_s": targets.long_pause_s,
        "first_metric_s": "-" if first_metric_s is None else round(first_metric_s, 1),
        "first_metric_max_s": round(targets.first_metric_max_s),
    }
