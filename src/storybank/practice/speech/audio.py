"""Decode WAV, FLAC and OGG audio of any common rate and channel count to 16 kHz mono.

libsndfile (bundled in the `soundfile` wheel) reads the files block by block and `soxr`
resamples as the blocks arrive, so memory stays bounded: the length is checked from the
header before anything is decoded, and again while decoding in case the header lies.
Anything that is not usable speech audio raises `InvalidAudio` with a message for people.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from storybank.errors import InvalidInput

SAMPLE_RATE = 16_000  # what the speech backends expect
ACCEPTED_FORMATS = {"WAV": "WAV", "WAVEX": "WAV", "RF64": "WAV", "FLAC": "FLAC", "OGG": "OGG"}
MIN_SECONDS = 0.3  # shorter than this holds no word
SILENCE_PEAK = 10 ** (-50 / 20)  # a peak below -50 dBFS is silence, not a quiet voice
_BLOCK_SECONDS = 1.0
# Placeholder sizes written by recorders that stream a WAV before knowing its length.
_PLACEHOLDER_SIZES = {0, 0xFFFFFFFF, 0x7FFFFFFF, 0xFFFFFFFF - 8}
_WAV_DATA_SIZE = re.compile(r"data\s*:\s*(\d+)\s*\(should be (\d+)\)")

AudioSource = str | Path | bytes | BinaryIO
Progress = Callable[[float], None]


class InvalidAudio(InvalidInput):
    """Audio that cannot be transcribed: empty, silent, truncated, corrupt, unsupported or too long."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="audio")


@dataclass(frozen=True)
class AudioInfo:
    """What a file's header says about its audio."""

    format: str  # WAV, FLAC or OGG
    subtype: str
    sample_rate: int
    channels: int
    frames: int

    @property
    def duration_s(self) -> float:
        """Length of the audio in seconds."""
        return self.frames / self.sample_rate if self.sample_rate else 0.0


def source_label(source: AudioSource) -> str:
    """How to name the audio in messages: its file name, or "audio" for bytes and streams."""
    if isinstance(source, (str, Path)):
        return str(source)
    return getattr(source, "name", None) or "audio"


