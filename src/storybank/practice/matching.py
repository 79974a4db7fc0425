"""Which of the user's stories best answers a question: principles, kind and shared words.

No models: the fit is a weighted sum (weights from the profile's `practice.match_weights`) of
how strongly the story supports the question's principles (the coverage matrix's strength),
whether its kind is one the question asks for, how many of the question's content words the
story uses, and the story's own score. Pure: stories and usage come in as plain values.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from storybank.coverage import DEFAULT_THRESHOLDS, story_cells
from storybank.practice.bank_models import PracticeSettings, Question
from storybank.records import Story
from storybank.rubric.models import CoverageThresholds

_WORD = re.compile(r"[a-z0-9]+")
_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", ""))
_MIN_STEM = 3


def stem(word: str) -> str:
    """A crude English stem, enough to let `launched` meet `launch` and `users` meet `user`."""
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)] + replacement
    return word


def content_words(text: str, stopwords: Collection[str]) -> set[str]:
    """Stems of the words in `text` that carry meaning (stopwords and one-letter words dropped)."""
    return {stem(word) for word in _WORD.findall(text.casefold()) if word not in stopwords and len(word) > 1}


@dataclass(frozen=True)
class StoryFit:
    """How well one story fits one question, and why."""

    story_id: int
    title: str
    kind: str
    verdict: str
    fit: float
    principles: float
    kind_match: bool
    overlap: float
    quality: float
    shared_words: tuple[str, ...]
    other_questions: int
    overused: bool

    def to_dict(self) -> dict[str, Any]:
        """One entry of `storybank match --json`'s `stories`."""
        return {
            "story_id": self.story_id,
            "title": self.title,
            "kind": self.kind,
            "verdict": self.verdict,
            "fit": self.fit,
            "reasons": {
                "principles": self.principles,
                "kind": self.kind_match,
                "overlap": self.overlap,
                "quality": self.quality,
                "shared_words": list(self.shared_words),
            },
            "other_questions": self.other_questions,
            "overused": self.overused,
        }


@dataclass(frozen=True)
class MatchResult:
    """The stories ranked for one question, the best one, and overuse warnings."""

    question: Question
    profile: str
    stories: tuple[StoryFit, ...]
    warnings: tuple[str, ...]

    @property
    def best(self) -> StoryFit | None:
        """The best-fitting story, or None when the bank is empty."""
        return self.stories[0] if self.stories else None

    def to_dict(self) -> dict[str, Any]:
        """The shape printed by `storybank match --json`."""
        return {
            "question": self.question.to_dict(),
            "profile": self.profile,
            "best": self.best.to_dict() if self.best else None,
            "stories": [fit.to_dict() for fit in self.stories],
            "warnings": list(self.warnings),
        }


def principle_fit(story: Story, principles: Sequence[str], thresholds: CoverageThresholds | None = None) -> float:
    """Mean strength with which the story supports the question's principles (0–1), under the
    profile's coverage `thresholds` (default: the base profile's)."""
    if not principles:
        return 0.0
    cells = story_cells(story, principles, thresholds or DEFAULT_THRESHOLDS)
    return sum(cells[name].strength for name in principles) / len(principles)


def question_words(question: Question, stopwords: Collection[str]) -> set[str]:
    """The content words of a question and its tags."""
    return content_words(" ".join([question.text, *question.tags]), stopwords)


def story_words(story: Story, stopwords: Collection[str]) -> set[str]:
    """The content words of a story's title, text and tags."""
    return content_words(" ".join([story.title, story.text, *story.tags]), stopwords)


def fit_story(
    question: Question,
    story: Story,
    settings: PracticeSettings,
    wanted: set[str],
    other_questions: int = 0,
    words: set[str] | None = None,
    thresholds: CoverageThresholds | None = None,
) -> StoryFit:
    """Score one story against one question (`wanted`: the question's content words; `words`:
    the story's, when already computed; `thresholds`: the profile's coverage thresholds)."""
    weights = settings.match_weights
    principles = round(principle_fit(story, question.principles, thresholds), 3)
    kind_match = story.kind in question.kinds
    if words is None:
        words = story_words(story, settings.stopwords)
    shared = wanted & words if wanted else set()
    overlap = round(len(shared) / len(wanted), 3) if wanted else 0.0
    quality = round(max(0.0, min(1.0, story.score / 100)), 3)
    total = weights.principles + weights.kind + weights.overlap + weights.quality
    fit = (
        weights.principles * principles + weights.kind * kind_match + weights.overlap * overlap + weights.quality * quality
    ) / total
    return StoryFit(
        story_id=story.id,
        title=story.title,
        kind=story.kind,
        verdict=story.verdict,
        fit=round(fit, 3),
        principles=principles,
        kind_match=kind_match,
        overlap=overlap,
        quality=quality,
        shared_words=tuple(sorted(shared)),
        other_questions=other_questions,
        overused=other_questions >= settings.overuse_questions,
    )


