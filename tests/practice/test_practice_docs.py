"""The README documents every practice command's flags and the drill's JSON keys."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main

from storybank.cli.main import app
from storybank.practice.attempts import Attempt

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Practice: questions, drills and reviews", 1)[1].split("\n## ", 1)[0]


def _options(*path: str) -> list[str]:
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    return [option for parameter in command.params for option in getattr(parameter, "opts", []) if option.startswith("--")]


@pytest.mark.parametrize("path", [("questions",), ("match",), ("drill",), ("history",), ("review", "add"),
                                  ("review", "export"), ("review", "import"), ("review", "list"), ("review", "calibration")])
def test_every_flag_is_documented(path: tuple[str, ...]) -> None:
    assert f"storybank {' '.join(path)}" in SECTION
    for option in _options(*path):
        if option != "--help":
            assert option in SECTION, (path, option)


def test_the_drill_json_keys_are_documented() -> None:
    for key in ("question", "answer", "timings", "analysis", "probe", "probe_reply", "probe_analysis", "probe_check", "summary"):
        assert f'"{key}"' in SECTION, key
    assert set(Attempt.__dataclass_fields__) >= {"probe", "probe_reply", "probe_analysis"}
