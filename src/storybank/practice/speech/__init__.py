"""Spoken answers: decode audio, transcribe it offline, measure delivery, analyse content.

Call `analyze_speech(path_or_bytes, profile)` for a whole recording, or open a
`SpeechSession(profile)` and `feed()` it chunks while the answer is recorded; both return a
`SpeechReport` whose `to_dict()` is the JSON of `storybank speak --json`.
"""

from storybank.practice.speech.audio import InvalidAudio, decode_audio, probe_audio
from storybank.practice.speech.backends import (
    PocketsphinxBackend,
    SpeechBackend,
    SpeechUnavailable,
    WhisperBackend,
    default_backend,
)
from storybank.practice.speech.report import SpeechReport, analyze_speech, report_from_transcript
from storybank.practice.speech.session import SpeechSession

__all__ = [
    "InvalidAudio",
    "PocketsphinxBackend",
    "SpeechBackend",
    "SpeechReport",
    "SpeechSession",
    "SpeechUnavailable",
    "WhisperBackend",
    "analyze_speech",
    "decode_audio",
    "default_backend",
    "probe_audio",
    "report_from_transcript",
]
