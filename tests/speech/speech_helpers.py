"""Helpers for the speech tests: real speech synthesised by Debian's flite at known rates, and
audio in other formats, rates and channel counts made from it with soundfile."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Spoken:
    """A synthesised recording and the truth about it."""

    path: Path
    text: str
    duration_s: float

    @property
    def words(self) -> int:
        """Words flite was asked to say (texts in these tests spell their numbers out)."""
        return len(self.text.split())

    @property
    def wpm(self) -> float:
        """The true rate: words ÷ duration × 60."""
        return self.words / self.duration_s * 60


def synthesise(flite: str, text: str, path: Path, voice: str = "kal", stretch: float = 1.0) -> Spoken:
    """Say `text` with flite into a WAV file (the default voice writes 8 kHz mono)."""
    import soundfile

    command = [flite, "-voice", voice, "--setf", f"duration_stretch={stretch}", "-t", text, "-o", str(path)]
    subprocess.run(command, check=True, capture_output=True)
    info = soundfile.info(str(path))
    return Spoken(path, text, info.frames / info.samplerate)


def read_audio(path: Path) -> tuple[np.ndarray, int]:
    """Samples (float, frames × channels) and rate of an audio file."""
    import soundfile

    samples, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    return samples, rate


def silence(seconds: float, rate: int) -> np.ndarray:
    """Digital silence, one channel."""
    return np.zeros((int(round(seconds * rate)), 1), dtype=np.float32)
