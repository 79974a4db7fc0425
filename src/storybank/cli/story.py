"""`storybank story …`: add, list, show, edit, version history, diff, restore, trash, purge,
question links, and the guided builder (`story build`, in `cli/build.py`)."""

from __future__ import annotations

import json
from typing import Any, Optional

import typer

story_app = typer.Typer(help="Your stories: add, edit, version history, trash, search.", no_args_is_help=True)

JSON_OPTION = typer.Option(False, "--json", help="Print JSON.")


def register(app: typer.Typer) -> None:
    """Add the `story` command group."""
    from storybank.cli import build

    build.register(story_app)
    app.add_typer(story_app, name="story")


def print_json(data: Any) -> None:
    """Print one JSON document (UTF-8, not ASCII-escaped)."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _read_story_text(file: str | None) -> str:
    from storybank.cli.common import read_text_argument

    text, _source = read_text_argument(file)
    return text


def _summary_line(summary: Any) -> str:
    return (
        f"{summary.id:>5}  v{summary.version:<3} {summary.score:>5.1f}  {summary.verdict:<10} "
        f"{summary.kind:<8} {summary.title}"
    )


def print_story(story: Any) -> None:
    """A story for people: fields, text, and the stored analysis in one line."""
    typer.echo(f"#{story.id} {story.title}  (version {story.version})")
    typer.echo(f"kind: {story.kind}   profile: {story.profile}" + (f"   company: {story.company}" if story.company else ""))
    typer.echo(f"principles: {', '.join(story.principles) or '-'}")
    typer.echo(f"tags: {', '.join(story.tags) or '-'}")
    typer.echo(f"score: {story.score:.1f}   verdict: {story.verdict}   updated: {story.updated_at:%Y-%m-%d %H:%M} UTC")
    if story.in_trash:
        typer.echo("in the trash (undelete with `storybank story undelete`)")
    typer.echo("")
    typer.echo(story.text.rstrip("\n"))
    findings = story.analysis.get("findings", [])
    if findings:
        typer.echo("")
        for finding in findings:
            typer.echo(f"  {finding['severity']}: {finding['message']} ({finding['rule']})")
    opening = story.analysis.get("dma", {}).get("opening_line")
    if opening:
        typer.echo("")
        typer.echo(f"opening line: {opening}")


@story_app.command("add")
def add(
    file: Optional[str] = typer.Argument(None, help="Text file with the story, or - for stdin (the default)."),
    title: str = typer.Option(..., "--title", help="A short title."),
    kind: str = typer.Option("auto", "--kind", help="impact, failure, risk, conflict, customer, other, or auto."),
    principles: list[str] = typer.Option([], "--principle", help="A principle the story proves (repeatable)."),
    tags: list[str] = typer.Option([], "--tag", help="A tag (repeatable)."),
    profile: Optional[str] = typer.Option(None, "--profile", help="Profile to analyze against (default: the active one)."),
    company: Optional[str] = typer.Option(None, "--company", help="Where the story happened."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Save a new story (version 1) with its analysis; print its id."""
    from storybank.cli.session import open_bank

    text = _read_story_text(file)
    with open_bank() as bank:
        story = bank.add_story(
            title=title, text=text, kind=kind, principles=principles, tags=tags, profile=profile, company=company
        )
    if as_json:
        print_json(story.to_dict())
    else:
        typer.echo(story.id)


