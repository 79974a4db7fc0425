"""`storybank questions`, `match`, `drill`, `history` and `review`: practising the stories."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Optional

import typer

if TYPE_CHECKING:
    from storybank.practice_service import Practice

KINDS_HELP = "impact|failure|risk|conflict|customer|other"


def register(app: typer.Typer) -> None:
    """Add the practice commands."""
    app.command("questions")(questions)
    app.command("match")(match)
    app.command("drill")(drill)
    app.command("history")(history)
    from storybank.cli import practice_review

    practice_review.register(app)


def wall_clock() -> datetime:
    """The drill's clock (tests replace it, so they never sleep)."""
    return datetime.now(timezone.utc)


@contextmanager
def open_practice() -> Iterator["Practice"]:
    """The practice use cases over the story bank named by the environment (errors → exit codes)."""
    from storybank.cli.session import open_bank
    from storybank.practice_service import Practice

    with open_bank() as bank:
        bank.clock = wall_clock
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


def _read_option_file(path: Optional[str], what: str) -> Optional[str]:
    from storybank.cli.common import check_answer_text, read_text_argument

    if path is None:
        return None
    text, source = read_text_argument(path)
    return check_answer_text(text, f"{what} ({source})")


def drill(
    question: Optional[str] = typer.Option(None, "--question", "-q", help="Question id (default: one picked for you, weighted towards your weakest principles and least-practised stories)."),
    answer: Optional[str] = typer.Option(None, "--answer", help="Answer text FILE (or - for stdin): runs the drill without prompts."),
    answer_audio: Optional[str] = typer.Option(None, "--answer-audio", help="A recorded answer (WAV, FLAC or OGG) instead of --answer: transcribed offline; delivery metrics are stored."),
    keep_audio: bool = typer.Option(False, "--keep-audio", help="With --answer-audio, keep a copy of the recording in the audio folder."),
    opening: Optional[str] = typer.Option(None, "--opening", help="Opening text FILE, with --answer."),
    probe_answer: Optional[str] = typer.Option(None, "--probe-answer", help="Reply to the follow-up probe, FILE, with --answer."),
    probe_audio: Optional[str] = typer.Option(None, "--probe-audio", help="A recorded reply to the probe (WAV, FLAC or OGG) instead of --probe-answer, with --answer or --answer-audio."),
    seconds: Optional[float] = typer.Option(None, "--seconds", min=0, help="Elapsed answer time in seconds, with --answer (default: estimated from the words)."),
    story: Optional[int] = typer.Option(None, "--story", help="Id of the story you are telling (default: recognised from the answer)."),
    profile: Optional[str] = typer.Option(None, "--profile", "-p", help="Profile to drill (default: the active one)."),
    retrieval: bool = typer.Option(False, "--retrieval", help="Retrieval drill: 10 seconds to name the story and say its opening line."),
    no_opening: bool = typer.Option(False, "--no-opening", help="Skip the 45-second opening step."),
    as_json: bool = typer.Option(False, "--json", help="Print the attempt as JSON."),
) -> None:
    """A timed drill: opening, full answer, the probe for your weakest signal, then a summary."""
    from storybank.cli.common import fail

    if answer is not None and answer_audio is not None:
        fail("give either --answer or --answer-audio, not both")
    if probe_answer is not None and probe_audio is not None:
        fail("give either --probe-answer or --probe-audio, not both")
    if keep_audio and answer_audio is None and probe_audio is None:
        fail("--keep-audio goes with --answer-audio FILE or --probe-audio FILE")
    if answer_audio is not None and seconds is not None:
        fail("--seconds comes from the recording with --answer-audio; leave it out")
    if answer_audio is not None:
        _spoken_drill(question, answer_audio, keep_audio, opening, probe_answer, probe_audio, profile, story, as_json)
        return
    scripted = answer is not None
    if not scripted and (opening or probe_answer or probe_audio or seconds is not None):
        fail("--opening, --probe-answer, --probe-audio and --seconds go with --answer FILE")
    if scripted and retrieval:
        fail("--retrieval is interactive; leave out --answer")
    if scripted and not question:
        fail("--answer needs --question ID (see `storybank questions`)")
    if [answer, opening, probe_answer].count("-") > 1:
        fail("only one of --answer, --opening and --probe-answer can read stdin (-)")
    if scripted:
        texts = {"opening": _read_option_file(opening, "opening"), "answer": _read_option_file(answer, "answer"),
                 "probe_reply": _read_option_file(probe_answer, "probe answer")}
        with open_practice() as practice:
            spoken_reply = _transcribe_reply(practice, probe_audio, keep_audio, question, profile)
            attempt = practice.run_drill(question, texts["answer"], opening=texts["opening"], probe_reply=texts["probe_reply"],
                                         seconds=seconds, profile=profile, story_id=story, probe_audio=spoken_reply)
        _print_attempt(attempt, as_json)
        return
    _interactive_drill(question, profile, story, retrieval, no_opening, as_json)


