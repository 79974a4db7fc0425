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


def print_step_timing(out: Console, timing: dict | None, step: str) -> None:
    """`answer: 97 s of 90 s — 7 s over (recorded)`."""
    if not timing:
        return
    limit = f" of {timing['limit']:.0f} s" if timing.get("limit") else ""
    over = f" — {timing['over_by']:.0f} s over (recorded)" if timing.get("over") else ""
    source = " (estimated from the words)" if timing.get("source") == "estimated" else ""
    out.print(Text(f"{step}: {timing['seconds']:.0f} s{limit}{over}{source}", style="red" if over else "dim"))


def _signals_table(summary: dict) -> Table:
    table = Table(title="Signals", title_justify="left")
    table.add_column("signal")
    table.add_column("score", justify="right")
    for name, score in summary["signals"].items():
        mark = " ← weakest" if name == summary.get("weakest_signal") else ""
        table.add_row(name + mark, f"{score:.2f}")
    return table


def print_drill_result(out: Console, attempt) -> None:
    """The end of a drill: score and verdict, timings, the probe check, the one change, the opening line."""
    summary = attempt.result or {}
    out.print(Text(f"Attempt {attempt.id}: score {summary.get('score', 0):.1f}, {summary.get('verdict', '')} ({summary.get('kind', '')})", style="bold"))
    if summary.get("signals"):
        out.print(_signals_table(summary))
    for step in ("opening", "answer", "probe"):
        print_step_timing(out, attempt.timings.get(step), step)
    if attempt.probe is not None:
        out.print(Text(f"Probe ({attempt.probe['signal']}): {attempt.probe['text']}"))
        check = attempt.probe_check
        if check:
            out.print(Text(("answered: " if check["met"] else "not yet: ") + check["message"], style="green" if check["met"] else "yellow"))
        elif attempt.probe_reply is None:
            out.print(Text("Probe skipped.", style="dim"))
    change = summary.get("one_change")
    if change:
        out.print(Text(f"The one change that would help most ({change['label']}, up to {change['points']:.0f} points): {change['message']}"))
    if summary.get("opening_line"):
        out.print(Text(f"Opening line: {summary['opening_line']}"))


def print_retrieval_result(out: Console, attempt) -> None:
    """The end of a retrieval drill: the story named, whether it is a top match, time and opening."""
    result = attempt.result or {}
    named = f"#{result['story_id']}" if result.get("story_id") else "no story named"
    top = ", ".join(f"#{item}" for item in result.get("top_matches", [])) or "none"
    verdict = "a good choice" if result.get("good_choice") else "not among the best matches"
    out.print(Text(f"Story: {named} — {verdict} (best matches: {top})."))
    print_step_timing(out, attempt.timings.get("answer"), "retrieval")
    out.print(Text(f"Opening leads with decision and metric: {result.get('metric_first', 0):.2f}"))
    if result.get("opening_line"):
        out.print(Text(f"Draft opening line: {result['opening_line']}"))


def print_history(out: Console, history, chart_path: str | None) -> None:
    """Progress sparklines per signal, then each attempt in full, newest first."""
    from storybank.practice.chart import sparkline

    if not history.attempts:
        out.print("No drills yet: `storybank drill` starts one.")
        return
    table = Table(title=f"Progress over {len(history.series.get('overall', []))} drills", title_justify="left")
    table.add_column("series")
    table.add_column("trend")
    table.add_column("last", justify="right")
    for name, points in history.series.items():
        if points:
            table.add_row(Text(history.labels.get(name, name)), sparkline(points), f"{points[-1].value:g}")
    out.print(table)
    if chart_path:
        out.print(Text(f"Chart written to {chart_path}"))
    for attempt in history.attempts:
        _print_attempt_in_full(out, attempt, history.reviews.get(attempt.id, []))
    if history.total > len(history.attempts):
        out.print(Text(f"{history.total - len(history.attempts)} older attempts not shown (--limit 0 shows all)."))


def _print_attempt_in_full(out: Console, attempt, reviews) -> None:
    over = " · over time" if attempt.timings.get("over_time") else ""
    header = (f"#{attempt.id} {attempt.started_at:%Y-%m-%d %H:%M} {attempt.mode} · {attempt.question_id} · "
              f"score {attempt.score:.1f} {attempt.verdict}{over}")
    out.rule(Text(header), align="left")
    out.print(Text(f"Q: {attempt.question['text']}", style="bold"))
    if attempt.opening:
        out.print(Text(f"Opening: {attempt.opening}"))
    out.print(Text(attempt.answer or ""))
    if attempt.probe:
        out.print(Text(f"Probe ({attempt.probe['signal']}): {attempt.probe['text']}", style="bold"))
        out.print(Text(attempt.probe_reply or "(skipped)"))
        if attempt.probe_check:
            out.print(Text(attempt.probe_check["message"], style="green" if attempt.probe_check["met"] else "yellow"))
    change = (attempt.result or {}).get("one_change") if attempt.mode == "drill" else None
    if change:
        out.print(Text(f"One change: {change['message']}", style="dim"))
    for review in reviews:
        scores = ", ".join(f"{name} {value}" for name, value in review.scores.items())
        out.print(Text(f"Review by {review.reviewer}: {scores}" + (f" — {review.note}" if review.note else ""), style="cyan"))


def print_calibration(out: Console, calibration) -> None:
    """Per dimension: reviewers' and analyzer's means and the gap; then the disagreements."""
    table = Table(title="Reviewers vs the analyzer (1–5)", title_justify="left")
    for column in ("dimension", "reviews", "reviewers", "analyzer", "gap", "reading"):
        table.add_column(column, justify="left" if column in ("dimension", "reading") else "right")
    fmt = lambda value: "—" if value is None else f"{value:.1f}"  # noqa: E731
    for row in calibration.dimensions:
        table.add_row(Text(row.label), str(row.reviews), fmt(row.human_mean), fmt(row.analyzer_mean), fmt(row.mean_gap), Text(row.reading))
    out.print(table)
    disagreements = calibration.disagreements
    if not disagreements:
        out.print(f"No disagreement of {calibration.disagreement:g} points or more.")
    for pair in disagreements:
        line = f"attempt {pair.attempt_id}, {pair.label}: {pair.reviewer} gave {pair.human}, the analyzer {pair.analyzer:.1f}"
        out.print(Text(line + (f" — {pair.comment}" if pair.comment else ""), style="yellow"))
