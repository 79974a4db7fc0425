"""Real speech for the web speech tests: flite says a text, and the recording is turned into
what the browser sends (16 kHz mono 16-bit PCM, in one-second chunks)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16_000
CHUNK_BYTES = SAMPLE_RATE * 2  # one second of 16-bit samples

ANSWER = (
    "I decided to rebuild the checkout flow for our mobile traders. Within six weeks conversion rose by "
    "twelve percent and support tickets fell by a third. I aligned the payments team and the risk team "
    "every week, and we shipped on time."
)


@dataclass(frozen=True)
class Spoken:
    """A synthesised answer: the WAV flite wrote, its PCM at 16 kHz, and the truth about it."""

    path: Path
    text: str
    pcm: bytes
    duration_s: float

    @property
    def words(self) -> int:
        """Words flite was asked to say (the texts spell their numbers out)."""
        return len(self.text.split())

    @property
    def wpm(self) -> float:
        """The true rate: words ÷ duration × 60."""
        return self.words / self.duration_s * 60

    def chunks(self, size: int = CHUNK_BYTES) -> list[bytes]:
        """The PCM in pieces of `size` bytes, as the recorder streams it."""
        return [self.pcm[start : start + size] for start in range(0, len(self.pcm), size)]


def synthesise(flite: str, text: str, path: Path, voice: str = "slt", rate: int | None = None) -> Spoken:
    """Say `text` with flite into `path` (resampled to `rate` when given) and read it back."""
    import soundfile
    import soxr

    subprocess.run([flite, "-voice", voice, "-t", text, "-o", str(path)], check=True, capture_output=True)
    samples, native = soundfile.read(str(path), dtype="float32")
    if rate and rate != native:
        soundfile.write(str(path), soxr.resample(samples, native, rate), rate, subtype="PCM_16")
    at_16k = samples if native == SAMPLE_RATE else soxr.resample(samples, native, SAMPLE_RATE)
    pcm = (np.clip(at_16k, -1, 1) * 32767).astype("<i2").tobytes()
    return Spoken(path, text, pcm, len(samples) / native)
