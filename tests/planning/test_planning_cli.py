"""`storybank plan` and `storybank offer`: flags, JSON shapes, ICS files, exit 2 on bad input."""

import json

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from storybank.cli.main import app


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, list(args))

    return invoke


def assert_bad_input(result, *fragments):
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("storybank: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    assert "Traceback" not in result.output


def test_plan_json_shape(run):
    result = run("plan", "--first-screen", "2026-03-02", "--country", "US", "--json", "--today", "2026-02-20")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"rounds", "decision", "paperwork", "offer_by", "tasks"} <= set(data)
    assert [set(r) >= {"n", "earliest", "expected", "latest", "actual"} for r in data["rounds"]] == [True] * 5
    for key in ("decision", "paperwork", "offer_by"):
        assert set(data[key]) == {"earliest", "expected", "latest"}
    assert data["offer_by"]["expected"] == "2026-03-23"
    assert all(set(task) >= {"round", "kind", "title", "due"} for task in data["tasks"])


def test_plan_with_real_rounds_and_subdivision(run):
    result = run(
        "plan", "--first-screen", "2026-03-02", "--round", "2=2026-03-05", "--round", "3=2026-03-09",
        "--country", "us", "--subdivision", "ca", "--json", "--today", "2026-03-09",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [r["actual"] for r in data["rounds"]][:3] == ["2026-03-02", "2026-03-05", "2026-03-09"]
    assert data["rounds"][3]["expected"] == "2026-03-10"
    assert data["business_days"]["subdivision"] == "CA"


def test_plan_writes_an_ics_file_that_parses(run, tmp_path):
    path = tmp_path / "process.ics"
    result = run("plan", "--first-screen", "2026-03-02", "--ics", str(path), "--today", "2026-02-20")
    assert result.exit_code == 0, result.output
    assert "calendar written to" in result.stdout
    calendar = Calendar.from_ical(path.read_bytes())
    assert len(calendar.walk("VEVENT")) >= 7


def test_plan_human_output_shows_windows_and_the_guide(run):
    result = run("plan", "--first-screen", "2026-03-02", "--today", "2026-03-30")
    assert result.exit_code == 0
    assert "decision" in result.stdout and "reported by the guide" in result.stdout
    assert "past the latest expected decision date" in result.stdout


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--first-screen", "2026-13-01"], ["--first-screen", "not a date"]),
        (["--country", "XX"], ["unknown country code 'XX'"]),
        (["--country", "US", "--subdivision", "ZZ"], ["unknown subdivision 'ZZ'"]),
        (["--subdivision", "CA"], ["needs a country"]),
        (["--first-screen", "2026-03-02", "--round", "3=2026-03-04", "--round", "2=2026-03-06"], ["dates out of order"]),
        (["--round", "two=2026-03-04"], ["N=YYYY-MM-DD"]),
        (["--round", "9=2026-03-04"], ["round 9: no such round"]),
        (["--round", "2=2026-03-04", "--round", "2=2026-03-05"], ["given twice"]),
        (["--profile", "no-such-profile"], ["unknown profile"]),
    ],
)
def test_plan_bad_input_exits_2_with_one_line(run, args, fragments):
    assert_bad_input(run("plan", *args), *fragments)


def test_plan_ics_to_an_unwritable_path(run, tmp_path):
    assert_bad_input(run("plan", "--ics", str(tmp_path / "missing" / "x.ics")), "cannot be written")


OFFER = ["offer", "--base", "152000", "--sign-on", "22000", "--equity-percent", "0.03", "--valuation", "10B"]


def test_offer_json_shape_and_hand_computed_year_one(run):
    result = run(*OFFER, "--valuation", "20000000000", "--current-base", "140000", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"years", "totals", "cliff", "vs_current", "script"} <= set(data)
    first = data["years"][0]
    assert set(first) == {"year", "base", "sign_on", "bonus", "equity", "total"}
    assert list(first["equity"]) == list(first["total"]) == ["10B", "20000000000"]
    assert first["total"]["10B"] == 152000 + 22000 + 750000
    assert data["vs_current"]["base_change"] == 12000
    assert data["script"].startswith("1. Opening")


