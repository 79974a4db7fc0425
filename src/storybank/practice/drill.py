"""A timed drill as a small state machine: opening → answer → probe → done (or abandoned).

Pure: the current time is passed in by the caller (the service's injected clock, or the CLI's),
so tests move time by hand and never sleep. Running over a time limit is recorded, never
blocked; a drill with no activity for the profile's `abandon_after_minutes` is abandoned, and a
second submission of the same step is recognised instead of recorded twice.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from storybank.practice.bank_models import ChoiceWeights, Question

PHASES = ("opening", "answer", "probe", "done", "abandoned")
STEPS = ("opening", "answer", "probe")  # the phases that accept a submission
SOURCES = ("clock", "given", "estimated", "audio")


class DrillError(ValueError):
    """A submission the drill cannot accept; the message says why and what to do."""


class EmptyText(DrillError):
    """An empty (or whitespace-only) submission."""


class Abandoned(DrillError):
    """The drill saw no activity for too long; it no longer accepts submissions."""


class WrongStep(DrillError):
    """A submission for a step the drill is not at (already done, or not reached yet)."""

    def __init__(self, message: str, *, duplicate: bool = False) -> None:
        super().__init__(message)
        self.duplicate = duplicate  # the same text was already accepted for that step


@dataclass(frozen=True)
class DrillLimits:
    """Time budgets of one drill, from the profile (probe limit from the probe, if any)."""

    opening_seconds: float
    answer_seconds: float
    abandon_after_seconds: float
    probe_seconds: float | None = None


def seconds_between(start: datetime, end: datetime) -> float:
    """Elapsed seconds, never negative, rounded to a tenth."""
    return round(max(0.0, (end - start).total_seconds()), 1)


def timing(seconds: float | None, limit: float | None, source: str | None) -> dict[str, Any] | None:
    """One phase's timing: seconds taken, the limit, whether (and by how much) it ran over."""
    if seconds is None:
        return None
    over_by = round(seconds - limit, 1) if limit is not None and seconds > limit else 0.0
    return {"seconds": seconds, "limit": limit, "over": over_by > 0, "over_by": over_by, "source": source}


def _clean(text: str | None, what: str) -> str:
    if text is None or not text.strip():
        raise EmptyText(f"{what}: empty; type your {what} (or stop the drill)")
    return text


