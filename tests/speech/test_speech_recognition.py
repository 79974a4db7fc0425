"""Real speech from flite, recognised offline by pocketsphinx: duration within 5 % and words per
minute within 15 % of the truth at several rates, inserted pauses found where they are, the
first metric timed, and a streamed answer decoded like the same file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
import soundfile

from storybank.practice.speech import InvalidAudio, SpeechSession, analyze_speech
from storybank.rubric.loader import load_profile

from speech_helpers import read_audio, silence

pytestmark = pytest.mark.speech

ANSWER = (
    "Last spring I chose to rebuild the onboarding flow for new traders. Sign ups rose by twenty "
    "percent in two months, and I worked with legal and design to ship the change safely."
)
CONTEXT = "Our support team had been struggling with a long queue of angry customers for most of the year"
METRIC = "I decided to cut the waiting time by forty percent and it saved three million dollars"


@lru_cache(maxsize=None)
def analysed(path: Path):
    """The report of a recording, computed once per run (recognition is the slow part)."""
    return analyze_speech(path)


def concatenate(parts: list[np.ndarray], rate: int, path: Path) -> Path:
    soundfile.write(str(path), np.concatenate(parts), rate, subtype="PCM_16")
    return path


@pytest.mark.parametrize(("voice", "stretch"), [("kal", 1.0), ("kal", 1.6), ("slt", 1.3)])
def test_duration_and_words_per_minute_match_the_truth(say, voice, stretch):
    spoken = say(ANSWER, voice=voice, stretch=stretch)
    report = analysed(spoken.path)
    metrics = report.metrics
    assert metrics.duration_s == pytest.approx(spoken.duration_s, rel=0.05)
    assert metrics.wpm == pytest.approx(spoken.wpm, rel=0.15)
    assert metrics.wpm == pytest.approx(metrics.words / metrics.duration_s * 60, abs=0.1)
    assert metrics.speaking_s <= metrics.duration_s
    assert metrics.wpm_speaking >= metrics.wpm


def test_slower_speech_measures_slower(say):
    fast = analysed(say(ANSWER, stretch=1.0).path).metrics.wpm
    slow = analysed(say(ANSWER, stretch=1.6).path).metrics.wpm
    assert slow < fast * 0.75


def test_inserted_pauses_are_found_at_their_positions(say, tmp_path):
    sentences = [
        "I decided to pause the launch for one week.",
        "The risk team found a gap in the withdrawal checks.",
        "We fixed it and shipped safely.",
    ]
    parts, inserted, clock = [], [], 0.0
    for index, sentence in enumerate(sentences):
        samples, rate = read_audio(say(sentence).path)
        parts.append(samples)
        clock += len(samples) / rate
        if index < len(sentences) - 1:
            parts.append(silence(2.5, rate))
            inserted.append((clock, clock + 2.5))
            clock += 2.5
    report = analyze_speech(concatenate(parts, rate, tmp_path / "paused.wav"))
    pauses = report.metrics.pauses
    assert len(pauses) == 2
    for pause, (start, end) in zip(pauses, inserted):
        assert pause.start <= start + 0.05 and pause.end >= end - 0.05
        assert pause.end - pause.start < (end - start) + 1.0
    assert not next(c for c in report.checks if c.name == "pauses").ok


def test_first_metric_is_timed_where_it_is_said(say, tmp_path):
    context, rate = read_audio(say(CONTEXT).path)
    metric, _ = read_audio(say(METRIC).path)
    path = concatenate([context, silence(0.5, rate), metric], rate, tmp_path / "late-metric.wav")
    report = analyze_speech(path)
    metric_part_starts = len(context) / rate + 0.5
    metric_part_ends = metric_part_starts + len(metric) / rate
    assert report.first_metric_s is not None
    assert metric_part_starts < report.first_metric_s < metric_part_ends
    said = report.text[next(q["start"] for q in report.analysis["quantities"] if q["kind"] in ("percent", "money")) :]
    assert said.startswith(("40 percent", "forty percent", "3 million dollars"))


def test_no_metric_gives_no_time(say):
    report = analyze_speech(say("I worked with many teams and everyone was happy with the result.").path)
    assert report.first_metric_s is None
    assert next(c for c in report.checks if c.name == "metric_first").hint.startswith("No impact metric")


def test_fillers_the_recogniser_hears_are_reported_as_approximate(say):
    spoken = say("So I basically decided, you know, to cut the fees by ten percent, and like, it kind of worked.", voice="slt")
    fillers = analyze_speech(spoken.path).metrics.fillers
    assert len({f.text for f in fillers} & {"basically", "you know", "like", "kind of"}) >= 2
    assert all(f.approximate for f in fillers)


def test_content_analysis_of_the_transcript_is_flagged_approximate(say):
    report = analysed(say(METRIC, voice="slt", stretch=1.3).path)
    data = report.to_dict()
    assert data["analysis"]["approximate"] is True
    assert "approximate" in data["analysis"]["approximate_note"]
    assert data["transcript"].startswith("I ") and "decided" in data["transcript"]
    assert data["analysis"]["verdict"] in ("decisive", "developing", "nice-talk")


def test_stereo_44k_flac_recognises_like_the_8k_wav(say, tmp_path):
    import soxr

    spoken = say(ANSWER, stretch=1.6)
    mono, rate = read_audio(spoken.path)
    stereo = np.repeat(soxr.resample(mono[:, 0], rate, 44_100)[:, None], 2, axis=1)
    flac = tmp_path / "answer.flac"
    soundfile.write(str(flac), stereo, 44_100, subtype="PCM_16")
    original, converted = analysed(spoken.path).metrics, analyze_speech(flac).metrics
    assert converted.duration_s == pytest.approx(original.duration_s, rel=0.01)
    assert converted.words == pytest.approx(original.words, rel=0.1)


def test_a_streamed_answer_is_measured_like_the_file(say):
    spoken = say(ANSWER, stretch=1.6)
    samples, rate = read_audio(spoken.path)
    session = SpeechSession("binance", sample_rate=rate)
    for start in range(0, len(samples), rate):  # one second at a time, at the file's 8 kHz
        session.feed(samples[start : start + rate, 0])
    streamed = session.finish()
    whole = analysed(spoken.path)
    assert streamed.metrics.duration_s == pytest.approx(whole.metrics.duration_s, abs=0.05)
    assert streamed.metrics.wpm == pytest.approx(spoken.wpm, rel=0.15)
    assert streamed.metrics.words == pytest.approx(whole.metrics.words, rel=0.1)


def test_results_do_not_depend_on_what_was_decoded_before(say):
    from storybank.practice.speech import PocketsphinxBackend, decode_audio

    backend = PocketsphinxBackend()
    first = decode_audio(say(ANSWER, voice="slt", stretch=1.3).path, 600)
    other = decode_audio(say(CONTEXT).path, 600)
    before = backend.transcribe(first)
    backend.transcribe(other)  # the same decoder hears someone else in between
    assert backend.transcribe(first) == before
    assert PocketsphinxBackend().transcribe(first) == before  # a fresh decoder agrees


def test_a_session_accepts_pcm_bytes_in_uneven_chunks(say):
    import soxr

    spoken = say(ANSWER, voice="slt", stretch=1.3)
    samples, rate = read_audio(spoken.path)
    pcm = (soxr.resample(samples[:, 0], rate, 16_000) * 32767).astype("<i2").tobytes()
    session = SpeechSession()
    for start in range(0, len(pcm), 32_001):  # odd sizes split samples across chunks
        session.feed(pcm[start : start + 32_001])
    report = session.finish()
    assert report.metrics.duration_s == pytest.approx(spoken.duration_s, rel=0.05)
    assert report.metrics.wpm == pytest.approx(spoken.wpm, rel=0.15)


def test_a_session_refuses_silence_and_recordings_past_the_limit(tmp_path):
    quiet = SpeechSession()
    quiet.feed(np.zeros(16_000 * 3, dtype=np.int16))
    with pytest.raises(InvalidAudio, match="silent"):
        quiet.finish()

    profile = tmp_path / "short-limit.yaml"
    profile.write_text("extends: binance\nname: short-limit\ndelivery:\n  max_recording_s: 5\n")
    assert load_profile(profile).delivery.max_recording_s == 5
    long = SpeechSession(profile)
    with pytest.raises(InvalidAudio, match="limit of 5 s"):
        for _ in range(6):
            long.feed(np.full(16_000, 1000, dtype=np.int16))
    with pytest.raises(InvalidAudio, match="already finished"):
        long.finish()


def test_a_transcript_without_words_is_refused():
    from storybank.practice.delivery import Transcript
    from storybank.practice.speech import report_from_transcript

    with pytest.raises(InvalidAudio, match="no speech recognised"):
        report_from_transcript(Transcript((), 4.0, "pocketsphinx"), "binance", "hum.wav")