def other_question_counts(usage: Mapping[int, Iterable[str]], question_id: str) -> dict[int, int]:
    """For each story, how many questions other than `question_id` it is planned or drilled for."""
    return {story_id: len(set(refs) - {question_id}) for story_id, refs in usage.items()}


def rank_stories(
    question: Question,
    stories: Sequence[Story],
    settings: PracticeSettings,
    *,
    profile: str,
    usage: Mapping[int, Iterable[str]] | None = None,
    thresholds: CoverageThresholds | None = None,
) -> MatchResult:
    """Every story ranked by fit to `question`, best first, with a warning when the best is overused.

    `usage` maps a story id to the question ids (or question texts) it is already planned or
    drilled for.
    """
    others = other_question_counts(usage or {}, question.id)
    wanted = question_words(question, settings.stopwords)
    fits = sorted(
        (fit_story(question, story, settings, wanted, others.get(story.id, 0), thresholds=thresholds) for story in stories),
        key=lambda fit: (-fit.fit, fit.story_id),
    )
    return MatchResult(question=question, profile=profile, stories=tuple(fits), warnings=tuple(_warnings(fits)))


def _warnings(fits: Sequence[StoryFit]) -> list[str]:
    if not fits or not fits[0].overused:
        return []
    best = fits[0]
    message = (
        f"Story #{best.story_id} \u201c{best.title}\u201d already answers {best.other_questions} other questions; "
        "a committee that hears one story twice remembers one story."
    )
    alternative = next((fit for fit in fits[1:] if not fit.overused and fit.fit > 0), None)
    if alternative is not None:
        message += f" Consider #{alternative.story_id} \u201c{alternative.title}\u201d (fit {alternative.fit:.2f})."
    return [message]


def best_story_ids(
    questions: Sequence[Question],
    stories: Sequence[Story],
    settings: PracticeSettings,
    thresholds: CoverageThresholds | None = None,
) -> dict[str, int | None]:
    """For each question, the id of its best-fitting story (None when the bank is empty)."""
    words = {story.id: story_words(story, settings.stopwords) for story in stories}
    best: dict[str, int | None] = {}
    for question in questions:
        wanted = question_words(question, settings.stopwords)
        fits = [
            fit_story(question, story, settings, wanted, words=words[story.id], thresholds=thresholds) for story in stories
        ]
        best[question.id] = max(fits, key=lambda fit: (fit.fit, -fit.story_id)).story_id if fits else None
    return best


def detect_story(text: str, stories: Sequence[Story], settings: PracticeSettings) -> int | None:
    """The story an answer retells: the one sharing most of the answer's content words, if enough."""
    spoken = content_words(text, settings.stopwords)
    if not spoken:
        return None
    best_id, best_share = None, 0.0
    for story in stories:
        share = len(spoken & story_words(story, settings.stopwords)) / len(spoken)
        if share > best_share:
            best_id, best_share = story.id, share
    return best_id if best_share >= settings.detect_story_overlap else None


def resolve_story_reference(reference: str, stories: Sequence[Story]) -> int | None:
    """A story named by id (`7`, `#7`) or by (part of) its title, case-insensitively."""
    value = reference.strip().lstrip("#").strip()
    if not value:
        return None
    if value.isdigit():
        return int(value) if any(story.id == int(value) for story in stories) else None
    wanted = " ".join(value.casefold().split())
    exact = [story.id for story in stories if " ".join(story.title.casefold().split()) == wanted]
    if exact:
        return exact[0]
    partial = [story for story in stories if wanted in story.title.casefold()]
    if len(partial) == 1:
        return partial[0].id
    return None
