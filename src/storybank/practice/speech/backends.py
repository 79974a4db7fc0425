"""Speech backends: turn 16 kHz mono samples into words with timings.

`PocketsphinxBackend` works offline out of the box (its wheel ships the US-English model) and
decodes incrementally, so a streamed answer is transcribed while it is being spoken.
`WhisperBackend` is used only when `STORYBANK_WHISPER_MODEL` names a faster-whisper model
directory already on disk; nothing is ever downloaded.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

import numpy as np

from storybank.errors import StorybankError
from storybank.practice.delivery import Transcript, Word
from storybank.practice.speech.audio import SAMPLE_RATE

WHISPER_MODEL_VARIABLE = "STORYBANK_WHISPER_MODEL"
Progress = Callable[[float], None]


class SpeechUnavailable(StorybankError):
    """The configured speech backend cannot run (missing package or model files)."""


class StreamingDecoder(Protocol):
    """Decodes an answer while it is recorded: feed chunks, then finish."""

    def feed(self, samples: np.ndarray) -> None:
        """Decode one chunk of 16 kHz mono 16-bit samples."""

    def finish(self) -> Transcript:
        """Close the utterance and return what was heard."""


class SpeechBackend(Protocol):
    """Anything that can transcribe 16 kHz mono 16-bit samples with word timings."""

    name: str

    def transcribe(self, samples: np.ndarray, progress: Progress | None = None) -> Transcript:
        """All words in the samples, with start and end times in seconds."""

    def stream(self) -> StreamingDecoder:
        """A decoder for audio that arrives in chunks."""


# --- pocketsphinx -------------------------------------------------------------------------

_FRAMES_PER_SECOND = 100
DEFAULT_CMN = "40,3,-1,0,0,0,0,0,0,0,0,0,0"  # the model's initial cepstral mean
_ALTERNATE_PRONUNCIATION = re.compile(r"\(\d+\)$")
_NON_WORDS = {"<s>", "</s>", "<sil>"}


def _pocketsphinx_words(segments) -> tuple[Word, ...]:
    """Words from pocketsphinx segments, without silences, noises or pronunciation markers."""
    words = []
    for segment in segments:
        text = segment.word
        if text in _NON_WORDS or text.startswith(("[", "+", "<")):
            continue
        text = _ALTERNATE_PRONUNCIATION.sub("", text)
        start = segment.start_frame / _FRAMES_PER_SECOND
        end = (segment.end_frame + 1) / _FRAMES_PER_SECOND
        words.append(Word(text, round(start, 2), round(end, 2)))
    return tuple(words)


class PocketsphinxBackend:
    """Offline US-English recognition with the model shipped in the pocketsphinx wheel.

    Settings, and why:
    - The second decoding pass (`fwdflat`) is off: on answers it changes few words, and
      without it closing a 45-second utterance takes a tenth of a second instead of over one.
    - `maxhmmpf` caps the search per frame; on unclear audio (8 kHz telephone quality) it
      halves the decoding time for about one word in a hundred.
    - Live decoding normalises each frame by a running cepstral mean that starts from a
      generic guess, so the first seconds are often misheard. Each utterance therefore starts
      from the mean of its own audio (the whole file, or a stream's first seconds), measured
      by a cheap pass with a one-word grammar. Word error rate drops by a quarter to a third.
    - Decoders take about half a second to build, so idle ones are kept for reuse, reset
      first (`reinit_feat`): a result never depends on what the decoder heard before.
    """

    name = "pocketsphinx"
    chunk_samples = SAMPLE_RATE  # one second per call keeps progress reports smooth
    stream_prime_seconds = 3.0  # a stream waits for this much audio to measure its mean

    def __init__(self) -> None:
        self._idle: list[object] = []
        self._lock = threading.Lock()

    def acquire(self):
        """An idle decoder, or a new one."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return _pocketsphinx().Decoder(samprate=SAMPLE_RATE, fwdflat=False, maxhmmpf=3000, loglevel="FATAL")

    def release(self, decoder) -> None:
        """Keep a decoder whose utterance has ended for the next one."""
        decoder.reinit_feat()  # forget the last speaker's noise and cepstral estimates
        with self._lock:
            if len(self._idle) < 2:
                self._idle.append(decoder)

    def transcribe(self, samples: np.ndarray, progress: Progress | None = None) -> Transcript:
        """Decode all samples, one second at a time, reporting progress."""
        session = self.stream()
        session.prime(samples)
        total = max(1, len(samples))
        for start in range(0, len(samples), self.chunk_samples):
            session.feed(samples[start : start + self.chunk_samples])
            if progress:
                progress(min(1.0, (start + self.chunk_samples) / total))
        return session.finish()

    def stream(self) -> "PocketsphinxStream":
        """A decoder that accepts chunks as they are recorded."""
        return PocketsphinxStream(self, int(self.stream_prime_seconds * SAMPLE_RATE))


def _pocketsphinx():
    try:
        import pocketsphinx
    except ImportError as error:  # pragma: no cover - a declared dependency
        raise SpeechUnavailable("pocketsphinx is not installed: pip install 'pocketsphinx>=5'") from error
    return pocketsphinx


def cepstral_mean(samples: np.ndarray) -> str:
    """The cepstral mean of 16 kHz samples, as pocketsphinx's `set_cmn` takes it.

    Measured by a decoder whose only word is "oh": its search costs almost nothing.
    """
    estimator = _pocketsphinx().Decoder(samprate=SAMPLE_RATE, lm=None, loglevel="FATAL")
    estimator.add_jsgf_string("mean", "#JSGF V1.0; grammar mean; public <mean> = oh;")
    estimator.activate_search("mean")
    estimator.start_utt()
    estimator.process_raw(np.ascontiguousarray(samples, dtype="<i2").tobytes(), True, True)
    mean = estimator.get_cmn()
    estimator.end_utt()
    return mean


class PocketsphinxStream:
    """One utterance decoded incrementally by pocketsphinx.

    Until it is primed (by `prime`, or when `prime_samples` have arrived) the audio is held
    back; then the decoder starts from that audio's cepstral mean and catches up.
    """

    def __init__(self, backend: PocketsphinxBackend, prime_samples: int) -> None:
        self._backend = backend
        self._decoder = backend.acquire()
        self._prime_samples = prime_samples
        self._held: list[np.ndarray] = []
        self._held_samples = 0
        self._samples = 0
        self._started = False
        self._finished = False

    def prime(self, samples: np.ndarray) -> None:
        """Start the utterance from the cepstral mean of `samples` (before any feed)."""
        if self._started:
            raise RuntimeError("this stream is already primed")
        self._decoder.set_cmn(cepstral_mean(samples) if len(samples) else DEFAULT_CMN)
        self._decoder.start_utt()
        self._started = True

    def feed(self, samples: np.ndarray) -> None:
        """Decode one chunk of 16 kHz mono 16-bit samples (or hold it until primed)."""
        if self._finished:
            raise RuntimeError("this stream is already finished")
        chunk = np.ascontiguousarray(samples, dtype="<i2")
        if not len(chunk):
            return
        self._samples += len(chunk)
        if self._started:
            self._decoder.process_raw(chunk.tobytes(), False, False)
            return
        self._held.append(chunk)
        self._held_samples += len(chunk)
        if self._held_samples >= self._prime_samples:
            self._release_held()

    def _release_held(self) -> None:
        held = np.concatenate(self._held) if self._held else np.zeros(0, dtype="<i2")
        self._held, self._held_samples = [], 0
        self.prime(held)
        for start in range(0, len(held), SAMPLE_RATE):
            self._decoder.process_raw(held[start : start + SAMPLE_RATE].tobytes(), False, False)

    def finish(self) -> Transcript:
        """Close the utterance and return the words heard."""
        if self._finished:
            raise RuntimeError("this stream is already finished")
        if not self._started:
            self._release_held()
        self._finished = True
        try:
            self._decoder.end_utt()
            words = _pocketsphinx_words(self._decoder.seg()) if self._decoder.hyp() is not None else ()
        finally:
            self._backend.release(self._decoder)
        return Transcript(words, round(self._samples / SAMPLE_RATE, 3), PocketsphinxBackend.name)


# --- faster-whisper -----------------------------------------------------------------------

WHISPER_MODEL_FILES = ("model.bin", "config.json", "tokenizer.json")


class WhisperBackend:
    """faster-whisper with a CTranslate2 model directory already on disk (never downloaded).

    The directory must hold `model.bin`, `config.json` and `tokenizer.json` (without the
    tokenizer file faster-whisper would fetch one from the internet, so it is refused).
    Whisper is not incremental: a stream keeps the samples and transcribes them at the end.
    """

    name = "faster-whisper"

    def __init__(self, model_dir: str | Path, compute_type: str = "int8", threads: int = 1) -> None:
        directory = Path(model_dir).expanduser()
        if not directory.is_dir():
            raise SpeechUnavailable(f"{WHISPER_MODEL_VARIABLE}={directory}: no such directory")
        missing = [name for name in WHISPER_MODEL_FILES if not (directory / name).is_file()]
        if missing:
            raise SpeechUnavailable(
                f"{WHISPER_MODEL_VARIABLE}={directory}: not a faster-whisper model directory (missing {', '.join(missing)})"
            )
        try:
            from faster_whisper import WhisperModel
        except ImportError as error:
            raise SpeechUnavailable(
                "faster-whisper is not installed: pip install 'storybank[speech-whisper]'"
            ) from error
        self._model = WhisperModel(
            str(directory), device="cpu", compute_type=compute_type, cpu_threads=threads, local_files_only=True
        )
        self._lock = threading.Lock()

    def transcribe(self, samples: np.ndarray, progress: Progress | None = None) -> Transcript:
        """Transcribe all samples in English with word timestamps."""
        audio = np.asarray(samples, dtype=np.float32) / 32768.0
        duration = len(audio) / SAMPLE_RATE
        words: list[Word] = []
        with self._lock:
            segments, _info = self._model.transcribe(
                audio, language="en", word_timestamps=True, vad_filter=False, condition_on_previous_text=False
            )
            for segment in segments:
                words.extend(Word(w.word.strip(), round(w.start, 2), round(w.end, 2)) for w in segment.words or [])
                if progress and duration:
                    progress(min(1.0, segment.end / duration))
        return Transcript(tuple(w for w in words if w.text), round(duration, 3), self.name, punctuated=True)

    def stream(self) -> "BufferedStream":
        """Keeps the chunks and transcribes them when the answer ends."""
        return BufferedStream(self)


class BufferedStream:
    """A stream for backends that cannot decode incrementally."""

    def __init__(self, backend: SpeechBackend) -> None:
        self._backend = backend
        self._chunks: list[np.ndarray] = []

    def feed(self, samples: np.ndarray) -> None:
        """Keep one chunk of 16 kHz mono 16-bit samples."""
        self._chunks.append(np.asarray(samples, dtype=np.int16).copy())

    def finish(self) -> Transcript:
        """Transcribe everything fed so far."""
        samples = np.concatenate(self._chunks) if self._chunks else np.zeros(0, dtype=np.int16)
        return self._backend.transcribe(samples)


# --- choice -------------------------------------------------------------------------------

_BACKENDS: dict[str, SpeechBackend] = {}
_BACKENDS_LOCK = threading.Lock()


def default_backend(environ: Mapping[str, str] | None = None) -> SpeechBackend:
    """faster-whisper when `STORYBANK_WHISPER_MODEL` names a model directory, else pocketsphinx.

    Backends are kept per configuration, so models load once per process.
    """
    env = os.environ if environ is None else environ
    model_dir = env.get(WHISPER_MODEL_VARIABLE, "").strip()
    key = f"whisper:{model_dir}" if model_dir else "pocketsphinx"
    with _BACKENDS_LOCK:
        if key not in _BACKENDS:
            _BACKENDS[key] = WhisperBackend(model_dir) if model_dir else PocketsphinxBackend()
        return _BACKENDS[key]
