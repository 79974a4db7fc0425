"""Decoding WAV, FLAC and OGG at any rate and channel count, and refusing unusable audio with
a clear message (checked from the header before decoding, where it can be)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import soundfile

from storybank.practice.speech.audio import SAMPLE_RATE, InvalidAudio, decode_audio, probe_audio

from speech_helpers import read_audio, silence

TEN_MINUTES = 600.0


def tone(seconds: float, rate: int, channels: int = 1) -> np.ndarray:
    """A 440 Hz tone at half scale: sound, but not speech."""
    t = np.arange(int(seconds * rate)) / rate
    wave = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    return np.repeat(wave[:, None], channels, axis=1)


@pytest.fixture
def spoken(say):
    return say("I decided to cut checkout latency by thirty one percent in six weeks.")


@pytest.mark.speech
def test_flite_default_voice_writes_8_khz_and_decodes_to_16_khz(spoken):
    assert soundfile.info(str(spoken.path)).samplerate == 8000
    samples = decode_audio(spoken.path, TEN_MINUTES)
    assert samples.dtype == np.int16
    assert len(samples) / SAMPLE_RATE == pytest.approx(spoken.duration_s, rel=0.01)


@pytest.mark.speech
@pytest.mark.parametrize(
    ("fmt", "subtype", "rate", "channels"),
    [
        ("WAV", "PCM_16", 44_100, 2),
        ("WAV", "FLOAT", 48_000, 1),
        ("FLAC", "PCM_24", 22_050, 2),
        ("OGG", "VORBIS", 44_100, 2),
        ("OGG", "OPUS", 48_000, 1),
    ],
)
def test_formats_rates_and_channels_decode_to_the_same_length(spoken, tmp_path, fmt, subtype, rate, channels):
    import soxr

    mono, original_rate = read_audio(spoken.path)
    converted = soxr.resample(mono[:, 0], original_rate, rate)
    if channels == 2:
        converted = np.stack([converted, 0.5 * converted], axis=1)
    path = tmp_path / f"answer.{fmt.lower()}"
    soundfile.write(str(path), converted, rate, format=fmt, subtype=subtype)
    info = probe_audio(path, TEN_MINUTES)
    assert (info.format, info.sample_rate, info.channels) == (fmt, rate, channels)
    samples = decode_audio(path, TEN_MINUTES)
    assert len(samples) / SAMPLE_RATE == pytest.approx(spoken.duration_s, rel=0.03, abs=0.03)
    assert np.max(np.abs(samples)) > 1000


@pytest.mark.speech
def test_bytes_and_streams_decode_like_files(spoken):
    raw = spoken.path.read_bytes()
    from_file = decode_audio(spoken.path, TEN_MINUTES)
    assert np.array_equal(decode_audio(raw, TEN_MINUTES), from_file)
    assert np.array_equal(decode_audio(io.BytesIO(raw), TEN_MINUTES), from_file)


def write_tone(path: Path, seconds: float, rate: int = 16_000, **kwargs) -> Path:
    soundfile.write(str(path), tone(seconds, rate), rate, **kwargs)
    return path


def refused(source, max_seconds: float = TEN_MINUTES) -> str:
    with pytest.raises(InvalidAudio) as caught:
        decode_audio(source, max_seconds)
    message = str(caught.value)
    assert "\n" not in message and message
    return message


def test_empty_files_and_uploads_are_refused(tmp_path):
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    assert "empty file" in refused(empty)
    assert "empty upload" in refused(b"")


def test_missing_files_and_directories_are_refused(tmp_path):
    assert "no such file" in refused(tmp_path / "nothing.wav")
    assert "is a directory" in refused(tmp_path)


def test_silence_is_refused(tmp_path):
    path = tmp_path / "silent.wav"
    soundfile.write(str(path), silence(3.0, 16_000), 16_000)
    assert "silent" in refused(path)
    quiet = tmp_path / "hiss.wav"
    soundfile.write(str(quiet), tone(3.0, 16_000) * 0.001, 16_000)  # -66 dBFS
    assert "silent" in refused(quiet)


def test_a_header_without_samples_and_a_blip_are_refused(tmp_path):
    header_only = tmp_path / "header.wav"
    soundfile.write(str(header_only), np.zeros((0, 1), dtype=np.float32), 16_000)
    assert "0 samples" in refused(header_only)
    assert "too short" in refused(write_tone(tmp_path / "blip.wav", 0.1))


def test_truncated_files_are_refused(tmp_path):
    wav = write_tone(tmp_path / "whole.wav", 4.0)
    cut = tmp_path / "cut.wav"
    cut.write_bytes(wav.read_bytes()[: wav.stat().st_size // 2])
    assert "truncated WAV" in refused(cut)
    assert "50%" in refused(cut)

    flac = write_tone(tmp_path / "whole.flac", 4.0)
    assert "truncated" in refused(flac.read_bytes()[: flac.stat().st_size // 2])

    ogg = write_tone(tmp_path / "whole.ogg", 4.0, format="OGG", subtype="VORBIS")
    assert "truncated" in refused(ogg.read_bytes()[: ogg.stat().st_size // 2])
    assert "truncated" in refused(ogg.read_bytes()[:60])


def test_corrupt_and_unsupported_files_are_refused(tmp_path):
    text = tmp_path / "notes.wav"
    text.write_text("These are my interview notes, not a recording.\n" * 20)
    assert refused(text).endswith("not a WAV, FLAC or OGG audio file")

    noise = np.random.default_rng(7).integers(0, 256, 4000, dtype=np.uint8).tobytes()
    assert "not a WAV, FLAC or OGG" in refused(noise)

    mp3_header = b"ID3\x03\x00\x00\x00\x00\x00\x0a" + b"\x00" * 10 + b"\xff\xfb\x90\x64" + b"\x00" * 400
    assert "MP3 audio is not supported" in refused(mp3_header)
    assert "MP3 audio is not supported" in refused(mp3_header[20:])  # a bare frame header

    mp3 = write_tone(tmp_path / "answer.mp3", 2.0, format="MP3", subtype="MPEG_LAYER_III")
    assert "MP3 audio is not supported; use WAV, FLAC or OGG" in refused(mp3)

    aiff = write_tone(tmp_path / "answer.aiff", 2.0, format="AIFF")
    assert "AIFF audio is not supported" in refused(aiff)

    webm = b"\x1aE\xdf\xa3" + b"\x00" * 100  # what a browser's MediaRecorder makes
    assert "WebM audio is not supported" in refused(webm)


def test_overlong_recordings_are_refused_from_the_header_before_decoding(tmp_path):
    path = tmp_path / "long.wav"
    rate = 8_000
    with soundfile.SoundFile(str(path), "w", rate, 1, "PCM_16") as handle:
        block = tone(60.0, rate)
        for _ in range(11):
            handle.write(block)
    decoded = []
    with pytest.raises(InvalidAudio) as caught:
        decode_audio(path, TEN_MINUTES, progress=decoded.append)
    assert str(caught.value).endswith("the recording is 11 min long; the limit is 10 min (trim it or record a shorter answer)")
    assert decoded == []  # refused before a single block was decoded
    assert "limit is 5 s" in refused(write_tone(tmp_path / "seven.wav", 7.0), max_seconds=5.0)
