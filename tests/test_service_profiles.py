"""The service's profile use cases: the active profile, and the builder, coverage and readiness
worded and tuned by the profile's data."""

from __future__ import annotations

from pathlib import Path

import pytest

from storybank.service import StoryBank
from storybank.settings import Settings

pytestmark = pytest.mark.storage

DECISIVE = (
    "I decided to move card disputes into a self-serve flow. Dispute handling time fell 38 %, "
    "saving $420k a year in support cost. I aligned legal, engineering and support and shipped it in 5 weeks."
)


@pytest.fixture
def bank(database_url: str):
    with StoryBank(Settings.from_env()) as opened:
        yield opened


def write_profile(home: Path, name: str, text: str) -> Path:
    folder = home / "profiles"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_readiness_follows_the_profiles_thresholds(bank: StoryBank, storybank_home: Path) -> None:
    write_profile(storybank_home, "lenient", "extends: binance\nreadiness: {min_complete_stories: 1}\n")
    bank.add_story(title="Disputes", text=DECISIVE)
    strict = {item.id: item for item in bank.readiness().items}
    lenient = {item.id: item for item in bank.readiness("lenient").items}
    assert not strict["complete-stories"].ok and strict["complete-stories"].label.startswith("At least 3 ")
    assert lenient["complete-stories"].ok and lenient["complete-stories"].label.startswith("At least 1 ")