def _spoken_drill(question: Optional[str], audio: str, keep: bool, opening: Optional[str], probe_answer: Optional[str],
                  probe_audio: Optional[str], profile: Optional[str], story: Optional[int], as_json: bool) -> None:
    from storybank.cli.common import fail

    if not question:
        fail("--answer-audio needs --question ID (see `storybank questions`)")
    texts = {"opening": _read_option_file(opening, "opening"), "probe_reply": _read_option_file(probe_answer, "probe answer")}
    with open_practice() as practice:
        spoken_reply = _transcribe_reply(practice, probe_audio, keep, question, profile)
        attempt = practice.run_spoken_drill(question, audio, keep_audio=keep, opening=texts["opening"],
                                            probe_reply=texts["probe_reply"], profile=profile, story_id=story,
                                            probe_audio=spoken_reply)
    _print_attempt(attempt, as_json)


def _transcribe_reply(practice, path: Optional[str], keep: bool, question: str, profile: Optional[str]):
    """The probe reply recorded in `path`, transcribed (before the drill starts, so a bad file stores nothing)."""
    if path is None:
        return None
    _, question_profile = practice.find_question(question, profile)
    return practice.transcribe(path, question_profile.name, keep_audio=keep, field="probe_audio")


def _print_attempt(attempt, as_json: bool) -> None:
    if as_json:
        print_json(attempt.to_dict())
        return
    from storybank.cli.practice_output import console, print_drill_result

    print_drill_result(console(), attempt)


def _interactive_drill(question: Optional[str], profile: Optional[str], story: Optional[int], retrieval: bool,
                       no_opening: bool, as_json: bool) -> None:
    from storybank.cli.common import fail
    from storybank.cli.practice_drill import ABORT_NOTE, run_interactive, run_retrieval
    from storybank.cli.practice_output import console

    out = console()
    with open_practice() as practice:
        attempt = practice.start_drill(question, profile=profile, story_id=story, with_opening=not no_opening,
                                       mode="retrieval" if retrieval else "drill")
        try:
            attempt = (run_retrieval if retrieval else run_interactive)(practice, attempt, out)
        except (KeyboardInterrupt, EOFError):
            fail(ABORT_NOTE, code=1)
    if as_json:
        print_json(attempt.to_dict())


def history(
    limit: int = typer.Option(10, "--limit", "-n", min=0, help="How many attempts to show, newest first (0: all)."),
    question: Optional[str] = typer.Option(None, "--question", "-q", help="Only attempts on this question."),
    chart: Optional[str] = typer.Option(None, "--chart", help="Also write the progress chart (SVG) to this file."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: total, attempts (in full, with reviews), series."),
) -> None:
    """Your drills in full, newest first, and the progress of each signal over time."""
    from pathlib import Path

    from storybank.cli.common import fail

    with open_practice() as practice:
        if question:
            practice.find_question(question)
        result = practice.history(limit=limit or None, question_id=question)
    if chart:
        target = Path(chart).expanduser()
        try:
            target.write_text(result.chart_svg(), encoding="utf-8")
        except OSError as error:
            fail(f"{target}: cannot be written ({error.strerror or error})")
    if as_json:
        print_json(result.to_dict())
        return
    from storybank.cli.practice_output import console, print_history

    print_history(console(), result, chart)
