"""Recordings in progress for the web UI, and the reports of the ones just finished.

The browser streams about one second of 16-bit PCM at a time; each recording holds a
`SpeechSession` that decodes the chunks as they arrive. The registry bounds what a local
server keeps: a few recordings at once, each closed after two minutes without audio, and
the last reports for half an hour (they are also returned when the recording finishes).
Every method blocks (decoding is CPU-bound): call them from the thread pool.
"""

from __future__ import annotations

import secrets
import threading
import time
import wave
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from storybank.errors import Conflict, NotFound, StorybankError
from storybank.practice.speech import InvalidAudio, SpeechReport, SpeechSession, analyze_speech
from storybank.practice.speech.audio import SAMPLE_RATE
from storybank.rubric.models import Profile

MAX_RECORDINGS = 4  # each holds a decoder; two cores cannot decode more in real time anyway
IDLE_SECONDS = 120.0  # a recording that sends no audio for this long is closed
KEEP_REPORTS = 20
REPORT_SECONDS = 30 * 60.0
SWEEP_SECONDS = 15.0
MIN_SAMPLE_RATE, MAX_SAMPLE_RATE = 8_000, 48_000
# First bytes of audio files: a chunk must be raw PCM, not a file (send files to /analyze).
_CONTAINER_MAGIC = {b"RIFF": "WAV", b"RF64": "WAV", b"fLaC": "FLAC", b"OggS": "OGG", b"\x1aE\xdf\xa3": "WebM"}
_SUFFIX_BY_MAGIC = {b"RIFF": ".wav", b"RF64": ".wav", b"fLaC": ".flac", b"OggS": ".ogg"}

Clock = Callable[[], float]


class TooManyRecordings(StorybankError):
    """Every recording slot is in use."""


@dataclass
class Recording:
    """One answer being recorded: its decoder, where its audio goes if kept, and its progress."""

    id: str
    session: SpeechSession
    last_seen: float
    keep_path: Path | None = None
    next_seq: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    _writer: Any = None

    @property
    def seconds(self) -> float:
        """Audio received so far, in seconds."""
        return round(self.session.seconds_received, 2)

    def keep(self, chunk: bytes) -> None:
        """Append PCM to the kept WAV file (opened on the first chunk)."""
        if self.keep_path is None:
            return
        if self._writer is None:
            self.keep_path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = wave.open(str(_partial(self.keep_path)), "wb")
            self._writer.setnchannels(1)
            self._writer.setsampwidth(2)
            self._writer.setframerate(self.session.sample_rate)
        self._writer.writeframes(chunk)

    def settle_audio(self, keep: bool) -> str | None:
        """Close the kept WAV: move it into place (`keep`) or delete it. Returns its file name."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if self.keep_path is None:
            return None
        partial = _partial(self.keep_path)
        if keep and partial.exists():
            partial.replace(self.keep_path)
            return self.keep_path.name
        partial.unlink(missing_ok=True)
        return None

    def discard(self) -> None:
        """Abandon the recording: free the decoder, delete any partial audio."""
        self.session.close()
        self.settle_audio(keep=False)


@dataclass(frozen=True)
class FinishedReport:
    """The report of a finished recording or an uploaded file, as kept for its page."""

    id: str
    report: SpeechReport
    source: str  # "recording" or "upload"
    audio_file: str | None
    finished_at: float

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `storybank speak --json`, plus the report's id, profile and kept audio."""
        return {**self.report.to_dict(), "id": self.id, "profile": self.report.profile,
                "source": self.source, "audio_file": self.audio_file}


def _partial(path: Path) -> Path:
    return path.with_name(path.name + ".part")


def _audio_name(recording_id: str, suffix: str) -> str:
    return f"answer-{datetime.now().strftime('%Y%m%d-%H%M%S')}-{recording_id[:8]}{suffix}"


