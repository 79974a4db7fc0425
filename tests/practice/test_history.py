"""History: attempts in full, the progress series, and the SVG chart (escaped, no scripts)."""

from __future__ import annotations

import json
import random
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storybank.cli.main import app
from storybank.practice.chart import OVERALL, Point, history_chart_svg, history_series, sparkline
from storybank.practice_service import Practice
from storybank.service import StoryBank

pytestmark = pytest.mark.storage

WEAK = "We had a compliance issue and the team fixed it quickly. Everyone was happy with the result."
STRONG = (
    "I decided to move the KYC check after the first deposit. Onboarding conversion rose 18 %, worth $2.1M a year. "
    "I aligned compliance and engineering and shipped it in 3 weeks."
)
FAILURE = "Our launch caused a 12 % DAU dip. I owned the post-mortem, restored DAU in 48 hours and added an alert."
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def practice(bank: StoryBank) -> Practice:
    return Practice(bank, rng=random.Random(1))


def test_history_lists_attempts_in_full_newest_first(practice: Practice, clock) -> None:
    first = practice.run_drill("bn-reduced-churn", WEAK, probe_reply="I decided it myself.")
    clock.advance(3600)
    second = practice.run_drill("bn-funnel", STRONG, opening="I decided to move KYC.")
    history = practice.history()
    assert [attempt.id for attempt in history.attempts] == [second.id, first.id] and history.total == 2
    data = history.to_dict()
    newest = data["attempts"][0]
    assert newest["answer"] == STRONG and newest["opening"] == "I decided to move KYC."
    assert newest["analysis"]["findings"] is not None and newest["timings"]["answer"]["seconds"] > 0
    assert data["attempts"][1]["probe_reply"] == "I decided it myself." and data["attempts"][1]["reviews"] == []
    overall = data["series"][OVERALL]
    assert [point["attempt_id"] for point in overall] == [first.id, second.id]
    assert overall[1]["value"] == second.score and overall[1]["value"] > overall[0]["value"]
    assert set(data["series"]) >= {"overall", "ownership", "risk_awareness"}


def test_history_pages_and_filters(practice: Practice, clock) -> None:
    for _ in range(3):
        practice.run_drill("bn-reduced-churn", WEAK)
        clock.advance(60)
    practice.run_drill("bn-funnel", STRONG)
    page = practice.history(limit=2)
    assert len(page.attempts) == 2 and page.total == 4 and len(page.series[OVERALL]) == 4
    only = practice.history(question_id="bn-funnel")
    assert only.total == 1 and only.attempts[0].question_id == "bn-funnel"


def test_series_skip_retrieval_drills_and_missing_signals(practice: Practice) -> None:
    practice.run_drill("bn-launch-hurt-metric", FAILURE)
    practice.run_drill("bn-reduced-churn", STRONG)
    retrieval = practice.start_drill("bn-reduced-churn", mode="retrieval")
    practice.submit_retrieval(retrieval.uid, "Conversion rose 18 %.", None)
    attempts = practice.attempts()
    assert len(attempts) == 3
    series = history_series(attempts)
    assert len(series[OVERALL]) == 2
    assert len(series["failure_recovery"]) == 1 and len(series["ownership"]) == 2


def test_the_chart_is_valid_svg_with_escaped_text_and_no_script(practice: Practice) -> None:
    practice.run_drill("bn-reduced-churn", WEAK)
    practice.run_drill("bn-funnel", STRONG)
    series = history_series(practice.attempts())
    svg = history_chart_svg(series, {OVERALL: "Overall <script>alert(1)</script> & co", "ownership": "Owner\"ship"})
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert "<script" not in svg and "javascript:" not in svg and "href" not in svg
    titles = [element.text for element in root.iter(f"{SVG}text")]
    assert "Overall <script>alert(1)</script> & co" in titles and 'Owner"ship' in titles
    lines = root.findall(f".//{SVG}polyline")
    assert len(lines) == len([points for points in series.values() if points])


def test_an_empty_history_draws_empty_panels() -> None:
    svg = history_chart_svg({OVERALL: []})
    assert "no attempts yet" in svg and ElementTree.fromstring(svg) is not None


def test_sparkline_spans_low_to_high() -> None:
    from datetime import datetime, timezone

    moment = datetime(2026, 1, 1, tzinfo=timezone.utc)
    points = [Point(1, moment, 0.0, 0.0), Point(2, moment, 50.0, 0.0), Point(3, moment, 100.0, 0.0)]
    assert sparkline(points) == "▁▅█" and sparkline([]) == ""


def test_history_cli(database_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    answer = tmp_path / "answer.txt"
    answer.write_text(STRONG, encoding="utf-8")
    assert runner.invoke(app, ["drill", "-q", "bn-funnel", "--answer", str(answer)]).exit_code == 0
    result = runner.invoke(app, ["history", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"total", "attempts", "series"} and data["attempts"][0]["answer"] == STRONG
    chart = tmp_path / "progress.svg"
    human = runner.invoke(app, ["history", "--chart", str(chart)])
    assert human.exit_code == 0 and STRONG[:40] in human.stdout.replace("\n", " ")
    assert chart.read_text(encoding="utf-8").startswith("<svg")
    missing = runner.invoke(app, ["history", "--question", "bn-nope"])
    assert missing.exit_code == 2 and "no question" in missing.stderr
