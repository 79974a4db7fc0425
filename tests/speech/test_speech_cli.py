"""`storybank speak`: exact JSON keys, human output, and exit 2 with one line for bad audio."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile
from typer.testing import CliRunner

from storybank.cli.main import app

SPEAK_KEYS = {
    "duration_s", "speaking_s", "words", "wpm", "wpm_speaking", "wpm_series", "pauses", "fillers",
    "first_metric_s", "transcript", "analysis",
}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.speech
def test_speak_json_has_exactly_the_documented_fields(say, runner):
    spoken = say("I decided to cut checkout latency by thirty one percent, which saved two million dollars.", voice="slt", stretch=1.3)
    result = runner.invoke(app, ["speak", str(spoken.path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == SPEAK_KEYS
    assert data["duration_s"] == pytest.approx(spoken.duration_s, rel=0.05)
    assert all(set(point) == {"start", "end", "wpm"} for point in data["wpm_series"])
    assert all(set(pause) == {"start", "end"} for pause in data["pauses"])
    assert all(set(filler) == {"text", "start", "approximate"} for filler in data["fillers"])
    assert data["analysis"]["profile"] == "binance" and data["analysis"]["approximate"] is True
    assert isinstance(data["first_metric_s"], float)


@pytest.mark.speech
def test_speak_prints_delivery_then_the_analysis(say, runner):
    spoken = say("I decided to cut checkout latency by thirty one percent in six weeks.")
    result = runner.invoke(app, ["speak", str(spoken.path), "--profile", "generic-pm"])
    assert result.exit_code == 0, result.output
    for expected in ("pace", "wpm", "target 130–160", "long pauses", "first metric", "transcript", "approximate", "score"):
        assert expected in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"just some notes in a text file\n" * 10, "not a WAV, FLAC or OGG audio file"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb" * 50, "MP3 audio is not supported"),
    ],
)
def test_bad_audio_exits_2_with_one_line(runner, tmp_path, content, message):
    path = tmp_path / "answer.wav"
    path.write_bytes(content)
    result = runner.invoke(app, ["speak", str(path), "--json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_silent_and_overlong_recordings_exit_2(runner, tmp_path):
    silent = tmp_path / "silent.flac"
    soundfile.write(str(silent), np.zeros(16_000 * 2, dtype=np.float32), 16_000)
    result = runner.invoke(app, ["speak", str(silent)])
    assert result.exit_code == 2 and "silent" in result.stderr

    profile = tmp_path / "brief.yaml"
    profile.write_text("extends: binance\nname: brief\ndelivery:\n  max_recording_s: 2\n")
    long = tmp_path / "long.wav"
    soundfile.write(str(long), 0.3 * np.ones(16_000 * 3, dtype=np.float32), 16_000)
    result = runner.invoke(app, ["speak", str(long), "--profile", str(profile)])
    assert result.exit_code == 2
    assert "the recording is 3 s long; the limit is 2 s" in result.stderr


def test_missing_file_and_unknown_profile_exit_2(runner, tmp_path):
    result = runner.invoke(app, ["speak", str(tmp_path / "none.wav")])
    assert result.exit_code == 2 and "no such file" in result.stderr
    result = runner.invoke(app, ["speak", str(tmp_path / "none.wav"), "--profile", "no-such-profile"])
    assert result.exit_code == 2 and "unknown profile" in result.stderr


def test_the_readme_documents_the_json_and_every_delivery_setting():
    from pathlib import Path

    from storybank.practice.models import DeliveryTargets

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Spoken answers", 1)[1].split("\n## ", 1)[0]
    assert "storybank speak" in section and "STORYBANK_WHISPER_MODEL" in section
    for key in SPEAK_KEYS:
        assert f'"{key}"' in section, key
    for field in DeliveryTargets.model_fields:
        assert f"`{field}`" in section, field
