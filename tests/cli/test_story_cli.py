"""`storybank story …`, `coverage`, `ready`, `export`, `import` and `trash empty`: output,
JSON shapes and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storybank.cli.main import app

pytestmark = pytest.mark.storage

STRONG = (
    "I decided to cap withdrawal retries at three. Failed withdrawals fell 27 %, protecting $310k a quarter. "
    "I aligned risk, engineering and support and shipped it in 3 weeks."
)
WEAK = "We looked at withdrawals and the team made some changes that helped a lot."
STORY_KEYS = {"id", "version", "title", "kind", "principles", "tags", "text", "score", "verdict", "analysis", "created_at", "updated_at"}


@pytest.fixture
def run(database_url: str):
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None):
        return runner.invoke(app, list(args), input=stdin)

    return invoke


def add(run, text: str = STRONG, *options: str) -> dict:
    result = run("story", "add", "-", "--title", "Withdrawal retries", "--json", *options, stdin=text)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_add_prints_the_id_and_json_prints_the_story(run) -> None:
    result = run("story", "add", "-", "--title", "Retries", stdin=STRONG)
    assert result.exit_code == 0
    assert result.stdout.strip().isdigit()
    story = add(run, STRONG, "--principle", "Relentless Execution", "--tag", "payments", "--kind", "impact")
    assert STORY_KEYS <= set(story)
    assert story["version"] == 1 and story["kind"] == "impact" and story["verdict"] == "decisive"
    assert story["principles"] == ["Relentless Execution"] and story["tags"] == ["payments"]
    assert story["analysis"]["score"] == story["score"]


def test_add_from_a_file(run, tmp_path: Path) -> None:
    path = tmp_path / "story.md"
    path.write_text(STRONG, encoding="utf-8")
    result = run("story", "add", str(path), "--title", "From a file", "--json")
    assert json.loads(result.stdout)["text"] == STRONG


def test_list_show_and_filters(run) -> None:
    first = add(run, STRONG, "--tag", "payments")
    second = add(run, WEAK, "--kind", "other")
    listed = json.loads(run("story", "list", "--json").stdout)
    assert [item["id"] for item in listed] == [second["id"], first["id"]]
    assert set(listed[0]) == {"id", "title", "kind", "version", "score", "verdict", "updated_at"}
    assert [i["id"] for i in json.loads(run("story", "list", "--json", "--kind", "other").stdout)] == [second["id"]]
    assert [i["id"] for i in json.loads(run("story", "list", "--json", "--search", "cap withdrawal").stdout)] == [first["id"]]
    assert [i["id"] for i in json.loads(run("story", "list", "--json", "--limit", "1").stdout)] == [second["id"]]
    assert [i["id"] for i in json.loads(run("story", "list", "--json", "--limit", "1", "--offset", "1").stdout)] == [first["id"]]
    assert run("story", "list", "--limit", "0").exit_code == 2
    human = run("story", "list").stdout
    assert "Withdrawal retries" in human and "decisive" in human
    shown = json.loads(run("story", "show", str(first["id"]), "--json").stdout)
    assert shown == first
    assert "opening line:" in run("story", "show", str(first["id"])).stdout


def test_edit_with_a_stale_base_version_exits_1(run) -> None:
    story = add(run, WEAK)
    result = run("story", "edit", str(story["id"]), "-", "--base-version", "1", stdin=STRONG)
    assert result.exit_code == 0 and "version 2" in result.stdout
    stale = run("story", "edit", str(story["id"]), "--base-version", "1", "--title", "Lost?")
    assert stale.exit_code == 1
    assert "version 2" in stale.stderr and "nothing was saved" in stale.stderr
    assert json.loads(run("story", "show", str(story["id"]), "--json").stdout)["title"] == "Withdrawal retries"


def test_history_diff_and_restore(run) -> None:
    story = add(run, WEAK)
    run("story", "edit", str(story["id"]), "-", "--base-version", "1", stdin=STRONG)
    history = json.loads(run("story", "history", str(story["id"]), "--json").stdout)
    assert [v["version"] for v in history] == [1, 2]
    assert history[0]["text"] == WEAK and "analysis" in history[0]
    diff = run("story", "diff", str(story["id"]), "1", "2")
    assert diff.exit_code == 0 and "-We looked" in diff.stdout and "+I decided" in diff.stdout
    restored = run("story", "restore", str(story["id"]), "--version", "1", "--json")
    assert json.loads(restored.stdout)["version"] == 3
    assert json.loads(restored.stdout)["text"] == WEAK


def test_trash_undelete_purge_and_empty(run) -> None:
    keep = add(run)
    drop = add(run, WEAK)
    assert run("story", "rm", str(drop["id"])).exit_code == 0
    assert [s["id"] for s in json.loads(run("story", "trash", "--json").stdout)] == [drop["id"]]
    assert run("story", "undelete", str(drop["id"])).exit_code == 0
    assert json.loads(run("story", "trash", "--json").stdout) == []
    declined = run("story", "purge", str(drop["id"]), stdin="n\n")
    assert declined.exit_code == 1
    assert run("story", "show", str(drop["id"])).exit_code == 0
    assert run("story", "purge", str(drop["id"]), "--yes").exit_code == 0
    assert run("story", "show", str(drop["id"])).exit_code == 2
    run("story", "rm", str(keep["id"]))
    assert run("trash", "empty", stdin="y\n").exit_code == 0
    assert json.loads(run("story", "list", "--json").stdout) == []
    assert json.loads(run("story", "trash", "--json").stdout) == []


@pytest.mark.parametrize(
    "args",
    [
        ("story", "show", "999"),
        ("story", "show", "abc"),
        ("story", "edit", "999", "--base-version", "1", "--title", "x"),
        ("story", "add", "-", "--title", "x", "--kind", "heroic"),
        ("story", "add", "-", "--title", "   "),
        ("story", "add", "-", "--title", "x", "--principle", "Moving fast"),
        ("story", "add", "missing-file.txt", "--title", "x"),
        ("story", "restore", "999", "--version", "1"),
        ("story", "diff", "999", "1", "2"),
        ("story", "history", "999"),
        ("story", "list", "--kind", "heroic"),
        ("coverage", "--profile", "no-such-profile"),
        ("export", "--format", "pdf", "--out", "x"),
        ("import", "no-such-folder"),
    ],
)
def test_bad_input_exits_2_with_a_message(run, args) -> None:
    result = run(*args, stdin=STRONG)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() and "Traceback" not in result.output


def test_empty_or_binary_story_text_exits_2(run) -> None:
    assert run("story", "add", "-", "--title", "x", stdin="  \n").exit_code == 2
    runner = CliRunner()
    result = runner.invoke(app, ["story", "add", "-", "--title", "x"], input=b"\xff\xfe bad")
    assert result.exit_code == 2 and "UTF-8" in result.stderr


def test_coverage_and_ready(run) -> None:
    add(run, STRONG, "--principle", "Relentless Execution")
    data = json.loads(run("coverage", "--json").stdout)
    assert data["profile"] == "binance"
    assert data["principles"] == ["Relentless Execution", "Customer-First Innovation", "Risk-Aware Decision-Making"]
    assert data["stories"][0]["cells"]["Relentless Execution"]["decisive"] is True
    assert "failure" in data["gaps"]["kinds_without_story"]
    human = run("coverage").stdout
    assert "Relentless Execution" in human and "gap:" in human
    ready = json.loads(run("ready", "--json").stdout)
    assert ready["ready"] is False
    for item in ready["items"]:
        assert set(item) >= {"id", "label", "ok", "reason", "next_action"}
    items = {item["id"]: item for item in ready["items"]}
    assert items["probes-practised"]["ok"] is False and items["probes-practised"]["reason"]
    assert items["mock-interview"]["ok"] is False
    assert "Not ready yet." in run("ready").stdout


def test_export_and_import_round_trip_through_the_cli(run, tmp_path: Path, monkeypatch, storybank_home: Path) -> None:
    story = add(run, WEAK)
    run("story", "edit", str(story["id"]), "-", "--base-version", "1", stdin=STRONG)
    backup = tmp_path / "backup.json"
    assert run("export", "--format", "json", "--out", str(backup)).exit_code == 0
    folder = tmp_path / "markdown"
    assert run("export", "--format", "markdown", "--out", str(folder)).exit_code == 0
    assert len(list(folder.glob("*.md"))) == 1
    # a second, empty bank
    monkeypatch.setenv("STORYBANK_DATABASE_URL", f"sqlite:///{tmp_path / 'second.db'}")
    result = run("import", str(backup), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["versions"] == 2
    history = json.loads(run("story", "history", str(story["id"]), "--json").stdout)
    assert [v["text"] for v in history] == [WEAK, STRONG]
    again = json.loads(run("import", str(backup), "--json").stdout)
    assert again["created"] == [] and len(again["skipped"]) == 1


def test_malformed_markdown_aborts_the_import_naming_file_and_line(run, tmp_path: Path) -> None:
    folder = tmp_path / "stories"
    folder.mkdir()
    (folder / "a-good.md").write_text("---\ntitle: Good one\n---\n" + STRONG, encoding="utf-8")
    (folder / "b-bad.md").write_text("---\ntitle: Bad one\ntags: [payments]\nkind: heroic\n---\n" + STRONG, encoding="utf-8")
    result = run("import", str(folder))
    assert result.exit_code == 2
    assert "b-bad.md: line 4" in result.stderr and "heroic" in result.stderr
    assert json.loads(run("story", "list", "--json").stdout) == []


def test_build_with_parts_and_save(run) -> None:
    result = run(
        "story", "build", "--no-input", "--kind", "impact", "--save", "--title", "Built", "--json",
        "--part", "decision=cap withdrawal retries at three",
        "--part", "kpi=Failed withdrawals fell 27 %",
        "--part", "functions=risk, engineering and support",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "[USD value?]" in data["answer"] and "[time to ship?]" in data["opening_line"]
    assert data["missing"] == ["usd_value", "time_to_ship"]
    assert data["story"]["parts"]["kpi"] == "Failed withdrawals fell 27 %"
    assert data["story"]["text"] == data["answer"]


def test_build_asks_each_part_interactively(run) -> None:
    answers = "\n".join(
        [
            "impact",
            "I decided to cap withdrawal retries at three",
            "Failed withdrawals fell 27 %",
            "$310k a quarter",
            "risk, engineering and support",
            "3 weeks",
            "y",
            "Retries, built",
        ]
    ) + "\n"
    result = run("story", "build", stdin=answers)
    assert result.exit_code == 0, result.output
    assert "Strong:" in result.stdout and "Saved as story" in result.stdout
    stories = json.loads(run("story", "list", "--json").stdout)
    assert stories[0]["title"] == "Retries, built"


def test_a_failure_story_is_built_from_the_dip_and_lists_what_is_missing(run) -> None:
    answers = "\n".join(
        ["failure", "A fee change cut deposits 14 %", "rolled the fee change back", "2 days",
         "added a deposit-volume alarm", "", "", "", "", "n"]
    ) + "\n"
    result = run("story", "build", stdin=answers)
    assert result.exit_code == 0, result.output
    assert "1/8 The dip" in result.stdout
    assert "A fee change cut deposits 14 %. I owned the post-mortem and rolled the fee change back." in result.stdout
    assert "Still missing: [USD value?], [functions aligned?], [time to ship?]" in result.stdout
    assert json.loads(run("story", "list", "--json").stdout) == []


def test_question_links(run) -> None:
    story = add(run)
    for number in range(4):
        result = run("story", "link", str(story["id"]), f"Question number {number}?", "--fit", "partial")
        assert result.exit_code == 0
    assert "planned for 4 questions" in result.stderr
    links = json.loads(run("story", "links", "--json").stdout)
    assert len(links) == 4 and links[0]["fit"] == "partial"
    assert run("story", "link", str(story["id"]), "Q?", "--fit", "perfect").exit_code == 2


def test_every_story_command_is_documented_in_the_readme() -> None:
    from storybank.cli.story import story_app

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The story bank", 1)[1]
    names = [command.name for command in story_app.registered_commands]
    assert "build" in names
    for name in names:
        assert f"storybank story {name}" in section, name
    for command in ("coverage", "ready", "export", "import", "trash empty"):
        assert f"storybank {command}" in section, command


def test_build_asks_the_questions_of_the_chosen_profile(run, storybank_home: Path) -> None:
    profiles = storybank_home / "profiles"
    profiles.mkdir(parents=True, exist_ok=True)
    (profiles / "mine.yaml").write_text(
        "extends: binance\nbuilder:\n  parts:\n    decision: {question: Which call was yours alone?}\n", encoding="utf-8"
    )
    answers = "\n".join(["I decided to cap withdrawal retries at three", "", "", "", "", "n"]) + "\n"
    default = run("story", "build", "--kind", "impact", stdin=answers)
    assert default.exit_code == 0, default.output
    assert "Which call was yours alone?" not in default.stdout
    assert run("profile", "use", "mine").exit_code == 0
    chosen = run("story", "build", "--kind", "impact", stdin=answers)
    assert chosen.exit_code == 0, chosen.output
    assert "Which call was yours alone?" in chosen.stdout
