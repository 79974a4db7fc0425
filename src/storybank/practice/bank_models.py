"""Pydantic models for the practice sections of a profile: `questions:`, `probes:` and
`practice:` (drill settings, matching weights and the reviewer's scoring anchors).

Validated as strictly as the rest of the rubric: unknown keys are errors. Signal, kind and
feature names are checked against the rubric's lists when a profile is validated (importing
them here at module level would make the two model modules import each other).
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

QUESTION_ID_PATTERN = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$"
REVIEW_SCALE = (1, 2, 3, 4, 5)


def _rubric_names() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(signal ids, story kinds, feature names) as the rubric defines them."""
    from storybank.rubric.models import SIGNAL_IDS, STORY_KINDS, Feature

    return SIGNAL_IDS, STORY_KINDS, tuple(get_args(Feature))


def _check_members(values: list[str], allowed: tuple[str, ...], what: str) -> list[str]:
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise ValueError(f"unknown {what} {unknown[0]!r}; expected one of: {', '.join(allowed)}")
    if len(set(values)) != len(values):
        raise ValueError(f"{what}s are listed twice")
    return values


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Question(_Strict):
    """A behavioral question, tagged with the principles and story kinds it asks for."""

    id: str = Field(pattern=QUESTION_ID_PATTERN, max_length=80)
    text: str = Field(min_length=10)
    principles: list[str] = Field(min_length=1)
    kinds: list[str] = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, value: list[str]) -> list[str]:
        return _check_members(value, _rubric_names()[1], "story kind")

    def to_dict(self) -> dict[str, Any]:
        """The shape printed by `storybank questions --json`."""
        return {
            "id": self.id,
            "text": self.text,
            "principles": list(self.principles),
            "kinds": list(self.kinds),
            "tags": list(self.tags),
        }


class Probe(_Strict):
    """A follow-up question that tests one signal, and what a good reply to it contains."""

    id: str = Field(pattern=QUESTION_ID_PATTERN, max_length=80)
    text: str = Field(min_length=10)
    signal: str
    kinds: list[str] = Field(default_factory=list, description="story kinds it fits; empty means any")
    wants: list[str] = Field(default_factory=list, description="analyzer features a good reply shows")
    max_seconds: float | None = Field(default=None, gt=0, description="a good reply is spoken within this")
    hint: str = Field(min_length=1, description="what to say when the reply misses something")

    @field_validator("signal")
    @classmethod
    def _known_signal(cls, value: str) -> str:
        _check_members([value], _rubric_names()[0], "signal")
        return value

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, value: list[str]) -> list[str]:
        return _check_members(value, _rubric_names()[1], "story kind")

    @field_validator("wants")
    @classmethod
    def _known_features(cls, value: list[str]) -> list[str]:
        return _check_members(value, _rubric_names()[2], "feature")

    def fits(self, kind: str) -> bool:
        """Whether the probe may follow an answer of this story kind."""
        return not self.kinds or kind in self.kinds

    def to_dict(self) -> dict[str, Any]:
        """The probe as shown in a drill: `id`, `text`, `signal`."""
        return {"id": self.id, "text": self.text, "signal": self.signal}


class ReviewDimension(_Strict):
    """One line of the reviewer's form: a 1–5 score with a sentence anchoring each value."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    signals: list[str] = Field(min_length=1, description="analyzer signals this score is compared with")
    anchors: dict[int, str]

    @field_validator("signals")
    @classmethod
    def _known_signals(cls, value: list[str]) -> list[str]:
        return _check_members(value, _rubric_names()[0], "signal")

    @field_validator("anchors")
    @classmethod
    def _one_to_five(cls, value: dict[int, str]) -> dict[int, str]:
        if sorted(value) != list(REVIEW_SCALE) or not all(text.strip() for text in value.values()):
            raise ValueError("anchors need a sentence for each score 1, 2, 3, 4 and 5")
        return value


class ReviewSettings(_Strict):
    """The reviewer's form and when a human score and the analyzer's count as disagreeing."""

    disagreement: float = Field(gt=0, le=4, description="points apart on the 1–5 scale")
    dimensions: list[ReviewDimension] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> "ReviewSettings":
        ids = [dimension.id for dimension in self.dimensions]
        if len(set(ids)) != len(ids):
            raise ValueError("review dimension ids must be unique")
        return self


class MatchWeights(_Strict):
    """How much each part of a story's fit to a question counts (normalised by their sum)."""

    principles: float = Field(ge=0)
    kind: float = Field(ge=0)
    overlap: float = Field(ge=0)
    quality: float = Field(ge=0)

    @model_validator(mode="after")
    def _some_weight(self) -> "MatchWeights":
        if self.principles + self.kind + self.overlap + self.quality <= 0:
            raise ValueError("at least one match weight must be positive")
        return self


class ChoiceWeights(_Strict):
    """How a drill leans when it picks a question for you."""

    principle_gap: float = Field(ge=0, description="towards principles without a strong story")
    story_novelty: float = Field(ge=0, description="towards questions whose best story is least practised")
    question_novelty: float = Field(ge=0, description="towards questions not drilled yet")


class PracticeSettings(_Strict):
    """A profile's `practice:` section: drill timing, matching and the reviewer's form."""

    retrieval_seconds: float = Field(gt=0, description="time to name the story and say its opening")
    abandon_after_minutes: float = Field(gt=0, description="a drill without activity this long is abandoned")
    overuse_questions: int = Field(ge=1, description="a story planned for more questions than this is overused")
    detect_story_overlap: float = Field(
        gt=0, le=1, description="share of an answer's words a story must hold to count as the story told"
    )
    match_weights: MatchWeights
    choice_weights: ChoiceWeights
    stopwords: list[str] = Field(default_factory=list)
    want_labels: dict[str, str] = Field(default_factory=dict, description="feature -> words for the reply check")
    review: ReviewSettings

    @field_validator("want_labels")
    @classmethod
    def _known_features(cls, value: dict[str, str]) -> dict[str, str]:
        _check_members(list(value), _rubric_names()[2], "feature")
        return value


def check_question_bank(principles: list[str], questions: list[Question], probes: list[Probe]) -> None:
    """Cross-checks a single question or probe cannot make: unique ids, known principles."""
    known = {name.casefold() for name in principles}
    seen: set[str] = set()
    for position, question in enumerate(questions):
        if question.id in seen:
            raise ValueError(f"questions[{position}]: id {question.id!r} is used twice")
        seen.add(question.id)
        for name in question.principles:
            if name.casefold() not in known:
                raise ValueError(
                    f"questions[{position}] ({question.id}): {name!r} is not a principle of this profile; "
                    f"choose from: {', '.join(principles) or '(none)'}"
                )
    for position, probe in enumerate(probes):
        if probe.id in seen:
            raise ValueError(f"probes[{position}]: id {probe.id!r} is used twice")
        seen.add(probe.id)
