"""Delivery metrics as pure functions over word timings: examples and properties (no audio)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storybank.practice.delivery import (
    Transcript,
    Word,
    check_delivery,
    find_fillers,
    long_pauses,
    measure_delivery,
    rate_series,
    speaking_time,
    words_per_minute,
)
from storybank.rubric.loader import load_profile


@pytest.fixture(scope="module")
def targets():
    return load_profile("binance").delivery


def timed(*items: tuple[str, float, float]) -> list[Word]:
    return [Word(text, start, end) for text, start, end in items]


@st.composite
def word_timings(draw, max_words: int = 60) -> list[Word]:
    """Words in order with random lengths and gaps (some long enough to be pauses)."""
    count = draw(st.integers(0, max_words))
    words, clock = [], draw(st.floats(0, 3))
    for index in range(count):
        clock += draw(st.one_of(st.floats(0, 0.4), st.floats(0.4, 4)))
        length = draw(st.floats(0.05, 1.2))
        words.append(Word(f"w{index}", round(clock, 2), round(clock + length, 2)))
        clock += length
    return words


def test_words_per_minute_is_words_over_duration_times_sixty():
    assert words_per_minute(150, 60.0) == 150.0
    assert words_per_minute(45, 20.0) == 135.0
    assert words_per_minute(10, 0.0) == 0.0


def test_speaking_time_bridges_short_gaps_and_skips_long_ones():
    words = timed(("a", 0.0, 0.5), ("b", 0.6, 1.0), ("c", 3.0, 3.5))
    assert speaking_time(words, min_silence_s=0.3) == pytest.approx(1.5)
    assert speaking_time(words, min_silence_s=5.0) == pytest.approx(3.5)


def test_long_pauses_are_gaps_between_words_over_the_threshold():
    words = timed(("I", 0.5, 0.7), ("decided", 0.7, 1.2), ("to", 3.0, 3.1), ("ship", 3.2, 3.6), ("it", 4.6, 4.8))
    assert [(p.start, p.end) for p in long_pauses(words, 1.5)] == [(1.2, 3.0)]
    assert long_pauses(words[:1], 1.5) == []  # silence before the first word is not a pause


def test_rate_series_merges_a_short_last_window():
    words = [Word(f"w{i}", i * 0.4, i * 0.4 + 0.3) for i in range(60)]  # 150 wpm for 24 s
    series = rate_series(words, 24.0, 10.0)
    assert [(p.start, p.end) for p in series] == [(0.0, 10.0), (10.0, 24.0)]
    assert series[0].wpm == 150.0


def test_fillers_match_phrases_before_words_and_say_they_are_approximate():
    words = timed(
        ("um", 0.0, 0.3), ("I", 0.4, 0.5), ("you", 0.6, 0.7), ("know", 0.7, 0.9), ("kind", 1.0, 1.2),
        ("of", 1.2, 1.3), ("decided", 1.4, 1.8), ("like", 2.0, 2.2), ("Basically,", 2.3, 2.8),
    )
    lexicon = ["um", "you know", "kind of", "like", "basically", "know"]
    found = find_fillers(words, lexicon, approximate=True)
    assert [(f.text, f.start) for f in found] == [
        ("um", 0.0), ("you know", 0.6), ("kind of", 1.0), ("like", 2.0), ("basically", 2.3)
    ]
    assert all(f.approximate for f in found)


def test_measure_delivery_on_a_known_answer(targets):
    words = [Word(f"w{i}", 1.0 + i * 0.4, 1.0 + i * 0.4 + 0.35) for i in range(75)]  # 30 s of speech
    words += [Word("um", 33.0, 33.3)]
    transcript = Transcript(tuple(words), duration_s=34.0, backend="test")
    metrics = measure_delivery(transcript, targets)
    assert metrics.words == 76
    assert metrics.wpm == pytest.approx(76 / 34.0 * 60, abs=0.1)
    assert metrics.speaking_s == pytest.approx(29.95 + 0.3, abs=0.01)
    assert [(p.start, p.end) for p in metrics.pauses] == [(30.95, 33.0)]
    assert [f.text for f in metrics.fillers] == ["um"]


def test_checks_use_the_profile_targets_and_hints(targets):
    slow = [Word(f"w{i}", i * 1.0, i * 1.0 + 0.5) for i in range(30)]
    metrics = measure_delivery(Transcript(tuple(slow), 30.0, "test"), targets)
    checks = {c.name: c for c in check_delivery(metrics, None, targets)}
    assert not checks["rate"].ok and "60 words a minute" in checks["rate"].hint
    assert not checks["metric_first"].ok and checks["metric_first"].hint.startswith("No impact metric")
    assert checks["fillers"].ok and checks["fillers"].hint is None
    late = {c.name: c for c in check_delivery(metrics, 21.0, targets)}
    assert "21.0 s" in late["metric_first"].hint


@settings(max_examples=200, deadline=None)
@given(word_timings(), st.floats(0.5, 3.0))
def test_pause_and_speaking_properties(words, threshold):
    pauses = long_pauses(words, threshold)
    for pause in pauses:
        assert pause.end - pause.start > threshold - 0.01
    for before, after in zip(pauses, pauses[1:]):
        assert before.end <= after.start
    duration = words[-1].end if words else 0.0
    spoken = speaking_time(words, 0.3)
    assert 0.0 <= spoken <= duration + 1e-9
    assert spoken >= sum(w.end - w.start for w in words) - 1e-6 or not words


@settings(max_examples=200, deadline=None)
@given(word_timings(), st.floats(1.0, 30.0))
def test_rate_series_covers_the_recording_and_counts_every_word(words, window):
    duration = (words[-1].end if words else 0.0) + 0.5
    series = rate_series(words, duration, window)
    assert series[0].start == 0.0 and series[-1].end == pytest.approx(duration, abs=0.01)
    for before, after in zip(series, series[1:]):
        assert before.end == after.start
    counted = sum(p.wpm * (p.end - p.start) / 60 for p in series)
    assert counted == pytest.approx(len(words), abs=0.1 * len(series) + 0.01)


@settings(max_examples=200, deadline=None)
@given(word_timings(), st.floats(1.0, 120.0))
def test_measure_delivery_properties(words, extra):
    targets = load_profile("base").delivery
    duration = (words[-1].end if words else 0.0) + extra / 10
    metrics = measure_delivery(Transcript(tuple(words), duration, "test"), targets)
    assert metrics.words == len(words)
    assert metrics.speaking_s <= metrics.duration_s + 0.01
    # duration_s is rounded to 0.01 s, which moves the rate of a very short recording by up to 1 %
    assert metrics.wpm == pytest.approx(words_per_minute(len(words), metrics.duration_s), rel=0.01, abs=0.1)
    if words:
        assert metrics.wpm_speaking >= metrics.wpm - 0.1
    assert len(metrics.fillers) <= metrics.words
