"""The practice commands: output, JSON shapes and exit codes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from storybank.cli.main import app

pytestmark = pytest.mark.storage
QUESTION_KEYS = {"id", "text", "principles", "kinds", "tags"}


@pytest.fixture
def run(database_url: str):
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None):
        return runner.invoke(app, list(args), input=stdin)

    return invoke


def test_questions_json_lists_the_active_profile(run) -> None:
    result = run("questions", "--json")
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)
    assert len(items) >= 40 and all(set(item) == QUESTION_KEYS for item in items)
    assert all(item["id"].startswith("bn-") for item in items)


def test_questions_filters_by_principle_and_kind(run) -> None:
    result = run("questions", "--principle", "risk-aware decision-making", "--kind", "failure", "--json")
    items = json.loads(result.stdout)
    assert items and all("Risk-Aware Decision-Making" in i["principles"] and "failure" in i["kinds"] for i in items)


def test_questions_of_another_profile(run) -> None:
    items = json.loads(run("questions", "--profile", "amazon", "--json").stdout)
    assert items and all(item["id"].startswith("az-") for item in items)


def test_questions_human_output(run) -> None:
    result = run("questions", "--kind", "conflict")
    assert result.exit_code == 0 and "bn-engineering-said-no" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (("--principle", "Frugality"), "not in profile 'binance'"),
        (("--kind", "heroic"), "not a story kind"),
        (("--profile", "nowhere"), "unknown profile"),
    ],
)
def test_questions_bad_filters_exit_2(run, args, message) -> None:
    result = run("questions", *args)
    assert result.exit_code == 2 and message in result.stderr


def test_match_json(run) -> None:
    run("story", "add", "-", "--title", "Fee page", stdin="I decided to cut fees for new traders; churn fell 4.3 %, worth $1.1M.")
    result = run("match", "bn-reduced-churn", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"question", "profile", "best", "stories", "warnings"}
    assert data["best"]["story_id"] == 1 and "churn" in data["best"]["reasons"]["shared_words"]
    human = run("match", "bn-reduced-churn")
    assert "Best: #1" in human.stdout


def test_match_unknown_question_exits_2(run) -> None:
    result = run("match", "bn-nope")
    assert result.exit_code == 2 and "no question 'bn-nope'" in result.stderr