def test_offer_units_bonus_and_explicit_vesting(run):
    result = run(
        "offer", "--base", "150k", "--bonus-percent", "10", "--units", "3000", "--price", "10",
        "--vest-years", "3", "--cliff-months", "0", "--frequency", "annual", "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [row["equity"]["10"] for row in data["years"]] == [10000, 10000, 10000, 0]
    assert data["years"][0]["bonus"] == 15000


def test_offer_human_output_and_script(run):
    result = run(*OFFER, "--script", "--evidence", "I cut fill latency 31 %")
    assert result.exit_code == 0, result.output
    assert "$924,000" in result.stdout and "Negotiation script" in result.stdout
    assert result.stdout.index("2. Equity") < result.stdout.index("3. Base salary")
    assert "I cut fill latency 31 %" in result.stdout


def test_offer_compare_file(run, tmp_path):
    path = tmp_path / "others.yaml"
    path.write_text("offers:\n  - name: Acme\n    base: 165k\n    equity_percent: 0.02\n    valuations: [5B]\n", encoding="utf-8")
    result = run(*OFFER, "--compare", str(path), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [entry["name"] for entry in data["comparison"]] == ["this offer", "Acme"]
    assert data["comparison"][1]["year_one"] == {"5B": 165000 + 250000}
    json_path = tmp_path / "others.json"
    json_path.write_text(json.dumps([{"name": "Beta", "base": 150000}]), encoding="utf-8")
    assert run(*OFFER, "--compare", str(json_path), "--json").exit_code == 0


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--base", "-5"], ["--base", "negative amounts"]),
        (["--base", "1", "--sign-on", "-1"], ["--sign-on", "negative"]),
        (["--base", "1", "--cliff-months", "60"], ["cliff is longer than the 4-year vesting period"]),
        (["--base", "1", "--equity-percent", "150", "--valuation", "1B"], ["over 100 %"]),
        (["--base", "1", "--equity-percent", "0.03"], ["at least one valuation"]),
        (["--base", "1", "--frequency", "weekly"], ["--frequency"]),
        (["--base", "lots"], ["--base", "not an amount"]),
        (["--base", "1", "--current-base", "-3"], ["--current-base", "negative"]),
        (["--base", "1", "--units", "10"], ["units", "price"]),
    ],
)
def test_offer_bad_input_exits_2_with_one_line(run, args, fragments):
    assert_bad_input(run("offer", *args), *fragments)


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("bad.json", "{not json", "malformed JSON at line 1"),
        ("bad.yaml", "offers: [\n  - name: x\n", "malformed YAML"),
        ("typo.yaml", "offers:\n  - name: A\n    base: 1\n    salry: 2\n", "offers.0.salry: unknown field"),
        ("empty.yaml", "", "expected a mapping"),
        ("binary.yaml", "\x00\x01", "binary input"),
    ],
)
def test_offer_malformed_compare_file_names_the_file(run, tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert_bad_input(run(*OFFER, "--compare", str(path)), str(path), fragment)


def test_offer_missing_compare_file(run, tmp_path):
    missing = tmp_path / "nope.yaml"
    assert_bad_input(run(*OFFER, "--compare", str(missing)), str(missing), "no such file")


def test_every_visible_flag_is_documented_in_the_readme():
    import typer.main

    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Planning the process and the offer"):]
    command = typer.main.get_command(app)
    for name in ("plan", "offer"):
        for parameter in command.commands[name].params:
            if getattr(parameter, "hidden", False):
                continue
            for flag in parameter.opts:
                if flag.startswith("--"):
                    assert flag in section, f"{name} {flag} is not documented"