class SpeechSessions:
    """The recordings in progress (bounded, expiring) and the recent reports (bounded)."""

    def __init__(
        self,
        audio_dir: Path,
        *,
        max_recordings: int = MAX_RECORDINGS,
        idle_seconds: float = IDLE_SECONDS,
        keep_reports: int = KEEP_REPORTS,
        report_seconds: float = REPORT_SECONDS,
        clock: Clock = time.monotonic,
        sweep_seconds: float | None = SWEEP_SECONDS,
        new_session: Callable[..., SpeechSession] = SpeechSession,
    ) -> None:
        self.audio_dir = Path(audio_dir)
        self.max_recordings = max_recordings
        self.idle_seconds = idle_seconds
        self.keep_reports = keep_reports
        self.report_seconds = report_seconds
        self._clock = clock
        self._sweep_seconds = sweep_seconds
        self._new_session = new_session
        self._recordings: dict[str, Recording] = {}
        self._busy = 0  # slots taken by decoders loading and files being analysed
        self._expired: OrderedDict[str, None] = OrderedDict()
        self._reports: OrderedDict[str, FinishedReport] = OrderedDict()
        self._lock = threading.Lock()
        self._sweeper: threading.Timer | None = None

    # --- recordings ---------------------------------------------------------------------------

    def start(self, profile: "str | Profile", *, keep_audio: bool = False, sample_rate: int = SAMPLE_RATE) -> Recording:
        """Open a recording of 16-bit mono PCM at `sample_rate` for `profile`."""
        if not MIN_SAMPLE_RATE <= sample_rate <= MAX_SAMPLE_RATE:
            raise InvalidAudio(f"sample_rate: {sample_rate} Hz; expected {MIN_SAMPLE_RATE}-{MAX_SAMPLE_RATE} Hz")
        with self._slot():  # held while the decoder loads
            session = self._new_session(profile, sample_rate=sample_rate, label="recording")
        recording_id = secrets.token_urlsafe(12)
        keep_path = self.audio_dir / _audio_name(recording_id, ".wav") if keep_audio else None
        recording = Recording(recording_id, session, self._clock(), keep_path)
        with self._lock:
            self._recordings[recording_id] = recording
        self._arm_sweeper()
        return recording

    def feed(self, recording_id: str, chunk: bytes, seq: int | None = None) -> Recording:
        """Decode one chunk of 16-bit little-endian PCM; `seq` (0, 1, 2 …) guards the order."""
        recording = self._active(recording_id)
        with recording.lock:
            if not self._holds(recording_id):
                raise NotFound(f"recording {recording_id} is already finished")
            if seq is not None and seq != recording.next_seq:
                if seq == recording.next_seq - 1:
                    return recording  # a retried chunk that already arrived
                raise Conflict(f"chunk {seq} arrived but chunk {recording.next_seq} was expected; send chunks in order")
            _check_chunk(chunk)
            try:
                recording.session.feed(chunk)
            except InvalidAudio:
                self._drop(recording_id)
                recording.discard()
                raise
            recording.keep(chunk)
            recording.next_seq += 1
            recording.last_seen = self._clock()
            return recording

    def finish(self, recording_id: str) -> FinishedReport:
        """End the recording and return its report (kept for the report page)."""
        recording = self._active(recording_id)
        self._drop(recording_id)
        with recording.lock:
            try:
                report = recording.session.finish()
            except BaseException:
                recording.discard()
                raise
            audio_file = recording.settle_audio(keep=True)
        return self.remember(recording.id, report, "recording", audio_file)

    def cancel(self, recording_id: str) -> None:
        """Abandon a recording without a report."""
        recording = self._active(recording_id)
        self._drop(recording_id)
        with recording.lock:
            recording.discard()

    def active_count(self) -> int:
        """How many recordings are in progress."""
        with self._lock:
            return len(self._recordings)

    # --- whole files --------------------------------------------------------------------------

    def analyze_upload(self, audio: bytes, profile: "str | Profile", *, keep_audio: bool = False) -> FinishedReport:
        """Analyse a whole WAV/FLAC/OGG file; keep it under the audio folder if asked. It takes
        one of the recording slots while it is transcribed."""
        with self._slot():
            report = analyze_speech(audio, profile)
        report_id = secrets.token_urlsafe(12)
        audio_file = None
        if keep_audio:
            path = self.audio_dir / _audio_name(report_id, _SUFFIX_BY_MAGIC.get(bytes(audio[:4]), ".audio"))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(audio)
            audio_file = path.name
        return self.remember(report_id, report, "upload", audio_file)

    # --- reports ------------------------------------------------------------------------------

    def report(self, report_id: str) -> FinishedReport:
        """A recent report by id; NotFound once it has expired or been pushed out."""
        self.sweep()
        with self._lock:
            found = self._reports.get(report_id)
        if found is None:
            raise NotFound(
                f"no report {report_id}: reports are kept for {round(self.report_seconds / 60)} minutes "
                "after the recording ends; record or upload the answer again"
            )
        return found

    def remember(self, report_id: str, report: SpeechReport, source: str, audio_file: str | None = None) -> FinishedReport:
        """Keep a finished report for its page (the oldest go first)."""
        finished = FinishedReport(report_id, report, source, audio_file, self._clock())
        with self._lock:
            self._reports[finished.id] = finished
            while len(self._reports) > self.keep_reports:
                self._reports.popitem(last=False)
        return finished

    # --- expiry -------------------------------------------------------------------------------

    def sweep(self) -> int:
        """Close recordings idle for too long and forget old reports; returns how many closed."""
        now = self._clock()
        with self._lock:
            idle = [r for r in self._recordings.values() if now - r.last_seen > self.idle_seconds]
            for recording in idle:
                del self._recordings[recording.id]
                self._expired[recording.id] = None
            while len(self._expired) > 100:
                self._expired.popitem(last=False)
            for report_id in [k for k, v in self._reports.items() if now - v.finished_at > self.report_seconds]:
                del self._reports[report_id]
        for recording in idle:
            with recording.lock:
                recording.discard()
        return len(idle)

    def close_all(self) -> None:
        """Abandon every recording in progress (when the server stops)."""
        with self._lock:
            recordings = list(self._recordings.values())
            self._recordings.clear()
            if self._sweeper is not None:
                self._sweeper.cancel()
                self._sweeper = None
        for recording in recordings:
            with recording.lock:
                recording.discard()

    def _arm_sweeper(self) -> None:
        """Check for abandoned recordings every few seconds while any are in progress."""
        if self._sweep_seconds is None:
            return
        with self._lock:
            if self._sweeper is not None or not self._recordings:
                return
            self._sweeper = threading.Timer(self._sweep_seconds, self._sweep_in_background)
            self._sweeper.daemon = True
            self._sweeper.start()

    def _sweep_in_background(self) -> None:
        with self._lock:
            self._sweeper = None
        self.sweep()
        self._arm_sweeper()

    def _active(self, recording_id: str) -> Recording:
        self.sweep()
        with self._lock:
            recording = self._recordings.get(recording_id)
            expired = recording_id in self._expired
        if recording is None:
            if expired:
                raise NotFound(
                    f"recording {recording_id} expired after {round(self.idle_seconds)} s without audio; record again"
                )
            raise NotFound(f"no recording {recording_id} in progress")
        return recording

    @contextmanager
    def _slot(self) -> Iterator[None]:
        """Reserve one of the `max_recordings` slots for work outside the recordings table."""
        self.sweep()
        with self._lock:
            in_progress = len(self._recordings) + self._busy
            if in_progress >= self.max_recordings:
                raise TooManyRecordings(
                    f"{in_progress} recordings are already in progress (the limit is {self.max_recordings}); "
                    "stop one, or wait two minutes for an abandoned one to expire"
                )
            self._busy += 1
        try:
            yield
        finally:
            with self._lock:
                self._busy -= 1

    def _holds(self, recording_id: str) -> bool:
        with self._lock:
            return recording_id in self._recordings

    def _drop(self, recording_id: str) -> None:
        with self._lock:
            self._recordings.pop(recording_id, None)


def close_speech_sessions(app: Any) -> None:
    """Abandon the recordings in progress of `app` (when the server stops)."""
    sessions = getattr(app.state, "speech_sessions", None)
    if sessions is not None:
        sessions.close_all()


def _check_chunk(chunk: bytes) -> None:
    """A chunk must be a non-empty, whole number of 16-bit samples, and not an audio file."""
    if not chunk:
        raise InvalidAudio("chunk: empty body; send 16-bit little-endian mono PCM")
    container = _CONTAINER_MAGIC.get(bytes(chunk[:4]))
    if container:
        raise InvalidAudio(
            f"chunk: this is a {container} file, not raw PCM; stream 16-bit mono PCM samples, "
            "or upload whole files to /api/speech/analyze"
        )
    if len(chunk) % 2:
        raise InvalidAudio(f"chunk: {len(chunk)} bytes is not a whole number of 16-bit samples; the stream is corrupt")