@dataclass(frozen=True)
class DrillSession:
    """Where a drill is and what has been submitted, with when."""

    limits: DrillLimits
    started_at: datetime
    phase: str = "opening"
    phase_started_at: datetime | None = None
    last_activity_at: datetime | None = None
    opening: str | None = None
    opening_seconds: float | None = None
    opening_source: str | None = None
    answer: str | None = None
    answer_seconds: float | None = None
    answer_source: str | None = None
    probe_reply: str | None = None
    probe_seconds: float | None = None
    probe_source: str | None = None
    finished_at: datetime | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def start(cls, limits: DrillLimits, now: datetime, *, with_opening: bool = True) -> "DrillSession":
        """A new drill at its opening (or straight at the answer when `with_opening` is false)."""
        return cls(limits=limits, started_at=now, phase="opening" if with_opening else "answer",
                   phase_started_at=now, last_activity_at=now)

    # --- checks -------------------------------------------------------------------------------

    def idle_seconds(self, now: datetime) -> float:
        """Seconds since the last activity."""
        return seconds_between(self.last_activity_at or self.started_at, now)

    def is_idle(self, now: datetime) -> bool:
        """True when the drill has had no activity for longer than the abandon limit."""
        return self.phase in STEPS and self.idle_seconds(now) > self.limits.abandon_after_seconds

    def abandoned(self, now: datetime) -> "DrillSession":
        """The drill marked abandoned (what was submitted so far is kept)."""
        return replace(self, phase="abandoned", finished_at=now)

    def _check(self, step: str, text: str, now: datetime) -> None:
        if self.phase == "abandoned" or self.is_idle(now):
            minutes = round(self.limits.abandon_after_seconds / 60)
            raise Abandoned(
                f"this drill was abandoned after {minutes} minutes without activity; "
                "start a new drill to be scored (what you submitted before is kept)"
            )
        if self.phase == step:
            return
        if step == "opening" and self.phase == "answer" and self.opening is None:
            raise WrongStep("this drill has no opening step; submit the answer")
        earlier = {"opening": self.opening, "answer": self.answer, "probe": self.probe_reply}[step]
        if earlier is not None:
            duplicate = earlier == text
            raise WrongStep(
                f"the {step} of this drill was already submitted"
                + ("; nothing was recorded twice" if duplicate else "; start a new drill to answer again"),
                duplicate=duplicate,
            )
        if self.phase == "done":
            raise WrongStep(f"this drill is finished; its {step} can no longer be submitted")
        if not (step == "answer" and self.phase == "opening"):
            raise WrongStep(f"this drill is at its {self.phase} step, not at the {step}")

    def _measured(self, now: datetime, seconds: float | None, estimate: float | None,
                  given_source: str = "given") -> tuple[float | None, str | None]:
        if seconds is not None:
            if seconds < 0:
                raise DrillError("seconds: must not be negative")
            return round(float(seconds), 1), given_source
        if estimate is not None:
            return round(estimate, 1), "estimated"
        return seconds_between(self.phase_started_at or self.started_at, now), "clock"

    # --- steps --------------------------------------------------------------------------------

    def submit_opening(self, text: str, now: datetime, *, seconds: float | None = None,
                       estimate: float | None = None) -> "DrillSession":
        """Record the opening; the answer's countdown starts now."""
        text = _clean(text, "opening")
        self._check("opening", text, now)
        taken, source = self._measured(now, seconds, estimate)
        return replace(self, phase="answer", opening=text, opening_seconds=taken, opening_source=source,
                       phase_started_at=now, last_activity_at=now)

    def submit_answer(self, text: str, now: datetime, *, seconds: float | None = None,
                      estimate: float | None = None, probe_follows: bool = True,
                      seconds_source: str = "given") -> "DrillSession":
        """Record the full answer (skipping the opening if it was not given); then the probe.

        `seconds_source` names where given seconds come from ("given", or "audio" for a recording).
        """
        text = _clean(text, "answer")
        self._check("answer", text, now)
        taken, source = self._measured(now, seconds, estimate, seconds_source)
        notes = self.notes + (("the opening step was skipped",) if self.phase == "opening" else ())
        return replace(self, phase="probe" if probe_follows else "done", answer=text, answer_seconds=taken,
                       answer_source=source, phase_started_at=now, last_activity_at=now, notes=notes,
                       finished_at=None if probe_follows else now)

    def submit_probe_reply(self, text: str, now: datetime, *, seconds: float | None = None,
                           estimate: float | None = None, seconds_source: str = "given") -> "DrillSession":
        """Record the reply to the probe; the drill is done (`seconds_source` as for the answer)."""
        text = _clean(text, "reply")
        self._check("probe", text, now)
        taken, source = self._measured(now, seconds, estimate, seconds_source)
        return replace(self, phase="done", probe_reply=text, probe_seconds=taken, probe_source=source,
                       last_activity_at=now, finished_at=now)

    def finish(self, now: datetime) -> "DrillSession":
        """Stop after the answer without replying to the probe."""
        if self.phase == "done":
            return self
        if self.phase != "probe":
            raise WrongStep("a drill can be finished once its answer is in; submit the answer first")
        return replace(self, phase="done", last_activity_at=now, finished_at=now,
                       notes=self.notes + ("the probe was skipped",))

    def timings(self) -> dict[str, Any]:
        """Every phase's time against its limit, and when the drill started and finished."""
        return {
            "opening": timing(self.opening_seconds, self.limits.opening_seconds, self.opening_source),
            "answer": timing(self.answer_seconds, self.limits.answer_seconds, self.answer_source),
            "probe": timing(self.probe_seconds, self.limits.probe_seconds, self.probe_source),
            "over_time": any(
                part is not None and part["over"]
                for part in (
                    timing(self.opening_seconds, self.limits.opening_seconds, None),
                    timing(self.answer_seconds, self.limits.answer_seconds, None),
                )
            ),
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "notes": list(self.notes),
        }

    def deadline(self, now: datetime) -> dict[str, Any]:
        """For a countdown: the current step, its limit, and the seconds left (negative when over)."""
        limit = {"opening": self.limits.opening_seconds, "answer": self.limits.answer_seconds,
                 "probe": self.limits.probe_seconds}.get(self.phase)
        elapsed = seconds_between(self.phase_started_at or self.started_at, now)
        return {"phase": self.phase, "limit": limit, "elapsed": elapsed,
                "remaining": None if limit is None else round(limit - elapsed, 1)}


# --- choosing a question --------------------------------------------------------------------


def question_weight(
    question: Question,
    weights: ChoiceWeights,
    principle_gaps: Mapping[str, float],
    best_story_practice: int | None,
    question_practice: int,
) -> float:
    """How strongly a drill leans towards `question`.

    `principle_gaps[p]` is 1 − the strength of the best story for principle p (1: no story);
    `best_story_practice` is how often the question's best story was drilled (None: no story);
    `question_practice` is how often the question itself was drilled.
    """
    gap = sum(principle_gaps.get(name, 1.0) for name in question.principles) / len(question.principles)
    story_novelty = 1.0 if best_story_practice is None else 1.0 / (1 + best_story_practice)
    return (
        1.0
        + weights.principle_gap * gap
        + weights.story_novelty * story_novelty
        + weights.question_novelty / (1 + question_practice)
    )


def choose_question(
    questions: Sequence[Question],
    weights: ChoiceWeights,
    principle_gaps: Mapping[str, float],
    best_story: Mapping[str, int | None],
    story_practice: Mapping[int, int],
    question_practice: Mapping[str, int],
    rng: random.Random,
) -> Question:
    """A question drawn at random, weighted towards weak principles and little-practised stories."""
    if not questions:
        raise DrillError("this profile has no questions to drill")
    scores = []
    for question in questions:
        story = best_story.get(question.id)
        practice = None if story is None else story_practice.get(story, 0)
        scores.append(question_weight(question, weights, principle_gaps, practice, question_practice.get(question.id, 0)))
    return rng.choices(list(questions), weights=scores, k=1)[0]
