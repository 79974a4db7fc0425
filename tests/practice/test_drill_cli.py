"""`storybank drill`: the scriptable JSON form, the interactive form on piped input with a
replaced clock, and exit codes for bad input."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

import storybank
from storybank.cli.main import app

pytestmark = pytest.mark.storage

VAGUE = "We had a compliance issue and the team fixed it quickly. Everyone was happy with the result."
REPLY = "I kept the AML travel rule check, which kept 92 % of volume and avoided $1.1M in fines."
CONTRACT_KEYS = {"question", "answer", "timings", "analysis", "probe", "probe_reply", "probe_analysis"}


@pytest.fixture
def run(database_url: str):
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None):
        return runner.invoke(app, list(args), input=stdin)

    return invoke


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    paths = {}
    for name, text in {"answer": VAGUE, "reply": REPLY, "opening": "I decided to keep the AML check.", "empty": " \n"}.items():
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths[name] = str(path)
    return paths


def test_scriptable_drill_prints_the_attempt_as_json(run, files) -> None:
    result = run("drill", "--question", "bn-compliance-blocked-launch", "--opening", files["opening"],
                 "--answer", files["answer"], "--probe-answer", files["reply"], "--seconds", "97", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert CONTRACT_KEYS <= set(data)
    assert data["question"]["id"] == "bn-compliance-blocked-launch" and data["answer"] == VAGUE
    assert data["timings"]["answer"]["seconds"] == 97 and data["timings"]["answer"]["over_by"] == 7
    assert data["analysis"] == storybank.analyze(VAGUE).to_dict()
    assert set(data["probe"]) == {"id", "text", "signal"}
    assert data["probe"]["signal"] == storybank.analyze(VAGUE).weakest_signal()
    assert data["probe_reply"] == REPLY and data["probe_analysis"]["verdict"]


def test_scriptable_drill_reads_the_answer_from_stdin(run) -> None:
    result = run("drill", "-q", "bn-reduced-churn", "--answer", "-", "--json", stdin=VAGUE)
    data = json.loads(result.stdout)
    assert data["probe_reply"] is None and data["probe_analysis"] is None
    assert data["timings"]["answer"]["source"] == "estimated"


def test_scriptable_drill_human_output(run, files) -> None:
    result = run("drill", "-q", "bn-reduced-churn", "--answer", files["answer"], "--probe-answer", files["reply"])
    assert result.exit_code == 0
    assert "The one change that would help most" in result.stdout and "Opening line" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (("--question", "bn-nope", "--answer", "ANSWER"), "no question 'bn-nope'"),
        (("--question", "bn-reduced-churn", "--answer", "EMPTY"), "empty text"),
        (("--question", "bn-reduced-churn", "--answer", "ANSWER", "--probe-answer", "EMPTY"), "empty text"),
        (("--question", "bn-reduced-churn", "--answer", "missing.txt"), "no such file"),
        (("--answer", "ANSWER"), "--answer needs --question"),
        (("--question", "bn-reduced-churn", "--answer", "ANSWER", "--story", "42"), "no story 42"),
        (("--seconds", "5"), "go with --answer"),
        (("--question", "bn-reduced-churn", "--answer", "-", "--probe-answer", "-"), "only one of"),
    ],
)
def test_bad_input_exits_2_and_records_nothing(run, files, args, message) -> None:
    args = tuple({"ANSWER": files["answer"], "EMPTY": files["empty"]}.get(arg, arg) for arg in args)
    result = run("drill", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    from storybank.practice_service import Practice
    from storybank.service import StoryBank

    with StoryBank() as bank:
        assert Practice(bank).attempts() == []


class SteppingClock:
    """Each call moves time on by `step` seconds."""

    def __init__(self, step: float) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
        self.step = step

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=self.step)
        return self.now


def test_interactive_drill_on_piped_input(run, monkeypatch) -> None:
    monkeypatch.setattr("storybank.cli.practice.wall_clock", SteppingClock(20))
    typed = "I decided to keep the AML check.\n.\n" + VAGUE + "\n.\n" + REPLY + "\n.\n"
    result = run("drill", "--question", "bn-compliance-blocked-launch", "--json", stdin=typed)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout[result.stdout.index("\n{") + 1:])
    assert data["phase"] == "done" and data["opening"] == "I decided to keep the AML check."
    assert data["timings"]["opening"]["source"] == "clock" and data["timings"]["opening"]["seconds"] > 0
    assert data["probe_reply"] == REPLY and data["probe_check"]["risk_aware"] is True
    assert "Question bn-compliance-blocked-launch" in result.stdout


def test_interactive_drill_picks_a_question_and_skips_the_probe(run, monkeypatch) -> None:
    monkeypatch.setattr("storybank.cli.practice.wall_clock", SteppingClock(1))
    result = run("drill", "--no-opening", "--json", stdin=VAGUE + "\n.\n\n.\n")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout[result.stdout.index("\n{") + 1:])
    assert data["question"]["id"].startswith("bn-") and data["probe_reply"] is None
    assert "the probe was skipped" in data["timings"]["notes"]


def test_interactive_retrieval_drill(run, monkeypatch) -> None:
    monkeypatch.setattr("storybank.cli.practice.wall_clock", SteppingClock(12))
    run("story", "add", "-", "--title", "Fee page", stdin="I decided to cut fees for new traders; churn fell 4.3 %, worth $1.1M.")
    result = run("drill", "--retrieval", "-q", "bn-reduced-churn", "--json", stdin="fee page\nI cut fees; churn fell 4.3 %.\n.\n")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout[result.stdout.index("\n{") + 1:])
    assert data["mode"] == "retrieval" and data["story_id"] == 1
    assert data["retrieval"]["good_choice"] and data["retrieval"]["within_time"] is False
    assert "over (recorded)" in result.stdout


def test_interactive_drill_stopped_on_end_of_input(run, monkeypatch) -> None:
    monkeypatch.setattr("storybank.cli.practice.wall_clock", SteppingClock(1))
    result = run("drill", "-q", "bn-reduced-churn", "--no-opening", stdin="")
    assert result.exit_code == 1 and "Drill stopped" in result.stderr
