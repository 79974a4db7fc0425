"""`storybank speak`: transcribe a spoken answer offline and report delivery and content."""

from __future__ import annotations

import sys
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    """Add the `speak` command."""
    app.command("speak")(speak)


def speak(
    file: str = typer.Argument(..., help="Recording of one answer: WAV, FLAC or OGG, any rate, mono or stereo."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Profile name or YAML path (default: the active profile)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as one JSON object."),
) -> None:
    """Transcribe a recorded answer offline; report pace, pauses, fillers, when the metric came, and the analysis."""
    from storybank.cli.common import fail
    from storybank.errors import StorybankError
    from storybank.rubric.loader import ProfileError, load_profile
    from storybank.settings import Settings

    try:
        rubric = load_profile(profile or Settings.from_env().active_profile())
    except ProfileError as error:
        fail(str(error).replace("\n", "; "))

    from storybank.practice.speech import analyze_speech

    try:
        if as_json or not sys.stderr.isatty():
            report = analyze_speech(file, rubric)
        else:
            report = _with_progress(lambda progress: analyze_speech(file, rubric, progress=progress))
    except (StorybankError, ProfileError) as error:
        fail(str(error).replace("\n", "; "))

    if as_json:
        import json

        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
    else:
        from storybank.cli.speech_output import print_speech_report

        print_speech_report(report, file)


def _with_progress(run):
    """Run `run(progress)` under a Rich progress bar on stderr (decoding, then transcribing)."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description:<13}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, fraction: float) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=1.0)
            bar.update(tasks[stage], completed=fraction)

        return run(progress)
