"""Speech test fixtures: `say` synthesises real speech with Debian's flite (each text, voice
and rate once per test run)."""

from __future__ import annotations

from pathlib import Path

import pytest
from speech_helpers import Spoken, synthesise


@pytest.fixture(scope="session")
def spoken_cache(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Recordings already synthesised in this run, by (text, voice, stretch)."""
    return {"folder": tmp_path_factory.mktemp("spoken"), "made": {}}


@pytest.fixture
def say(require_flite: str, spoken_cache: dict):
    """`say(text, voice=…, stretch=…)` → Spoken: a WAV made by flite (shared; do not modify)."""

    def speak(text: str, voice: str = "kal", stretch: float = 1.0) -> Spoken:
        key = (text, voice, stretch)
        made: dict = spoken_cache["made"]
        if key not in made:
            path: Path = spoken_cache["folder"] / f"spoken-{len(made)}.wav"
            made[key] = synthesise(require_flite, text, path, voice, stretch)
        return made[key]

    return speak
