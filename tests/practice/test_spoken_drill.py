"""A drill answered out loud: a real recording (synthesised by Debian's flite) is transcribed
offline; the transcript is analysed and the delivery metrics are stored with the attempt."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storybank.cli.main import app
from storybank.errors import InvalidInput
from storybank.practice_service import Practice
from storybank.service import StoryBank

pytestmark = [pytest.mark.storage, pytest.mark.speech]

SPOKEN = "I decided to rebuild the fee page for new traders and churn fell by four percent in five weeks"


@pytest.fixture
def recording(require_flite: str, tmp_path: Path) -> Path:
    path = tmp_path / "answer.wav"
    subprocess.run([require_flite, "-voice", "kal", "-t", SPOKEN, "-o", str(path)], check=True, capture_output=True)
    return path


def test_a_spoken_answer_is_transcribed_timed_and_stored(bank: StoryBank, recording: Path) -> None:
    practice = Practice(bank)
    attempt = practice.run_spoken_drill("bn-reduced-churn", str(recording))
    assert attempt.answer and "fee" in attempt.answer.lower()
    assert attempt.analysis["words"] > 5
    timing = attempt.timings["answer"]
    assert timing["source"] == "audio" and 2 < timing["seconds"] < 15
    audio = attempt.audio
    assert audio["transcript"] == attempt.answer and audio["wpm"] > 0 and audio["approximate"] is True
    assert audio["source_file"] == "answer.wav" and audio["kept_file"] is None
    assert not bank.settings.audio_dir.exists() or not any(bank.settings.audio_dir.iterdir())


def test_the_recording_is_kept_only_on_request(bank: StoryBank, recording: Path) -> None:
    attempt = Practice(bank).run_spoken_drill("bn-reduced-churn", str(recording), keep_audio=True)
    kept = Path(attempt.audio["kept_file"])
    assert kept.parent == bank.settings.audio_dir and kept.read_bytes() == recording.read_bytes()


def test_bad_audio_is_refused_and_nothing_is_stored(bank: StoryBank, tmp_path: Path, require_flite: str) -> None:
    practice = Practice(bank)
    text_file = tmp_path / "not-audio.wav"
    text_file.write_text("hello", encoding="utf-8")
    with pytest.raises(InvalidInput):
        practice.run_spoken_drill("bn-reduced-churn", str(text_file))
    with pytest.raises(InvalidInput, match="no such audio file"):
        practice.run_spoken_drill("bn-reduced-churn", str(tmp_path / "missing.wav"))
    assert practice.attempts() == []


def test_drill_answer_audio_cli(database_url: str, recording: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["drill", "-q", "bn-reduced-churn", "--answer-audio", str(recording), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["audio"]["transcript"] == data["answer"] and data["timings"]["answer"]["source"] == "audio"
    both = runner.invoke(app, ["drill", "-q", "bn-reduced-churn", "--answer-audio", str(recording), "--answer", "x.txt"])
    assert both.exit_code == 2 and "not both" in both.stderr
    keep = runner.invoke(app, ["drill", "-q", "bn-reduced-churn", "--answer", "x.txt", "--keep-audio"])
    assert keep.exit_code == 2 and "--keep-audio goes with --answer-audio" in keep.stderr


def test_the_history_page_shows_how_the_answer_was_delivered(bank: StoryBank, recording: Path) -> None:
    from fastapi.testclient import TestClient

    from storybank.settings import Settings
    from storybank.web import create_app

    attempt = Practice(bank).run_spoken_drill("bn-reduced-churn", str(recording))
    with TestClient(create_app(Settings.from_env()), base_url="http://127.0.0.1:8000") as client:
        page = client.get("/practice/history").text
    assert 'class="delivery-summary"' in page
    assert f"{attempt.audio['wpm']:.0f} wpm" in page
    assert "transcribed offline from the recording <code>answer.wav</code>" in page
    assert "The recording was not kept." in page


REPLY = "Our travel rule check stayed in place so I accepted two percent slower transfers to keep fines at zero"


def test_drill_probe_audio_cli(database_url: str, recording: Path, require_flite: str, tmp_path: Path) -> None:
    reply = tmp_path / "reply.wav"
    subprocess.run([require_flite, "-voice", "slt", "-t", REPLY, "-o", str(reply)], check=True, capture_output=True)
    answer = tmp_path / "answer.txt"
    answer.write_text("We improved the fee page together and people liked it.", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["drill", "-q", "bn-reduced-churn", "--answer", str(answer), "--probe-audio", str(reply), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["probe_reply"] == data["probe_audio"]["transcript"] and "percent" in data["probe_reply"].lower()
    assert data["timings"]["probe"]["source"] == "audio" and 3 < data["timings"]["probe"]["seconds"] < 15
    assert data["audio"] is None and data["probe_audio"]["source_file"] == "reply.wav"
    spoken = runner.invoke(app, ["drill", "-q", "bn-reduced-churn", "--answer-audio", str(recording), "--probe-audio", str(reply), "--json"])
    assert spoken.exit_code == 0, spoken.output
    both_spoken = json.loads(spoken.stdout)
    assert both_spoken["audio"]["source_file"] == "answer.wav" and both_spoken["probe_audio"]["source_file"] == "reply.wav"
    missing = runner.invoke(app, ["drill", "-q", "bn-reduced-churn", "--answer", str(answer), "--probe-audio", str(tmp_path / "nope.wav")])
    assert missing.exit_code == 2 and "no such audio file" in missing.stderr
    both = runner.invoke(app, ["drill", "-q", "bn-reduced-churn", "--answer", str(answer), "--probe-answer", str(answer),
                               "--probe-audio", str(reply)])
    assert both.exit_code == 2 and "not both" in both.stderr
    history = json.loads(runner.invoke(app, ["history", "--json"]).stdout)
    assert len(history["attempts"]) == 2  # the refused drills stored nothing
