"""The interactive `storybank drill`: a question, a live countdown for the opening and then for
the full answer, the analysis, the probe for the weakest signal, and the summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from storybank.cli.practice_live import read_with_countdown

if TYPE_CHECKING:
    from storybank.practice.attempts import Attempt
    from storybank.practice_service import Practice

ABORT_NOTE = "Drill stopped. What you submitted is kept; it is abandoned after 30 minutes without activity."


def _question_panel(console: Console, attempt: "Attempt") -> None:
    question = attempt.question
    body = Text(question["text"], style="bold")
    body.append(f"\n{', '.join(question['principles'])} · {', '.join(question['kinds'])}", style="dim")
    console.print(Panel(body, title=Text(f"Question {question['id']}"), title_align="left"))


def _ask(console: Console, practice: "Practice", attempt: "Attempt", step: str, prompt: str) -> str:
    limit = practice.countdown(attempt)["limit"]
    console.print(Text(prompt))
    return read_with_countdown(console, step, limit)


def run_interactive(practice: "Practice", attempt: "Attempt", console: Console) -> "Attempt":
    """Drive one drill from its first step to its summary; returns the stored attempt."""
    from storybank.cli.practice_output import print_drill_result, print_step_timing

    _question_panel(console, attempt)
    if attempt.phase == "opening":
        seconds = int(attempt.limits["opening_seconds"])
        text = _ask(console, practice, attempt, "opening",
                    f"Your opening, {seconds} seconds: lead with the decision and the metric. (Ctrl-D or '.' when done; "
                    "leave it empty to skip.)")
        if text.strip():
            attempt = practice.submit_opening(attempt.uid, text).attempt
            print_step_timing(console, attempt.timings["opening"], "opening")
    seconds = int(attempt.limits["answer_seconds"])
    text = ""
    while not text.strip():
        text = _ask(console, practice, attempt, "answer", f"Your full answer, {seconds} seconds. (Ctrl-D or '.' when done.)")
        if not text.strip():
            console.print("The answer is empty; type it (Ctrl-C stops the drill).")
    attempt = practice.submit_answer(attempt.uid, text).attempt
    print_step_timing(console, attempt.timings["answer"], "answer")
    if attempt.probe is not None:
        console.print(Text(f"Score {attempt.score:.1f} ({attempt.verdict}). Follow-up, on {attempt.probe['signal']}:", style="bold"))
        reply = _ask(console, practice, attempt, "probe", attempt.probe["text"] + "  (empty to skip)")
        attempt = practice.submit_probe_reply(attempt.uid, reply).attempt if reply.strip() else practice.finish_drill(attempt.uid)
    print_drill_result(console, attempt)
    return attempt


def run_retrieval(practice: "Practice", attempt: "Attempt", console: Console) -> "Attempt":
    """A retrieval drill: name the story (first line) and say its opening line, within the limit."""
    from storybank.cli.practice_output import print_retrieval_result
    from storybank.errors import NotFound

    _question_panel(console, attempt)
    seconds = int(attempt.limits["answer_seconds"])
    text = _ask(console, practice, attempt, "retrieval",
                f"{seconds} seconds: first line, the story (id or title); then its opening line. (Ctrl-D or '.' when done.)")
    story, _, opening = text.strip().partition("\n")
    if not opening.strip():
        story, opening = "", text
    try:
        attempt = practice.submit_retrieval(attempt.uid, opening.strip() or text, story.strip() or None).attempt
    except NotFound as error:
        console.print(Text(f"{error}; recorded without a story.", style="yellow"))
        attempt = practice.submit_retrieval(attempt.uid, opening.strip() or text, None).attempt
    print_retrieval_result(console, attempt)
    return attempt
