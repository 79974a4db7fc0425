"""The registry of recordings in progress: expiry (also with no request arriving), kept audio that
never lingers half-written, bounded reports and slots. A stand-in session replaces the decoder,
so these tests need no audio."""

from __future__ import annotations

import time
import wave
from pathlib import Path
from types import SimpleNamespace

import pytest

from storybank.practice.speech import InvalidAudio
from storybank.web.speech_sessions import SpeechSessions, TooManyRecordings


class StandInSession:
    """Counts what it is fed; `finish` returns a marker (or raises, when told to)."""

    def __init__(self, profile, sample_rate=16_000, label="recording", fail_with: Exception | None = None) -> None:
        self.sample_rate = sample_rate
        self.targets = SimpleNamespace(max_recording_s=600)
        self.received = 0
        self.closed = False
        self.fail_with = fail_with

    @property
    def seconds_received(self) -> float:
        return self.received / 2 / self.sample_rate

    def feed(self, chunk: bytes) -> None:
        self.received += len(chunk)

    def finish(self):
        self.closed = True
        if self.fail_with:
            raise self.fail_with
        return SimpleNamespace(profile="binance", to_dict=lambda: {"words": 3})

    def close(self) -> None:
        self.closed = True


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


def registry(tmp_path: Path, clock: Clock, **options) -> SpeechSessions:
    options.setdefault("sweep_seconds", None)
    return SpeechSessions(tmp_path / "audio", clock=clock, new_session=StandInSession, **options)


def test_an_abandoned_recording_is_closed_even_when_no_request_comes(tmp_path, clock):
    sessions = registry(tmp_path, clock, sweep_seconds=0.02, idle_seconds=120)
    recording = sessions.start("binance", keep_audio=True)
    sessions.feed(recording.id, b"\x01\x00" * 100)
    clock.advance(121)
    audio = tmp_path / "audio"
    deadline = time.monotonic() + 5
    while (sessions.active_count() or list(audio.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert sessions.active_count() == 0 and recording.session.closed
    assert list(audio.iterdir()) == []  # the half-written WAV went with it
    with pytest.raises(Exception, match="expired after 120 s"):
        sessions.feed(recording.id, b"\x01\x00")


def test_kept_audio_is_complete_or_absent(tmp_path, clock):
    sessions = registry(tmp_path, clock)
    audio = tmp_path / "audio"
    cancelled = sessions.start("binance", keep_audio=True)
    sessions.feed(cancelled.id, b"\x01\x00" * 10)
    assert [path.suffix for path in audio.iterdir()] == [".part"]
    sessions.cancel(cancelled.id)
    assert list(audio.iterdir()) == []

    failing = sessions.start("binance", keep_audio=True)
    failing.session.fail_with = InvalidAudio("recording: the recording is silent")
    sessions.feed(failing.id, b"\x00\x00" * 10)
    with pytest.raises(InvalidAudio):
        sessions.finish(failing.id)
    assert list(audio.iterdir()) == []

    kept = sessions.start("binance", keep_audio=True)
    sessions.feed(kept.id, b"\x01\x00\x02\x00", seq=0)
    sessions.feed(kept.id, b"\x03\x00", seq=1)
    finished = sessions.finish(kept.id)
    with wave.open(str(audio / finished.audio_file)) as saved:
        assert saved.getframerate() == 16_000 and saved.readframes(10) == b"\x01\x00\x02\x00\x03\x00"
    assert finished.audio_file.startswith("answer-") and finished.audio_file.endswith(".wav")


def test_without_keep_audio_nothing_is_written(tmp_path, clock):
    sessions = registry(tmp_path, clock)
    recording = sessions.start("binance")
    sessions.feed(recording.id, b"\x01\x00" * 10)
    assert sessions.finish(recording.id).audio_file is None
    assert not (tmp_path / "audio").exists()


def test_reports_are_bounded_in_number_and_age(tmp_path, clock):
    sessions = registry(tmp_path, clock, keep_reports=2, report_seconds=60)
    ids = []
    for _ in range(3):
        recording = sessions.start("binance")
        sessions.feed(recording.id, b"\x01\x00")
        ids.append(sessions.finish(recording.id).id)
    with pytest.raises(Exception, match="no report"):
        sessions.report(ids[0])
    assert sessions.report(ids[2]).source == "recording"
    clock.advance(61)
    with pytest.raises(Exception, match="kept for 1 minutes"):
        sessions.report(ids[2])


def test_slots_are_shared_by_recordings_and_uploads(tmp_path, clock):
    sessions = registry(tmp_path, clock, max_recordings=1)
    recording = sessions.start("binance")
    with pytest.raises(TooManyRecordings, match="limit is 1"):
        sessions.analyze_upload(b"RIFF", "binance")
    with pytest.raises(TooManyRecordings):
        sessions.start("binance")
    sessions.close_all()
    assert recording.session.closed and sessions.active_count() == 0
    with pytest.raises(InvalidAudio, match="not a WAV"):  # a free slot: the file itself is judged
        sessions.analyze_upload(b"not audio at all", "binance")
