"""A spoken answer transcribed while it is recorded.

The browser sends about one second of PCM at a time; each chunk is decoded as it arrives (once
the first three seconds have set the recogniser's starting point), so when the speaker stops
only the last second is left to decode and the report follows at once.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from storybank.practice.speech.audio import (
    SAMPLE_RATE,
    InvalidAudio,
    Resampler,
    check_level,
    format_seconds,
    to_pcm16,
)
from storybank.practice.speech.backends import SpeechBackend, default_backend
from storybank.practice.speech.report import SpeechReport, delivery_targets, report_from_transcript
from storybank.rubric.loader import resolve_profile
from storybank.rubric.models import Profile


class SpeechSession:
    """Accepts chunks of mono PCM as they are recorded and decodes them incrementally.

    `feed` takes little-endian 16-bit PCM bytes, or a numpy array (int16, or float in
    [-1, 1]) at `sample_rate`; other rates are resampled to 16 kHz on the way in. `finish`
    returns the SpeechReport. Refuses (InvalidAudio) recordings past the profile's
    `delivery.max_recording_s`, and silent or empty ones at the end. Safe to feed from
    several threads one after another.
    """

    def __init__(
        self,
        profile: "str | Path | Profile" = "binance",
        backend: SpeechBackend | None = None,
        sample_rate: int = SAMPLE_RATE,
        label: str = "recording",
    ) -> None:
        self.profile = resolve_profile(profile)
        self.targets = delivery_targets(self.profile)
        self.sample_rate = sample_rate
        self.label = label
        self._resampler = Resampler(sample_rate)
        self._stream = (backend or default_backend()).stream()
        self._leftover = b""
        self._received = 0
        self._peak = 0
        self._decoded = 0
        self._lock = threading.Lock()
        self._closed = False

    @property
    def seconds_received(self) -> float:
        """How much audio has arrived so far."""
        return self._received / self.sample_rate

    def feed(self, chunk: bytes | np.ndarray) -> None:
        """Decode one chunk (about a second is ideal; any length works)."""
        with self._lock:
            if self._closed:
                raise InvalidAudio(f"{self.label}: the recording is already finished")
            samples = self._as_float(chunk)
            self._received += len(samples)
            if self.seconds_received > self.targets.max_recording_s:
                self._closed = True
                self._stream.finish()
                limit = format_seconds(self.targets.max_recording_s)
                raise InvalidAudio(f"{self.label}: the recording runs past the limit of {limit}")
            self._push(self._resampler.convert(samples))

    def finish(self) -> SpeechReport:
        """Close the recording and return the report (delivery metrics and analysis)."""
        with self._lock:
            if self._closed:
                raise InvalidAudio(f"{self.label}: the recording is already finished")
            self._closed = True
            self._push(self._resampler.flush())
            transcript = self._stream.finish()
        check_level(self._decoded, self._peak / 32768.0, self.label)
        return report_from_transcript(transcript, self.profile, self.label)

    def close(self) -> None:
        """Abandon the recording without a report (frees the decoder)."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._stream.finish()

    def _as_float(self, chunk: bytes | np.ndarray) -> np.ndarray:
        if isinstance(chunk, (bytes, bytearray, memoryview)):
            raw = self._leftover + bytes(chunk)
            usable = len(raw) - len(raw) % 2
            self._leftover = raw[usable:]
            return np.frombuffer(raw[:usable], dtype="<i2").astype(np.float32) / 32768.0
        array = np.asarray(chunk)
        if array.ndim > 1:
            array = array.mean(axis=1)
        if array.dtype == np.int16:
            return array.astype(np.float32) / 32768.0
        return array.astype(np.float32)

    def _push(self, samples: np.ndarray) -> None:
        pcm = to_pcm16(samples)
        if len(pcm):
            self._peak = max(self._peak, int(np.max(np.abs(pcm.astype(np.int32)))))
            self._decoded += len(pcm)
            self._stream.feed(pcm)
