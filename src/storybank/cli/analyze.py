"""`storybank analyze`: lint one answer (or a JSONL batch) against a rubric profile."""

from __future__ import annotations

import sys
from typing import Optional

import typer

KINDS_HELP = "auto|impact|failure|risk|conflict|customer|other"


def register(app: typer.Typer) -> None:
    """Add the `analyze` command."""
    app.command("analyze")(analyze)


def analyze(
    file: Optional[str] = typer.Argument(None, help="Answer text file, or - for stdin."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Profile name or YAML path (default: the active profile)."),
    kind: str = typer.Option("auto", "--kind", "-k", help=f"Story kind: {KINDS_HELP}."),
    as_json: bool = typer.Option(False, "--json", help="Print the analyzer's JSON object."),
    jsonl: Optional[str] = typer.Option(None, "--jsonl", help='Read {"id", "text"} lines from FILE or -, print one result per line.'),
    min_score: Optional[float] = typer.Option(None, "--min-score", help="Exit 1 when the score is below N."),
) -> None:
    """Analyze an interview answer like a linter: findings with spans, signals, score and verdict."""
    from storybank.analysis.snapshot import load_analyzer_profile
    from storybank.cli.common import check_answer_text, fail, read_text_argument
    from storybank.rubric.files import ProfileError
    from storybank.rubric.vocabulary import STORY_KINDS
    from storybank.settings import Settings

    if kind != "auto" and kind not in STORY_KINDS:
        fail(f"unknown kind {kind!r}; expected one of: {KINDS_HELP}")
    try:
        rubric = load_analyzer_profile(profile or Settings.from_env().active_profile())
    except ProfileError as error:
        fail(str(error).replace("\n", "; "))
    if jsonl is not None:
        from storybank.cli.analyze_batch import run_jsonl

        raise typer.Exit(run_jsonl(jsonl, rubric, kind, min_score))
    text, source = read_text_argument(file)
    text = check_answer_text(text, source)

    from storybank.analysis.analyzer import analyze_text

    report = analyze_text(text, rubric, kind)
    if as_json:
        import json

        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
    else:
        from storybank.cli.analyze_output import print_report

        print_report(report, text, source)
    if min_score is not None and report.score < min_score:
        raise typer.Exit(1)
