"""Human output of the practice commands (Rich); the JSON forms are printed by the commands."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from storybank.practice.bank_models import Question
    from storybank.practice.matching import MatchResult


def console() -> Console:
    """A console that prints user text as is (no markup, no highlighting)."""
    return Console(highlight=False)


def print_questions(questions: Sequence["Question"]) -> None:
    """A table of questions: id, principles, kinds, text."""
    out = console()
    if not questions:
        out.print("No questions match.")
        return
    table = Table(show_lines=False)
    table.add_column("id", no_wrap=True)
    table.add_column("principles")
    table.add_column("kinds")
    table.add_column("question")
    for question in questions:
        table.add_row(
            Text(question.id), Text(", ".join(question.principles)), Text(", ".join(question.kinds)), Text(question.text)
        )
    out.print(table)
    out.print(f"{len(questions)} questions. `storybank match ID` ranks your stories for one; `storybank drill --question ID` drills it.")


def print_match(result: "MatchResult", limit: int) -> None:
    """The question, the ranked stories with the reasons, and any overuse warning."""
    out = console()
    question = result.question
    out.print(Text(f"{question.id}: {question.text}", style="bold"))
    out.print(Text(f"principles: {', '.join(question.principles)}   kinds: {', '.join(question.kinds)}"))
    if not result.stories:
        out.print("Your bank has no stories yet: add one with `storybank story add` or `storybank story build`.")
        return
    table = Table()
    for column, justify in (("story", "left"), ("fit", "right"), ("principles", "right"), ("kind", "center"),
                            ("overlap", "right"), ("shared words", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for fit in result.stories[:limit]:
        title = Text(f"#{fit.story_id} {fit.title} ({fit.kind}, {fit.verdict})")
        if fit.overused:
            title.append(" overused", style="yellow")
        table.add_row(
            title, f"{fit.fit:.2f}", f"{fit.principles:.2f}", "yes" if fit.kind_match else "no",
            f"{fit.overlap:.2f}", Text(", ".join(fit.shared_words[:6])),
        )
    out.print(table)
    best = result.best
    if best is not None:
        out.print(Text(f"Best: #{best.story_id} \u201c{best.title}\u201d (fit {best.fit:.2f})"))
    for warning in result.warnings:
        out.print(Text(f"warning: {warning}", style="yellow"))
