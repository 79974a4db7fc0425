"""`storybank analyze` and `storybank profile`: output, JSON shape and exit codes."""

import json

import pytest
from typer.testing import CliRunner

from storybank.cli.main import app

STRONG = "I decided to drop the second KYC screen, and verified sign-ups rose 17 %, worth $800k a year."


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args, stdin=None):
        return runner.invoke(app, list(args), input=stdin)

    return invoke


def test_json_output_is_the_contract(run, tmp_path):
    path = tmp_path / "answer.txt"
    path.write_text(STRONG, encoding="utf-8")
    result = run("analyze", str(path), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["verdict"] == "decisive" and data["profile"] == "binance"


def test_human_output_lists_findings_with_line_and_column(run):
    result = run("analyze", "-", stdin="Some context first.\nWe helped a lot.")
    assert result.exit_code == 0
    assert "stdin:2:1  warning  weak-ownership-verb" in result.stdout
    assert "score" in result.stdout and "opening line" in result.stdout


def test_min_score_exit_codes(run):
    assert run("analyze", "-", "--min-score", "50", stdin=STRONG).exit_code == 0
    assert run("analyze", "-", "--min-score", "101", stdin=STRONG).exit_code == 1


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        (b"   \n", "empty text"),
        (b"I decided\x00 things", "binary input"),
        (b"I decided \xff\xfe things", "invalid UTF-8"),
        (("x " * 50_001).encode(), "the limit is 100,000"),
    ],
)
def test_bad_input_exits_2_with_one_line(run, stdin, message):
    result = run("analyze", "-", "--json", stdin=stdin)
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_byte_order_mark_is_dropped(run):
    result = run("analyze", "-", "--json", stdin="\ufeff".encode() + STRONG.encode())
    assert json.loads(result.stdout)["findings"] == json.loads(run("analyze", "-", "--json", stdin=STRONG).stdout)["findings"]


def test_unknown_profile_lists_available(run):
    result = run("analyze", "-", "--profile", "nope", stdin=STRONG)
    assert result.exit_code == 2 and "binance" in result.stderr


def test_profile_path_is_accepted(run, tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("name: mine\nextends: binance\n", encoding="utf-8")
    result = run("analyze", "-", "--json", "--profile", str(path), stdin=STRONG)
    assert json.loads(result.stdout)["profile"] == "mine"


def test_jsonl_streams_in_order_and_copies_ids(run):
    lines = [json.dumps({"id": 7, "text": STRONG}), "", json.dumps({"id": "b", "text": "We helped."})]
    result = run("analyze", "--jsonl", "-", stdin="\n".join(lines) + "\n")
    assert result.exit_code == 0
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [item["id"] for item in out] == [7, "b"]
    single = json.loads(run("analyze", "-", "--json", stdin=STRONG).stdout)
    assert {k: v for k, v in out[0].items() if k != "id"} == single


def test_jsonl_malformed_line_names_the_line(run):
    result = run("analyze", "--jsonl", "-", stdin=json.dumps({"id": 1, "text": STRONG}) + "\n{oops\n")
    assert result.exit_code == 2 and "line 2" in result.stderr


def test_unknown_kind_is_usage_error(run):
    assert run("analyze", "-", "--kind", "epic", stdin=STRONG).exit_code == 2


def test_profile_commands(run, storybank_home, tmp_path):
    assert "binance" in run("profile", "list").stdout
    assert "Relentless Execution" in run("profile", "show", "binance").stdout
    assert run("profile", "init", "acme", "--from", "binance").exit_code == 0
    assert (storybank_home / "profiles" / "acme.yaml").is_file()
    assert run("profile", "use", "acme").exit_code == 0
    assert json.loads(run("analyze", "-", "--json", stdin=STRONG).stdout)["profile"] == "acme"
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nextends: binance\nverdikt: {}\n", encoding="utf-8")
    result = run("profile", "validate", str(bad))
    assert result.exit_code == 2 and "bad.yaml" in result.stderr and "verdikt" in result.stderr
    assert run("profile", "use", "missing").exit_code == 2


def test_profile_rules_lists_every_rule_with_overrides(run, storybank_home):
    from storybank.rubric import load_rules

    rows = json.loads(run("profile", "rules", "binance", "--json").stdout)
    assert {row["id"] for row in rows} == set(load_rules())
    folder = storybank_home / "profiles"
    folder.mkdir()
    (folder / "quiet.yaml").write_text("name: quiet\nextends: binance\nrules:\n  hedging: {enabled: false}\n", encoding="utf-8")
    quiet = {row["id"]: row for row in json.loads(run("profile", "rules", "quiet", "--json").stdout)}
    assert quiet["hedging"]["enabled"] is False


def test_readme_names_every_rule():
    from pathlib import Path

    from storybank.rubric import load_rules

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert [rule for rule in load_rules() if f"`{rule}`" not in readme] == []
