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


def test_use_profile_checks_the_profile_then_makes_it_the_default(bank: StoryBank, storybank_home: Path) -> None:
    from storybank.errors import InvalidInput

    assert bank.default_profile() == "binance"
    assert bank.use_profile("generic-pm") == "generic-pm"
    assert bank.default_profile() == "generic-pm"
    assert Settings.from_env().active_profile() == "generic-pm"
    write_profile(storybank_home, "broken", "extends: binance\nbuilder: {parts: {kpi: {questoin: typo}}}\n")
    for name in ("no-such-profile", "broken", "  "):
        with pytest.raises(InvalidInput):
            bank.use_profile(name)
    assert bank.default_profile() == "generic-pm"


def test_the_builder_asks_what_the_active_profile_says(bank: StoryBank, storybank_home: Path) -> None:
    write_profile(
        storybank_home, "mine",
        "extends: binance\nbuilder:\n  parts:\n    functions: {question: Who did you bring along?}\n",
    )
    before = {part.key: part.question for part in bank.builder_parts("impact")}
    bank.use_profile("mine")
    after = {part.key: part.question for part in bank.builder_parts("impact")}
    assert after["functions"] == "Who did you bring along?" != before["functions"]
    assert {key: text for key, text in after.items() if key != "functions"} == {
        key: text for key, text in before.items() if key != "functions"
    }
    assert [part.key for part in bank.builder_parts("failure")][0] == "dip"


def test_markdown_files_are_what_export_writes(bank: StoryBank, tmp_path: Path) -> None:
    bank.add_story(title="Disputes", text=DECISIVE)
    bank.add_story(title="Refunds", text=DECISIVE.replace("card disputes", "refunds"))
    pairs = bank.markdown_files()
    assert len(pairs) == 2 and len({name for name, _ in pairs}) == 2
    written = bank.export_markdown(tmp_path / "out")
    assert sorted((path.name, path.read_text(encoding="utf-8")) for path in written) == sorted(pairs)
