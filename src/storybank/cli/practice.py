"""`storybank questions`, `match`, `drill`, `history` and `review`: practising the stories."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Optional

import typer

if TYPE_CHECKING:
    from storybank.practice_service import Practice

KINDS_HELP = "impact|failure|risk|conflict|customer|other"


def register(app: typer.Typer) -> None:
    """Add the practice commands."""
    app.command("questions")(questions)
    app.command("match")(match)


@contextmanager
def open_practice() -> Iterator["Practice"]:
    """The practice use cases over the story bank named by the environment (errors → exit codes)."""
    from storybank.cli.session import open_bank
    from storybank.practice_service import Practice

    with open_bank() as bank:
        yield Practice(bank)


def print_json(data: object) -> None:
    """Print one JSON document."""
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def questions(
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Profile whose questions to list (default: the active one)."),
    principle: Optional[str] = typer.Option(None, "--principle", help="Only questions asking for this principle."),
    kind: Optional[str] = typer.Option(None, "--kind", "-k", help=f"Only questions asking for this story kind: {KINDS_HELP}."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list of {id, text, principles, kinds, tags}."),
) -> None:
    """The behavioral questions of a profile, with the principles and story kinds they ask for."""
    from storybank.cli.common import fail
    from storybank.errors import StorybankError
    from storybank.practice_service import question_bank
    from storybank.settings import Settings

    try:
        found = question_bank(Settings.from_env(), profile, principle=principle, kind=kind)
    except StorybankError as error:
        fail(str(error).replace("\n", "; "))
    if as_json:
        print_json([question.to_dict() for question in found])
        return
    from storybank.cli.practice_output import print_questions

    print_questions(found)


def match(
    question_id: str = typer.Argument(..., help="Question id, as listed by `storybank questions`."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Profile to look in first (default: the active one)."),
    limit: int = typer.Option(5, "--limit", "-n", min=1, help="How many stories to show."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: question, best, stories, warnings."),
) -> None:
    """Rank your stories by fit to a question: principles, kind and shared words."""
    with open_practice() as practice:
        result = practice.match(question_id, profile)
    if as_json:
        data = result.to_dict()
        data["stories"] = data["stories"][:limit]
        print_json(data)
        return
    from storybank.cli.practice_output import print_match

    print_match(result, limit)
