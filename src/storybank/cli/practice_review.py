"""`storybank review …`: reviewer mode from the command line — score an attempt, export a review
file for a reviewer, import it back, list reviews, and see where reviewers and the analyzer disagree."""

from __future__ import annotations

from typing import Optional

import typer

review_app = typer.Typer(help="Reviewer mode: a person's 1–5 scores beside the analyzer's.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the `review` group."""
    app.add_typer(review_app, name="review")


def _pairs(values: list[str], option: str) -> dict[str, str]:
    from storybank.cli.common import fail

    parsed: dict[str, str] = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            fail(f"{option} {value!r}: expected DIMENSION=VALUE, e.g. {option} ownership=4")
        parsed[name.strip()] = text
    return parsed


@review_app.command("add")
def add(
    attempt_id: int = typer.Argument(..., help="Attempt id (see `storybank history`)."),
    reviewer: Optional[str] = typer.Option(None, "--reviewer", "-r", help="Who reviewed (asked for when missing)."),
    score: list[str] = typer.Option([], "--score", "-s", help="DIMENSION=1..5, repeatable (asked for, with the anchors, when none is given)."),
    comment: list[str] = typer.Option([], "--comment", "-c", help="DIMENSION=TEXT, repeatable."),
    note: str = typer.Option("", "--note", help="A comment on the whole answer."),
    as_json: bool = typer.Option(False, "--json", help="Print the saved review as JSON."),
) -> None:
    """Score an attempt as its reviewer (on the candidate's machine)."""
    from storybank.cli.practice import open_practice, print_json

    with open_practice() as practice:
        scores: dict[str, str] = _pairs(score, "--score")
        if not scores:
            form = practice.review_form(attempt_id)
            scores = _ask_scores(form)
        saved = practice.add_review(
            attempt_id, reviewer=reviewer if reviewer is not None else typer.prompt("Reviewer"),
            scores=scores, comments=_pairs(comment, "--comment"), note=note, source="cli",
        )
    if as_json:
        print_json(saved.to_dict())
    else:
        typer.echo(f"Review {saved.review.id} saved for attempt {attempt_id}.")


def _ask_scores(form) -> dict[str, str]:
    typer.echo(f"Q: {form.attempt.question['text']}\n\n{form.attempt.answer}\n")
    scores: dict[str, str] = {}
    for dimension in form.dimensions:
        typer.echo(dimension.label)
        for value, anchor in sorted(dimension.anchors.items()):
            typer.echo(f"  {value} = {anchor}")
        scores[dimension.id] = typer.prompt(f"{dimension.id} (1-5, empty to skip)", default="", show_default=False)
    return scores


@review_app.command("export")
def export(
    attempt_id: int = typer.Argument(..., help="Attempt id to send to a reviewer."),
    out: Optional[str] = typer.Option(None, "--out", "-o", help="File to write (default: review-ID-QUESTION.yaml here; - for stdout)."),
) -> None:
    """Write a review file for a reviewer to fill in and send back."""
    from pathlib import Path

    from storybank.cli.common import fail
    from storybank.cli.practice import open_practice

    with open_practice() as practice:
        name, text = practice.export_review_file(attempt_id)
    if out == "-":
        typer.echo(text, nl=False)
        return
    target = Path(out or name).expanduser()
    if target.is_dir():
        target = target / name
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        fail(f"{target}: cannot be written ({error.strerror or error})")
    typer.echo(f"Review file written to {target}; once filled in: storybank review import {target}")


@review_app.command("import")
def import_review(
    file: str = typer.Argument(..., help="A review file filled in by the reviewer."),
    as_json: bool = typer.Option(False, "--json", help="Print the saved review as JSON."),
) -> None:
    """Import a filled-in review file (importing it twice records it once)."""
    from pathlib import Path

    from storybank.cli.common import fail
    from storybank.cli.practice import open_practice, print_json

    path = Path(file).expanduser()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        fail(f"{file}: no such file")
    except IsADirectoryError:
        fail(f"{file}: is a directory, expected a review file")
    except OSError as error:
        fail(f"{file}: cannot be read ({error.strerror or error})")
    with open_practice() as practice:
        saved = practice.import_review_file(raw, file)
    if as_json:
        print_json(saved.to_dict())
    elif saved.duplicate:
        typer.echo(f"Already imported as review {saved.review.id}; nothing recorded twice.")
    else:
        typer.echo(f"Review {saved.review.id} by {saved.review.reviewer} saved for attempt {saved.review.attempt_id}.")


@review_app.command("list")
def list_reviews(
    attempt_id: Optional[int] = typer.Argument(None, help="Only the reviews of this attempt."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Reviews, oldest first."""
    from storybank.cli.practice import open_practice, print_json

    with open_practice() as practice:
        reviews = practice.reviews(attempt_id)
    if as_json:
        print_json([review.to_dict() for review in reviews])
        return
    if not reviews:
        typer.echo("No reviews yet: `storybank review export ATTEMPT_ID` makes a file for a reviewer.")
    for review in reviews:
        scores = ", ".join(f"{name} {value}" for name, value in review.scores.items())
        typer.echo(f"#{review.id} attempt {review.attempt_id} by {review.reviewer} ({review.source}): {scores}")
        for name, text in review.comments.items():
            typer.echo(f"    {name}: {text}")
        if review.note:
            typer.echo(f"    note: {review.note}")


@review_app.command("calibration")
def calibration(
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Profile whose review form to use (default: the active one)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Where reviewers and the analyzer disagree, per dimension and per attempt."""
    from storybank.cli.practice import open_practice, print_json
    from storybank.cli.practice_output import print_calibration

    with open_practice() as practice:
        result = practice.calibration(profile)
    if as_json:
        print_json(result.to_dict())
    else:
        from storybank.cli.practice_output import console

        print_calibration(console(), result)
