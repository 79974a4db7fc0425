"""`storybank coverage`, `ready`, `export`, `import` and `trash empty`: the bank as a whole."""

from __future__ import annotations

from typing import Optional

import typer

trash_app = typer.Typer(help="The trash of deleted stories.", no_args_is_help=True)
LEVEL_MARKS = {"strong": "●", "partial": "◐", "weak": "○", "none": "·"}


def register(app: typer.Typer) -> None:
    """Add `coverage`, `ready`, `export`, `import` and the `trash` group."""
    app.command("coverage")(coverage)
    app.command("ready")(ready)
    app.command("export")(export)
    app.command("import")(import_stories)
    app.add_typer(trash_app, name="trash")


def _print_json(data: object) -> None:
    import json

    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _initials(name: str) -> str:
    """`Risk-Aware Decision-Making` -> `RADM`, so the matrix fits a terminal."""
    import re

    return "".join(word[0].upper() for word in re.split(r"[\s\-]+", name) if word) or name


def coverage(
    profile: Optional[str] = typer.Option(None, "--profile", help="Profile whose principles to cover (default: the active one)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The principles × stories matrix, and the gaps to fill."""
    from rich.console import Console
    from rich.table import Table

    from storybank.cli.session import open_bank

    with open_bank() as bank:
        result = bank.coverage(profile)
    if as_json:
        _print_json(result.to_dict())
        return
    console = Console(highlight=False)
    table = Table(title=f"Coverage ({result.profile})", title_justify="left")
    table.add_column("story")
    short_names = {name: _initials(name) for name in result.principles}
    for name in result.principles:
        table.add_column(short_names[name], justify="center")
    for row in result.rows:
        cells = []
        for name in result.principles:
            cell = row.cells[name]
            mark = LEVEL_MARKS[cell.level] + ("*" if cell.decisive else "")
            cells.append(f"{mark} {cell.strength:.2f}")
        table.add_row(f"#{row.story_id} {row.title} ({row.verdict})", *cells)
    console.print(table)
    for name, short in short_names.items():
        console.print(f"{short} = {name}")
    console.print("● strong  ◐ partial  ○ weak  · none   * decisive story for that principle")
    for message in result.gaps or ["No gaps: every principle has a decisive story and every kind a story."]:
        console.print(f"gap: {message}" if result.gaps else message)
    for warning in result.warnings:
        console.print(f"warning: {warning}")


def ready(
    profile: Optional[str] = typer.Option(None, "--profile", help="Profile to check against (default: the active one)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The interview-ready checklist: each item ok or not, why, and what to do next."""
    from storybank.cli.session import open_bank

    with open_bank() as bank:
        result = bank.readiness(profile)
    if as_json:
        _print_json(result.to_dict())
        return
    for item in result.items:
        typer.echo(f"[{'x' if item.ok else ' '}] {item.label}")
        typer.echo(f"    {item.reason}")
        if not item.ok and item.next_action:
            typer.echo(f"    next: {item.next_action}")
    typer.echo("Ready." if result.ready else "Not ready yet.")


def export(
    format: str = typer.Option(..., "--format", help="json (a full backup) or markdown (one file per story)."),
    out: str = typer.Option(..., "--out", help="File for json; folder for markdown."),
) -> None:
    """Export the bank: a JSON backup with every version, or Markdown files with front matter."""
    from storybank.cli.common import fail
    from storybank.cli.session import open_bank

    if format not in ("json", "markdown"):
        fail(f"--format {format!r}: expected json or markdown")
    with open_bank() as bank:
        if format == "json":
            path = bank.export_json(out)
            typer.echo(f"wrote {path}")
        else:
            paths = bank.export_markdown(out)
            typer.echo(f"wrote {len(paths)} Markdown files to {out}")


def import_stories(
    path: str = typer.Argument(..., help="A JSON backup, one .md file, or a folder of .md files."),
    as_json: bool = typer.Option(False, "--json", help="Print what was imported as JSON."),
) -> None:
    """Import stories; all or nothing: one malformed file aborts it and nothing is written."""
    from storybank.cli.session import open_bank

    with open_bank() as bank:
        result = bank.import_path(path)
    if as_json:
        _print_json(result.to_dict())
        return
    typer.echo(
        f"imported {len(result.created)} new stories, {len(result.updated)} updated, "
        f"{result.versions} versions; {len(result.skipped)} skipped"
    )
    for note in result.skipped:
        typer.echo(f"skipped: {note}")


@trash_app.command("empty")
def empty_trash(yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.")) -> None:
    """Delete every story in the trash for good."""
    from storybank.cli.session import open_bank
    from storybank.cli.story import confirm_or_stop

    with open_bank() as bank:
        count = len(bank.list_trash())
        if count == 0:
            typer.echo("The trash is already empty.")
            return
        confirm_or_stop(f"Delete the {count} stories in the trash for good?", yes)
        deleted = bank.empty_trash()
    typer.echo(f"deleted {deleted} stories for good")
