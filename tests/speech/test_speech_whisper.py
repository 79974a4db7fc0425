"""The optional faster-whisper backend: used only with a model directory already on disk."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from storybank.practice.speech import PocketsphinxBackend, SpeechUnavailable, WhisperBackend, default_backend
from storybank.practice.speech.backends import WHISPER_MODEL_VARIABLE


def test_without_the_variable_the_default_is_pocketsphinx():
    assert isinstance(default_backend({}), PocketsphinxBackend)


def test_a_missing_directory_is_refused_with_the_variable_named(tmp_path):
    with pytest.raises(SpeechUnavailable, match=f"{WHISPER_MODEL_VARIABLE}=.*no such directory"):
        default_backend({WHISPER_MODEL_VARIABLE: str(tmp_path / "nowhere")})


def test_a_directory_without_model_files_is_refused_before_anything_loads(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(SpeechUnavailable, match="missing model.bin, tokenizer.json"):
        WhisperBackend(tmp_path)


@pytest.fixture
def whisper_model() -> Path:
    """The model directory from STORYBANK_WHISPER_MODEL, or a skip that says how to test this."""
    value = os.environ.get(WHISPER_MODEL_VARIABLE, "")
    if not value or not Path(value).is_dir():
        pytest.skip(
            f"no faster-whisper model on disk: set {WHISPER_MODEL_VARIABLE} to a CTranslate2 Whisper model "
            "directory (model.bin, config.json, tokenizer.json) and pip install 'storybank[speech-whisper]'"
        )
    return Path(value)


@pytest.mark.speech
def test_whisper_transcribes_flite_speech(whisper_model, say):
    from storybank.practice.speech import analyze_speech

    spoken = say("I decided to cut checkout latency by thirty one percent in six weeks.", voice="slt", stretch=1.3)
    report = analyze_speech(spoken.path, backend=WhisperBackend(whisper_model))
    assert report.transcript.backend == "faster-whisper"
    assert report.metrics.duration_s == pytest.approx(spoken.duration_s, rel=0.05)
    assert report.metrics.wpm == pytest.approx(spoken.wpm, rel=0.15)
    assert "decided" in report.text.lower()
