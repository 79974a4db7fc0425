"""Human output of `storybank analyze`: linter lines, then a compact summary."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from storybank.analysis.report import Report

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
VERDICT_STYLE = {"decisive": "bold green", "developing": "bold yellow", "nice-talk": "bold red"}
VERDICT_WORDS = {
    "decisive": "decisive — an owned decision with a quantified outcome",
    "developing": "developing — the core is there; add money, alignment or the rule",
    "nice-talk": "nice talk — no owned decision or no quantified outcome",
}


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _bar(score: float, width: int = 20) -> str:
    filled = round(score * width)
    return "█" * filled + "░" * (width - filled)


def print_report(report: Report, text: str, source: str, console: Console | None = None) -> None:
    """Print findings like a linter, then signal bars, score, verdict, timing and opening line."""
    console = console or Console(highlight=False)
    for finding in report.findings:
        line, column = line_and_column(text, finding.start)
        style = SEVERITY_STYLE[finding.severity]
        console.print(
            f"{escape(source)}:{line}:{column}  [{style}]{finding.severity:<7}[/]  "
            f"[bold]{finding.rule}[/]  {escape(finding.message)}",
            soft_wrap=True,  # one finding, one line: easy to grep, like any linter
        )
        console.print(f"    [dim]↳ {escape(finding.hint)}[/]", soft_wrap=True)
    if report.findings:
        console.print()
    table = Table(show_header=False, box=None, pad_edge=False)
    for name, signal in report.signals.items():
        table.add_row(name, _bar(signal.score), f"{signal.score:.2f}", f"[dim]×{signal.weight:g}[/]")
    console.print(table)
    verdict = report.verdict
    console.print(
        f"\nscore [bold]{report.score:.1f}[/]/100  verdict [{VERDICT_STYLE[verdict]}]{escape(VERDICT_WORDS[verdict])}[/]"
    )
    console.print(f"kind {report.kind}  ·  {report.words} words  ·  about {report.speaking_seconds:.0f} s spoken  ·  profile {report.profile}")
    console.print(f"DMA order: {' → '.join(report.dma.order) or '—'}")
    console.print(f"opening line: [italic]{escape(report.dma.opening_line)}[/]")
