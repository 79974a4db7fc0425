"""Coverage: how strongly each story supports each principle of a profile, and the gaps.

Pure: it reads plain story records (their stored analysis and the user's own principle tags),
a list of principle names and the profile's thresholds (`readiness.coverage`); no database,
no clock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storybank.records import QuestionLink, Story

if TYPE_CHECKING:
    from storybank.rubric.models import CoverageThresholds, GapTexts, Profile


def base_profile() -> Profile:
    """The shipped base profile: its values are used when no profile is given."""
    from storybank.rubric.loader import SHIPPED_PROFILES, load_profile

    return load_profile(SHIPPED_PROFILES / "base.yaml")


def __getattr__(name: str) -> Any:
    # DEFAULT_THRESHOLDS: the base profile's coverage thresholds, read on first use (not at import).
    if name == "DEFAULT_THRESHOLDS":
        return base_profile().readiness.coverage
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def principle_key(name: str) -> str:
    """Case- and spacing-insensitive form of a principle name, for matching tags."""
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class Cell:
    """One story × principle cell of the matrix."""

    analyzer: float
    tagged: bool
    strength: float
    level: str  # "strong" | "partial" | "weak" | "none"
    decisive: bool  # a decisive story that strongly supports the principle

    def to_dict(self) -> dict[str, Any]:
        """The cell as JSON."""
        return {
            "analyzer": self.analyzer,
            "tagged": self.tagged,
            "strength": self.strength,
            "level": self.level,
            "decisive": self.decisive,
        }


@dataclass(frozen=True)
class CoverageRow:
    """One story's line of the matrix."""

    story_id: int
    title: str
    kind: str
    verdict: str
    score: float
    cells: dict[str, Cell]

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON."""
        return {
            "story_id": self.story_id,
            "title": self.title,
            "kind": self.kind,
            "verdict": self.verdict,
            "score": self.score,
            "cells": {name: cell.to_dict() for name, cell in self.cells.items()},
        }


@dataclass(frozen=True)
class Coverage:
    """The principles × stories matrix and what it is missing."""

    profile: str
    principles: tuple[str, ...]
    rows: tuple[CoverageRow, ...]
    principles_without_decisive_story: tuple[str, ...]
    principles_without_any_story: tuple[str, ...]
    kinds_without_story: tuple[str, ...]
    overused_stories: tuple[dict[str, Any], ...] = ()
    texts: GapTexts | None = None  # the profile's words for gaps and warnings (default: the base profile's)

    @property
    def gaps(self) -> list[str]:
        """The gaps in words, most important first."""
        texts = self.texts or base_profile().readiness.gaps
        messages = [texts.no_decisive_story.format(principle=name) for name in self.principles_without_decisive_story]
        messages += [texts.no_story_of_kind.format(kind=kind) for kind in self.kinds_without_story]
        return messages

    @property
    def warnings(self) -> list[str]:
        """Stories planned for too many questions."""
        texts = self.texts or base_profile().readiness.gaps
        return [texts.overused.format(**item) for item in self.overused_stories]

    def to_dict(self) -> dict[str, Any]:
        """The shape printed by `coverage --json`."""
        return {
            "profile": self.profile,
            "principles": list(self.principles),
            "stories": [row.to_dict() for row in self.rows],
            "gaps": {
                "principles_without_decisive_story": list(self.principles_without_decisive_story),
                "principles_without_any_story": list(self.principles_without_any_story),
                "kinds_without_story": list(self.kinds_without_story),
                "messages": self.gaps,
            },
            "warnings": self.warnings,
            "overused_stories": [dict(item) for item in self.overused_stories],
        }


def _level(strength: float, thresholds: CoverageThresholds) -> str:
    if strength >= thresholds.strong:
        return "strong"
    if strength >= thresholds.partial:
        return "partial"
    return "weak" if strength > 0 else "none"


def story_cells(story: Story, principles: Sequence[str], thresholds: CoverageThresholds) -> dict[str, Cell]:
    """How strongly one story supports each principle, from its analysis and its tags."""
    analyzer_scores = {principle_key(name): float(value) for name, value in story.analysis.get("principles", {}).items()}
    tagged = {principle_key(name) for name in story.principles}
    cells = {}
    for name in principles:
        key = principle_key(name)
        analyzer = round(analyzer_scores.get(key, 0.0), 3)
        is_tagged = key in tagged
        strength = max(analyzer, thresholds.tagged_floor) if is_tagged else analyzer
        level = _level(strength, thresholds)
        decisive = story.verdict == "decisive" and (is_tagged or level == "strong")
        cells[name] = Cell(analyzer, is_tagged, round(strength, 3), level, decisive)
    return cells


def overused_stories(
    stories: Iterable[Story], links: Iterable[QuestionLink], maximum: int
) -> tuple[dict[str, Any], ...]:
    """Stories linked to more than `maximum` questions, most used first."""
    titles = {story.id: story.title for story in stories}
    counts = Counter(link.story_id for link in links if link.story_id in titles)
    return tuple(
        {"story_id": story_id, "title": titles[story_id], "questions": count}
        for story_id, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if count > maximum
    )


def compute_coverage(
    stories: Sequence[Story],
    principles: Sequence[str],
    *,
    profile: str,
    links: Sequence[QuestionLink] = (),
    thresholds: CoverageThresholds | None = None,
    texts: GapTexts | None = None,
) -> Coverage:
    """The coverage matrix of `stories` (not in the trash) against `principles`, with the
    profile's thresholds and words for the gaps (default: the base profile's)."""
    thresholds = thresholds or base_profile().readiness.coverage
    rows = tuple(
        CoverageRow(story.id, story.title, story.kind, story.verdict, story.score, story_cells(story, principles, thresholds))
        for story in stories
    )
    without_decisive = tuple(name for name in principles if not any(row.cells[name].decisive for row in rows))
    without_any = tuple(
        name for name in principles if not any(row.cells[name].level in ("strong", "partial") for row in rows)
    )
    kinds_present = {story.kind for story in stories}
    return Coverage(
        profile=profile,
        principles=tuple(principles),
        rows=rows,
        principles_without_decisive_story=without_decisive,
        principles_without_any_story=without_any,
        kinds_without_story=tuple(kind for kind in thresholds.expected_kinds if kind not in kinds_present),
        overused_stories=overused_stories(stories, links, thresholds.max_questions_per_story),
        texts=texts,
    )
