"""`storybank story build`: the guided builder. Asks for each part with Rich prompts, explains
what a strong answer looks like, assembles a DMA answer and an opening line, and saves it."""

from __future__ import annotations

from typing import Optional

import typer


def register(story_app: typer.Typer) -> None:
    """Add `build` to the `story` command group."""
    story_app.command("build")(build)


def _parse_parts(pairs: list[str]) -> dict[str, str]:
    from storybank.analysis.builder import PART_KEYS
    from storybank.cli.common import fail

    parts: dict[str, str] = {}
    for pair in pairs:
        key, separator, value = pair.partition("=")
        if not separator or key.strip() not in PART_KEYS:
            fail(f"--part {pair!r}: expected KEY=VALUE with KEY one of {', '.join(PART_KEYS)}")
        parts[key.strip()] = value
    return parts


def _ask_parts(console, questions, given: dict[str, str]) -> dict[str, str]:
    from rich.markup import escape
    from rich.prompt import Prompt

    parts = dict(given)
    specs = [spec for spec in questions if spec.key not in given]
    for number, spec in enumerate(specs, start=1):
        console.print(f"\n[bold]{number}/{len(specs)} {escape(spec.label)}[/bold] — {escape(spec.question)}")
        console.print(f"[dim]Strong: {escape(spec.strong)}[/dim]")
        console.print(f"[dim]For example: {escape(spec.example)}[/dim]")
        answer = Prompt.ask("Your answer (Enter to skip)", default="", show_default=False, console=console)
        if answer.strip():
            parts[spec.key] = answer
    return parts


def build(
    kind: Optional[str] = typer.Option(None, "--kind", help="impact, failure, risk, conflict, customer or other."),
    parts_given: list[str] = typer.Option([], "--part", help="A part as KEY=VALUE, skipping its question (repeatable)."),
    title: Optional[str] = typer.Option(None, "--title", help="Title to save the story under."),
    principles: list[str] = typer.Option([], "--principle", help="A principle the story proves (repeatable)."),
    tags: list[str] = typer.Option([], "--tag", help="A tag (repeatable)."),
    profile: Optional[str] = typer.Option(None, "--profile", help="Profile to analyze against."),
    no_input: bool = typer.Option(False, "--no-input", help="Ask nothing: use only --part values."),
    save: Optional[bool] = typer.Option(None, "--save/--no-save", help="Save without asking (or do not save)."),
    as_json: bool = typer.Option(False, "--json", help="Print the assembled story (and the saved one) as JSON."),
) -> None:
    """Build a story part by part; get a DMA answer and a 45-second opening line."""
    import json

    from rich.console import Console
    from rich.markup import escape
    from rich.prompt import Confirm, Prompt

    from storybank.cli.common import fail
    from storybank.cli.session import open_bank

    console = Console(stderr=as_json, highlight=False)
    given = _parse_parts(parts_given)
    if kind is None:
        kind = "impact" if no_input else Prompt.ask(
            "Kind of story", choices=["impact", "failure", "risk", "conflict", "customer", "other"],
            default="impact", console=console,
        )
    with open_bank() as bank:
        profile_model = bank.load_profile(profile)
        parts = given if no_input else _ask_parts(console, bank.builder_parts(kind, profile), given)
        built = bank.build(parts, kind, profile)
        seconds = built.opening_seconds(profile_model.speaking_rate_wpm)
        console.print("\n[bold]DMA answer[/bold]")
        console.print(built.answer, markup=False, soft_wrap=True)
        console.print(f"\n[bold]Opening line[/bold] (about {seconds:.0f} s of {profile_model.limits.opening_seconds:.0f} s)")
        console.print(built.opening_line, markup=False, soft_wrap=True)
        if built.placeholders:
            console.print(f"\n[yellow]Still missing:[/yellow] {escape(', '.join(built.placeholders))}")
        wants_save = save if save is not None else (False if no_input else Confirm.ask("\nSave it to the bank?", default=True, console=console))
        saved = None
        if wants_save:
            if not title and not no_input:
                title = Prompt.ask("Title", console=console)
            if not title or not title.strip():
                fail("a saved story needs a title (--title)")
            saved = bank.add_story(
                title=title, text=built.answer, kind=kind, principles=principles, tags=tags,
                profile=profile, parts=parts,
            )
            console.print(f"\nSaved as story {saved.id} (score {saved.score:.1f}, {saved.verdict}).")
    if as_json:
        output = {**built.to_dict(), "opening_seconds": seconds, "story": saved.to_dict() if saved else None}
        typer.echo(json.dumps(output, ensure_ascii=False, indent=2))