def format_seconds(seconds: float) -> str:
    """`75.4` → "1 min 15 s"; `42.0` → "42 s"."""
    minutes, rest = divmod(round(seconds), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


_ACCEPTED_MAGIC = ((0, b"RIFF", 8, b"WAVE"), (0, b"RF64", 8, b"WAVE"), (0, b"fLaC", 0, b""), (0, b"OggS", 0, b""))
_KNOWN_OTHERS = (
    (0, b"ID3", "MP3"), (4, b"ftyp", "MP4/M4A"), (0, b"\x1aE\xdf\xa3", "WebM"), (0, b"FORM", "AIFF"),
    (0, b"#!AMR", "AMR"), (0, b"caff", "CAF"), (0, b"riff", "Wave64"),
)


def _sniff(head: bytes, label: str) -> None:
    """Accept WAV, FLAC and OGG by their first bytes; name other known formats when refusing."""
    for offset, magic, second_offset, second in _ACCEPTED_MAGIC:
        if head[offset : offset + len(magic)] == magic and head[second_offset : second_offset + len(second)] == second:
            return
    for offset, magic, name in _KNOWN_OTHERS:
        if head[offset : offset + len(magic)] == magic:
            raise InvalidAudio(f"{label}: {name} audio is not supported; use WAV, FLAC or OGG")
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        raise InvalidAudio(f"{label}: MP3 audio is not supported; use WAV, FLAC or OGG")
    raise InvalidAudio(f"{label}: not a WAV, FLAC or OGG audio file")


def _open(source: AudioSource, label: str):
    import soundfile

    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise InvalidAudio(f"{label}: no such file")
        if path.is_dir():
            raise InvalidAudio(f"{label}: is a directory, expected an audio file")
        if path.stat().st_size == 0:
            raise InvalidAudio(f"{label}: empty file (0 bytes); expected WAV, FLAC or OGG audio")
        with path.open("rb") as handle:
            _sniff(handle.read(12), label)
        target: object = str(path)
    elif isinstance(source, (bytes, bytearray, memoryview)):
        if not len(source):
            raise InvalidAudio(f"{label}: empty upload (0 bytes); expected WAV, FLAC or OGG audio")
        _sniff(bytes(source[:12]), label)
        target = io.BytesIO(bytes(source))
    else:
        start = source.tell()
        _sniff(source.read(12), label)
        source.seek(start)
        target = source
    try:
        return soundfile.SoundFile(target)
    except soundfile.LibsndfileError as error:
        raise InvalidAudio(f"{label}: {_describe_open_error(error)}") from error
    except (OSError, RuntimeError, TypeError) as error:
        raise InvalidAudio(f"{label}: cannot be read ({error})") from error


def _describe_open_error(error: Exception) -> str:
    detail = getattr(error, "error_string", "") or str(error)
    if "not recognised" in detail.lower() or "unknown format" in detail.lower():
        return "not a WAV, FLAC or OGG audio file"
    if "malformed" in detail.lower():
        return "malformed or truncated audio file"
    return f"unreadable audio file ({detail.strip().rstrip('.')})"


def _check_header(handle, label: str, max_seconds: float) -> AudioInfo:
    kind = ACCEPTED_FORMATS.get(handle.format)
    if kind is None:
        name = "MP3" if handle.format == "MP3" else handle.format_info.split(" (")[0]
        raise InvalidAudio(f"{label}: {name} audio is not supported; use WAV, FLAC or OGG")
    info = AudioInfo(kind, handle.subtype, handle.samplerate, handle.channels, max(handle.frames, 0))
    truncation = _truncation(handle.extra_info, info)
    if truncation:
        raise InvalidAudio(f"{label}: {truncation}")
    if info.frames == 0:
        raise InvalidAudio(f"{label}: no audio in the file (0 samples)")
    if info.duration_s > max_seconds:
        raise InvalidAudio(
            f"{label}: the recording is {format_seconds(info.duration_s)} long; "
            f"the limit is {format_seconds(max_seconds)} (trim it or record a shorter answer)"
        )
    if info.duration_s < MIN_SECONDS:
        raise InvalidAudio(f"{label}: only {info.duration_s:.2f} s of audio; too short to hold an answer")
    return info


def _truncation(extra_info: str, info: AudioInfo) -> str | None:
    """A message when libsndfile noticed the file ends before its header says it should."""
    if info.format == "WAV":
        match = _WAV_DATA_SIZE.search(extra_info)
        if match:
            declared, present = int(match.group(1)), int(match.group(2))
            if declared > present and declared not in _PLACEHOLDER_SIZES:
                shortfall = 1 - present / declared
                return f"truncated WAV file: {shortfall:.0%} of the audio its header announces is missing"
    if info.format == "OGG" and "lacks an end-of-stream" in extra_info:
        return "truncated OGG file: the stream ends without its last page"
    return None


def probe_audio(source: AudioSource, max_seconds: float) -> AudioInfo:
    """Check a file's header (format, length, truncation) without decoding the audio."""
    label = source_label(source)
    with _open(source, label) as handle:
        return _check_header(handle, label, max_seconds)


def decode_audio(source: AudioSource, max_seconds: float, progress: Progress | None = None) -> np.ndarray:
    """Decode audio to 16 kHz mono 16-bit samples, refusing anything that is not usable speech.

    `max_seconds` caps the length (checked from the header first); `progress` is called with
    the fraction decoded so far.
    """
    import soundfile

    label = source_label(source)
    with _open(source, label) as handle:
        info = _check_header(handle, label, max_seconds)
        converter = Resampler(info.sample_rate)
        block = max(1, int(info.sample_rate * _BLOCK_SECONDS))
        pieces, decoded = [], 0
        try:
            for frames in handle.blocks(blocksize=block, dtype="float32", always_2d=True):
                decoded += len(frames)
                if decoded > (max_seconds + 1) * info.sample_rate:
                    raise InvalidAudio(f"{label}: the recording runs past the limit of {format_seconds(max_seconds)}")
                pieces.append(converter.convert(frames.mean(axis=1)))
                if progress:
                    progress(min(1.0, decoded / info.frames))
        except soundfile.LibsndfileError as error:
            raise InvalidAudio(f"{label}: corrupt or truncated {info.format} data ({error.error_string})") from error
        pieces.append(converter.flush())
    samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
    check_speech_present(samples, label)
    return to_pcm16(samples)


class Resampler:
    """Streaming conversion of mono float blocks at any rate to 16 kHz (polyphase, via soxr)."""

    def __init__(self, in_rate: int, out_rate: int = SAMPLE_RATE) -> None:
        import soxr

        if in_rate <= 0:
            raise InvalidAudio(f"invalid sample rate {in_rate} Hz")
        self._stream = None if in_rate == out_rate else soxr.ResampleStream(in_rate, out_rate, 1, dtype="float32")

    def convert(self, block: np.ndarray) -> np.ndarray:
        """Resample one block of mono float32 samples."""
        block = np.ascontiguousarray(block, dtype=np.float32)
        return block if self._stream is None else self._stream.resample_chunk(block, last=False)

    def flush(self) -> np.ndarray:
        """The last samples held back by the filter."""
        if self._stream is None:
            return np.zeros(0, dtype=np.float32)
        return self._stream.resample_chunk(np.zeros(0, dtype=np.float32), last=True)


def check_speech_present(samples: np.ndarray, label: str = "audio") -> None:
    """Refuse 16 kHz audio that is too short or silent (peak below -50 dBFS)."""
    peak = float(np.max(np.abs(samples.astype(np.float32)))) if len(samples) else 0.0
    check_level(len(samples), peak / 32768.0 if samples.dtype == np.int16 else peak, label)


def check_level(sample_count: int, peak: float, label: str = "audio") -> None:
    """Refuse audio of `sample_count` 16 kHz samples that is too short, or whose `peak`
    (full scale = 1.0) is below -50 dBFS."""
    if sample_count == 0:
        raise InvalidAudio(f"{label}: no audio was received")
    if sample_count < MIN_SECONDS * SAMPLE_RATE:
        raise InvalidAudio(f"{label}: too short to hold an answer ({sample_count / SAMPLE_RATE:.2f} s)")
    if peak < SILENCE_PEAK:
        raise InvalidAudio(f"{label}: the recording is silent; check the microphone and record again")


def to_pcm16(samples: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] as 16-bit integers (clipped)."""
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype(np.int16)