@story_app.command("list")
def list_stories(
    kind: Optional[str] = typer.Option(None, "--kind", help="Only stories of this kind."),
    principle: Optional[str] = typer.Option(None, "--principle", help="Only stories tagged with this principle."),
    tag: Optional[str] = typer.Option(None, "--tag", help="Only stories with this tag."),
    search: Optional[str] = typer.Option(None, "--search", help="Words to find in the title or text."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="At most N stories (default: all)."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip the first N (with --limit, to page through a large bank)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List stories, most recently updated first."""
    from storybank.cli.session import open_bank

    with open_bank() as bank:
        summaries = bank.list_stories(kind=kind, principle=principle, tag=tag, search=search, limit=limit, offset=offset)
    if as_json:
        print_json([summary.to_dict() for summary in summaries])
        return
    if not summaries:
        typer.echo("No stories match." if (kind or principle or tag or search) else "No stories yet: `storybank story add` or `storybank story build`.")
        return
    typer.echo(f"{'id':>5}  {'ver':<4} {'score':>5}  {'verdict':<10} {'kind':<8} title")
    for summary in summaries:
        typer.echo(_summary_line(summary))


@story_app.command("show")
def show(story_id: int = typer.Argument(..., help="Story id."), as_json: bool = JSON_OPTION) -> None:
    """Show a story's latest version and its analysis."""
    from storybank.cli.session import open_bank

    with open_bank() as bank:
        story = bank.get_story(story_id, include_trashed=True)
    if as_json:
        print_json(story.to_dict())
    else:
        print_story(story)


@story_app.command("edit")
def edit(
    story_id: int = typer.Argument(..., help="Story id."),
    file: Optional[str] = typer.Argument(None, help="File with the new text, or - for stdin; omit to keep the text."),
    base_version: int = typer.Option(..., "--base-version", help="The version your edit is based on."),
    title: Optional[str] = typer.Option(None, "--title"),
    kind: Optional[str] = typer.Option(None, "--kind", help="A story kind, or auto to detect it again."),
    principles: Optional[list[str]] = typer.Option(None, "--principle", help="Replace the principles (repeatable)."),
    tags: Optional[list[str]] = typer.Option(None, "--tag", help="Replace the tags (repeatable)."),
    profile: Optional[str] = typer.Option(None, "--profile"),
    company: Optional[str] = typer.Option(None, "--company"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Save an edit as a new version; exit 1 when --base-version is no longer the latest."""
    from storybank.cli.session import open_bank

    text = _read_story_text(file) if file is not None else None
    with open_bank() as bank:
        before = bank.get_story(story_id)
        story = bank.edit_story(
            story_id, base_version=base_version, title=title, text=text, kind=kind,
            principles=principles or None, tags=tags or None, profile=profile, company=company,
        )
    if as_json:
        print_json(story.to_dict())
    elif story.version == before.version:
        typer.echo(f"story {story.id}: nothing changed (still version {story.version})")
    else:
        typer.echo(f"story {story.id}: saved version {story.version} (score {story.score:.1f}, {story.verdict})")


@story_app.command("history")
def history(story_id: int = typer.Argument(..., help="Story id."), as_json: bool = JSON_OPTION) -> None:
    """List every saved version of a story, oldest first."""
    from storybank.cli.session import open_bank

    with open_bank() as bank:
        versions = bank.history(story_id)
    if as_json:
        print_json([version.to_dict() for version in versions])
        return
    for version in versions:
        origin = f" from v{version.restored_from}" if version.restored_from else ""
        typer.echo(
            f"v{version.version:<3} {version.created_at:%Y-%m-%d %H:%M}  {version.score:>5.1f}  "
            f"{version.verdict:<10} {version.change}{origin}  {version.title}"
        )


@story_app.command("diff")
def diff(
    story_id: int = typer.Argument(..., help="Story id."),
    from_version: int = typer.Argument(..., help="Older version."),
    to_version: int = typer.Argument(..., help="Newer version."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show what changed between two versions."""
    from storybank.cli.session import open_bank

    with open_bank() as bank:
        changes = bank.diff(story_id, from_version, to_version)
    if as_json:
        print_json(changes.to_dict())
        return
    for change in changes.fields:
        typer.echo(f"{change.field}: {change.before!r} -> {change.after!r}")
    if changes.score_change:
        typer.echo(f"score: {changes.score_change:+.1f}")
    for line in changes.text_diff:
        typer.echo(line)
    if not changes.fields and not changes.text_diff:
        typer.echo("no differences")


@story_app.command("restore")
def restore(
    story_id: int = typer.Argument(..., help="Story id."),
    version: int = typer.Option(..., "--version", help="The version to bring back."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Save an old version as the newest one (nothing in the history is lost)."""
    from storybank.cli.session import open_bank

    with open_bank() as bank:
        story = bank.restore_version(story_id, version)
    if as_json:
        print_json(story.to_dict())
    else:
        typer.echo(f"story {story.id}: version {version} restored as version {story.version}")


@story_app.command("rm")
def remove(story_id: int = typer.Argument(..., help="Story id.")) -> None:
    """Move a story to the trash (`story undelete` brings it back)."""
    from storybank.cli.session import open_bank

    with open_bank() as bank:
        story = bank.delete_story(story_id)
    typer.echo(f"story {story.id} moved to the trash")


@story_app.command("trash")
def trash(as_json: bool = JSON_OPTION) -> None:
    """List the stories in the trash."""
    from storybank.cli.session import open_bank

    with open_bank() as bank:
        summaries = bank.list_trash()
    if as_json:
        print_json([summary.to_dict() for summary in summaries])
        return
    if not summaries:
        typer.echo("The trash is empty.")
    for summary in summaries:
        typer.echo(_summary_line(summary))


@story_app.command("undelete")
def undelete(story_id: int = typer.Argument(..., help="Story id.")) -> None:
    """Bring a story back from the trash."""
    from storybank.cli.session import open_bank

    with open_bank() as bank:
        story = bank.undelete_story(story_id)
    typer.echo(f"story {story.id} is back (version {story.version})")


def confirm_or_stop(question: str, yes: bool) -> None:
    """Ask before a permanent deletion unless --yes was given; stop (exit 1) on no."""
    if yes:
        return
    if not typer.confirm(question, default=False):
        typer.echo("Nothing deleted.", err=True)
        raise typer.Exit(1)


@story_app.command("purge")
def purge(
    story_id: int = typer.Argument(..., help="Story id."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete a story and all its versions for good (for confidential stories)."""
    from storybank.cli.session import open_bank

    with open_bank() as bank:
        story = bank.get_story(story_id, include_trashed=True)
        confirm_or_stop(f"Delete story {story.id} ({story.title}) and all {story.version} versions for good?", yes)
        bank.purge_story(story_id)
    typer.echo(f"story {story_id} deleted for good")


@story_app.command("link")
def link(
    story_id: int = typer.Argument(..., help="Story id."),
    question: str = typer.Argument(..., help="The question this story answers."),
    fit: str = typer.Option("strong", "--fit", help="strong, partial or stretch."),
    question_id: Optional[str] = typer.Option(None, "--question-id", help="The question's id in the question bank."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Plan a story as the answer to a question; warns when a story carries too many."""
    from storybank.cli.session import open_bank

    with open_bank() as bank:
        created = bank.link_question(story_id, question, fit=fit, question_id=question_id)
        warnings = [w for w in bank.coverage().warnings if w.startswith(f"Story {story_id} ")]
    if as_json:
        print_json({**created.to_dict(), "warnings": warnings})
        return
    typer.echo(f"link {created.id}: story {story_id} answers “{created.question}” ({created.fit})")
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)


@story_app.command("links")
def links(
    story_id: Optional[int] = typer.Argument(None, help="Story id (default: every story)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List question links."""
    from storybank.cli.session import open_bank

    with open_bank() as bank:
        found = bank.question_links(story_id)
    if as_json:
        print_json([item.to_dict() for item in found])
        return
    for item in found:
        typer.echo(f"{item.id:>5}  story {item.story_id:<5} {item.fit:<8} {item.question}")


@story_app.command("unlink")
def unlink(link_id: int = typer.Argument(..., help="Link id (see `story links`).")) -> None:
    """Remove a question link."""
    from storybank.cli.session import open_bank

    with open_bank() as bank:
        bank.unlink_question(link_id)
    typer.echo(f"link {link_id} removed")
