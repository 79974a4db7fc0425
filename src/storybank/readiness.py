"""Readiness: the interview-ready checklist as items, each ok or not, with the reason and the
next action.

Pure: it reads plain story records (their stored analysis), the coverage computed from them,
a summary of practice records when there is one, and the profile's `readiness:` section (its
thresholds and the words of each item).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storybank.coverage import Coverage, base_profile
from storybank.records import Story

if TYPE_CHECKING:
    from storybank.rubric.models import ReadinessRules


@dataclass(frozen=True)
class PracticeSummary:
    """What the practice records say; `None` where practice is not recorded at all."""

    probes_practised: int = 0
    risk_aware_probe_answers: int = 0
    reviewed_mock_interviews: int = 0


@dataclass(frozen=True)
class ReadinessItem:
    """One checklist item."""

    id: str
    label: str
    ok: bool
    reason: str
    next_action: str

    def to_dict(self) -> dict[str, Any]:
        """The item as JSON."""
        return {"id": self.id, "label": self.label, "ok": self.ok, "reason": self.reason, "next_action": self.next_action}


@dataclass(frozen=True)
class Readiness:
    """The whole checklist; ready when every item is ok."""

    profile: str
    items: tuple[ReadinessItem, ...]

    @property
    def ready(self) -> bool:
        """True when every item is ok."""
        return all(item.ok for item in self.items)

    def to_dict(self) -> dict[str, Any]:
        """The shape printed by `ready --json`."""
        return {"ready": self.ready, "profile": self.profile, "items": [item.to_dict() for item in self.items]}


def signal_score(story: Story, signal: str) -> float:
    """A signal's score in a story's stored analysis (0 when absent)."""
    return float(story.analysis.get("signals", {}).get(signal, {}).get("score", 0.0))


def missing_parts(story: Story, rules: ReadinessRules) -> list[str]:
    """What a story lacks of a complete one (e.g. an owned decision, a quantified metric)."""
    return [
        name for signal, name in rules.complete_story_signals.items() if signal_score(story, signal) < rules.signal_present
    ]


def _stories(count: int) -> str:
    return f"{count} story" if count == 1 else f"{count} stories"


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _quote(story: Story) -> str:
    return f"#{story.id} \u201c{story.title}\u201d"


def _list(stories: Sequence[Story], limit: int = 3) -> str:
    shown = ", ".join(_quote(story) for story in stories[:limit])
    more = len(stories) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def _seconds(value: float) -> str:
    return f"{value:g}"


def complete_stories_item(stories: Sequence[Story], rules: ReadinessRules) -> ReadinessItem:
    """>= N stories that each have every part of a complete story."""
    texts = rules.items.complete_stories
    needed = rules.min_complete_stories
    label = texts.label.format(needed=needed)
    complete = [story for story in stories if not missing_parts(story, rules)]
    if len(complete) >= needed:
        reason = texts.why_done.format(stories=_stories(len(complete)), parts=_parts(rules))
        return ReadinessItem("complete-stories", label, True, reason, "")
    incomplete = sorted((s for s in stories if missing_parts(s, rules)), key=lambda s: -s.score)
    reason = texts.why_short.format(stories=_stories(len(complete)), parts=_parts(rules), needed=needed)
    if incomplete:
        best = incomplete[0]
        action = texts.add_parts.format(missing=_and(missing_parts(best, rules)), story=_quote(best))
    else:
        action = texts.build
    return ReadinessItem("complete-stories", label, False, reason, action)


def _parts(rules: ReadinessRules) -> str:
    count = len(rules.complete_story_signals)
    return {1: "one part", 2: "both parts", 3: "three parts"}.get(count, f"{count} parts")


def principles_item(coverage: Coverage, rules: ReadinessRules) -> ReadinessItem:
    """Every principle of the profile has a decisive story."""
    texts = rules.items.principles_covered
    if not coverage.principles:
        return ReadinessItem("principles-covered", texts.label, True, texts.why_no_principles, "")
    missing = coverage.principles_without_decisive_story
    if not missing:
        return ReadinessItem("principles-covered", texts.label, True, texts.why_done, "")
    reason = texts.why_missing.format(principles=", ".join(missing))
    return ReadinessItem("principles-covered", texts.label, False, reason, texts.write.format(principle=missing[0]))


def stories_mapped_item(stories: Sequence[Story], rules: ReadinessRules) -> ReadinessItem:
    """Every story is mapped to at least one principle."""
    texts = rules.items.stories_mapped
    if not stories:
        return ReadinessItem("stories-mapped", texts.label, False, texts.why_empty, texts.add_story)
    unmapped = [story for story in stories if not story.principles]
    if not unmapped:
        return ReadinessItem("stories-mapped", texts.label, True, texts.why_done, "")
    reason = texts.why_missing.format(stories=_stories(len(unmapped)), list=_list(unmapped))
    return ReadinessItem("stories-mapped", texts.label, False, reason, texts.tag.format(story=_quote(unmapped[0])))


def _quantified(story: Story, rules: ReadinessRules) -> bool:
    return any(item.get("kind") in rules.quantified_kinds for item in story.analysis.get("quantities", []))


def quantified_item(stories: Sequence[Story], rules: ReadinessRules) -> ReadinessItem:
    """Every story quantifies its impact (in USD, % or users by default)."""
    texts = rules.items.impact_quantified
    if not stories:
        return ReadinessItem("impact-quantified", texts.label, False, texts.why_empty, texts.add_story)
    vague = [story for story in stories if not _quantified(story, rules)]
    if not vague:
        return ReadinessItem("impact-quantified", texts.label, True, texts.why_done, "")
    reason = texts.why_missing.format(stories=_stories(len(vague)), list=_list(vague))
    return ReadinessItem("impact-quantified", texts.label, False, reason, texts.quantify.format(story=_quote(vague[0])))


def openings_item(stories: Sequence[Story], rules: ReadinessRules, opening_seconds: float) -> ReadinessItem:
    """Each story opens with the metric and the opening fits the time budget."""
    texts = rules.items.openings
    label = texts.label.format(opening_seconds=_seconds(opening_seconds))
    if not stories:
        return ReadinessItem("openings", label, False, texts.why_empty, texts.add_story)
    weak = [
        story
        for story in stories
        if any(signal_score(story, signal) < rules.signal_present for signal in rules.opening_signals)
    ]
    if not weak:
        return ReadinessItem("openings", label, True, texts.why_done, "")
    reason = texts.why_missing.format(stories=_stories(len(weak)), list=_list(weak))
    opening = weak[0].analysis.get("dma", {}).get("opening_line")
    if opening:
        action = texts.rework_with_draft.format(story=_quote(weak[0]), draft=opening)
    else:
        action = texts.rework.format(story=_quote(weak[0]))
    return ReadinessItem("openings", label, False, reason, action)


def probes_item(practice: PracticeSummary | None, rules: ReadinessRules) -> ReadinessItem:
    """Follow-up probes practised with risk-aware answers."""
    texts = rules.items.probes_practised
    if practice is None:
        return ReadinessItem("probes-practised", texts.label, False, texts.why_not_recorded, texts.not_recorded)
    if practice.risk_aware_probe_answers > 0:
        reason = texts.why_done.format(count=practice.risk_aware_probe_answers)
        return ReadinessItem("probes-practised", texts.label, True, reason, "")
    if practice.probes_practised > 0:
        reason = texts.why_not_risk_aware.format(count=practice.probes_practised)
        return ReadinessItem("probes-practised", texts.label, False, reason, texts.answer_tradeoff)
    return ReadinessItem("probes-practised", texts.label, False, texts.why_none, texts.drill)


def mock_item(practice: PracticeSummary | None, rules: ReadinessRules) -> ReadinessItem:
    """At least one mock interview with reviewer feedback."""
    texts = rules.items.mock_interview
    if practice is None:
        return ReadinessItem("mock-interview", texts.label, False, texts.why_not_recorded, texts.not_recorded)
    if practice.reviewed_mock_interviews > 0:
        reason = texts.why_done.format(count=practice.reviewed_mock_interviews)
        return ReadinessItem("mock-interview", texts.label, True, reason, "")
    return ReadinessItem("mock-interview", texts.label, False, texts.why_none, texts.review)


def compute_readiness(
    stories: Sequence[Story],
    coverage: Coverage,
    *,
    practice: PracticeSummary | None = None,
    rules: ReadinessRules | None = None,
    opening_seconds: float | None = None,
) -> Readiness:
    """The checklist for the stories not in the trash, with the profile's `readiness:` rules and
    opening budget (default: the base profile's)."""
    if rules is None or opening_seconds is None:
        base = base_profile()
        rules = rules or base.readiness
        opening_seconds = opening_seconds if opening_seconds is not None else base.limits.opening_seconds
    items = (
        complete_stories_item(stories, rules),
        stories_mapped_item(stories, rules),
        principles_item(coverage, rules),
        quantified_item(stories, rules),
        openings_item(stories, rules, opening_seconds),
        probes_item(practice, rules),
        mock_item(practice, rules),
    )
    return Readiness(profile=coverage.profile, items=items)
