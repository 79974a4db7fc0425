"""Human output of `storybank speak`: delivery against the profile's targets, the transcript,
then the usual analysis of it (approximate)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from storybank.cli.analyze_output import print_report
from storybank.practice.speech.report import APPROXIMATE_NOTE, SpeechReport

MARK = {True: "[green]✓[/]", False: "[yellow]✗[/]"}


def _clock(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:04.1f}"


def print_speech_report(report: SpeechReport, source: str, console: Console | None = None) -> None:
    """Delivery table with targets, hints for missed targets, pauses, fillers, transcript, analysis."""
    console = console or Console(highlight=False)
    m = report.metrics
    targets = report.targets
    checks = {check.name: check for check in report.checks}
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_row("duration", f"{m.duration_s:.1f} s", f"[dim]speaking {m.speaking_s:.1f} s · {m.words} words[/]", "")
    table.add_row(
        "pace",
        f"{m.wpm:.0f} wpm",
        f"[dim]target {targets.wpm_min:.0f}–{targets.wpm_max:.0f} · {m.wpm_speaking:.0f} while speaking[/]",
        MARK[checks["rate"].ok],
    )
    table.add_row(
        "fillers",
        f"{len(m.fillers)} ({m.filler_ratio:.1%})",
        f"[dim]target under {targets.max_filler_ratio:.0%} · approximate[/]",
        MARK[checks["fillers"].ok],
    )
    table.add_row("long pauses", str(len(m.pauses)), f"[dim]over {targets.long_pause_s:g} s[/]", MARK[checks["pauses"].ok])
    first = "—" if report.first_metric_s is None else f"{report.first_metric_s:.1f} s"
    table.add_row("first metric", first, f"[dim]target within {targets.first_metric_max_s:g} s[/]", MARK[checks["metric_first"].ok])
    console.print(table)
    for check in report.checks:
        if check.hint:
            console.print(f"  [yellow]↳[/] {escape(check.hint)}")
    if m.pauses:
        console.print("pauses: " + ", ".join(f"{_clock(p.start)}–{_clock(p.end)}" for p in m.pauses))
    if m.fillers:
        console.print("fillers (approximate): " + ", ".join(f"{escape(f.text)} @ {_clock(f.start)}" for f in m.fillers))
    if m.wpm_series:
        console.print("pace over time: " + "  ".join(f"{p.wpm:.0f}" for p in m.wpm_series) + " [dim]wpm per window[/]")
    console.print(f"\n[bold]transcript[/] [dim]({escape(report.transcript.backend)})[/]")
    console.print(escape(report.text))
    console.print(f"\n[bold]analysis of the transcript[/] [dim]— {escape(APPROXIMATE_NOTE)}[/]")
    print_report(report.content, report.text, f"{source} (transcript)", console)
