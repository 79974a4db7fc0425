"""Readiness: the interview-ready checklist as items, each ok or not, with the reason and the
next action.

Pure: it reads plain story records (their stored analysis), the coverage computed from them,
and a summary of practice records when there is one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storybank.coverage import Coverage
from storybank.records import Story

QUANTIFIED_KINDS = ("money", "percent", "count")


@dataclass(frozen=True)
class ReadinessThresholds:
    """What counts as present in a story's stored analysis, and how many stories are needed."""

    min_complete_stories: int = 3
    signal_present: float = 0.5


DEFAULT_READINESS = ReadinessThresholds()


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


def missing_parts(story: Story, thresholds: ReadinessThresholds = DEFAULT_READINESS) -> list[str]:
    """Which of decision / quantified metric / alignment step a story lacks."""
    wanted = (("ownership", "an owned decision"), ("quantified_impact", "a quantified metric"), ("alignment", "an alignment step"))
    return [label for signal, label in wanted if signal_score(story, signal) < thresholds.signal_present]


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


def complete_stories_item(stories: Sequence[Story], thresholds: ReadinessThresholds) -> ReadinessItem:
    """>= N stories that each have a decision, a quantified metric and an alignment step."""
    needed = thresholds.min_complete_stories
    label = f"At least {needed} stories with a decision, a quantified metric and an alignment step"
    complete = [story for story in stories if not missing_parts(story, thresholds)]
    if len(complete) >= needed:
        return ReadinessItem("complete-stories", label, True, f"{_stories(len(complete))} with all three parts.", "")
    incomplete = sorted((s for s in stories if missing_parts(s, thresholds)), key=lambda s: -s.score)
    reason = f"{_stories(len(complete))} with all three parts; {needed} are needed."
    if incomplete:
        best = incomplete[0]
        action = f"Add {_and(missing_parts(best, thresholds))} to {_quote(best)}, or build a new story with `storybank story build`."
    else:
        action = "Build a story with `storybank story build`."
    return ReadinessItem("complete-stories", label, False, reason, action)


def principles_item(coverage: Coverage) -> ReadinessItem:
    """Every principle of the profile has a decisive story."""
    label = "Every principle has a decisive story"
    if not coverage.principles:
        return ReadinessItem("principles-covered", label, True, "This profile names no principles.", "")
    missing = coverage.principles_without_decisive_story
    if not missing:
        return ReadinessItem("principles-covered", label, True, "Each principle has a decisive story.", "")
    reason = f"No decisive story for {', '.join(missing)}."
    action = f"Write or strengthen a story for {missing[0]} and tag it with that principle (`--principle`)."
    return ReadinessItem("principles-covered", label, False, reason, action)


def stories_mapped_item(stories: Sequence[Story]) -> ReadinessItem:
    """Every story is mapped to at least one principle."""
    label = "Every story is mapped to a principle"
    if not stories:
        return ReadinessItem("stories-mapped", label, False, "The bank has no stories yet.", "Add a story with `storybank story add` or `story build`.")
    unmapped = [story for story in stories if not story.principles]
    if not unmapped:
        return ReadinessItem("stories-mapped", label, True, "Each story names the principles it supports.", "")
    reason = f"{_stories(len(unmapped))} naming no principle: {_list(unmapped)}."
    return ReadinessItem("stories-mapped", label, False, reason, f"Tag {_quote(unmapped[0])} with the principle it proves best.")


def _quantified(story: Story) -> bool:
    return any(item.get("kind") in QUANTIFIED_KINDS for item in story.analysis.get("quantities", []))


def quantified_item(stories: Sequence[Story]) -> ReadinessItem:
    """Every story quantifies its impact in USD, % or users."""
    label = "Every impact is quantified in USD, % or users"
    if not stories:
        return ReadinessItem("impact-quantified", label, False, "The bank has no stories yet.", "Add a story with a number in it.")
    vague = [story for story in stories if not _quantified(story)]
    if not vague:
        return ReadinessItem("impact-quantified", label, True, "Each story carries a dollar, percentage or user figure.", "")
    reason = f"{_stories(len(vague))} without a dollar, percentage or user figure: {_list(vague)}."
    return ReadinessItem("impact-quantified", label, False, reason, f"Put the headline number into {_quote(vague[0])}.")


def openings_item(stories: Sequence[Story], thresholds: ReadinessThresholds) -> ReadinessItem:
    """Each story opens with the metric and the opening fits the time budget."""
    label = "A 45-second opening per story that leads with the metric"
    if not stories:
        return ReadinessItem("openings", label, False, "The bank has no stories yet.", "Add a story, then lead its first sentence with the metric.")
    weak = [
        story
        for story in stories
        if signal_score(story, "metric_first") < thresholds.signal_present
        or signal_score(story, "brevity") < thresholds.signal_present
    ]
    if not weak:
        return ReadinessItem("openings", label, True, "Each story opens with its metric, within the time budget.", "")
    reason = f"{_stories(len(weak))} not opening with the metric within the time budget: {_list(weak)}."
    opening = weak[0].analysis.get("dma", {}).get("opening_line")
    action = f"Rework the first sentence of {_quote(weak[0])}" + (f"; a draft: \u201c{opening}\u201d" if opening else ".")
    return ReadinessItem("openings", label, False, reason, action)


def probes_item(practice: PracticeSummary | None) -> ReadinessItem:
    """Follow-up probes practised with risk-aware answers."""
    label = "Follow-up probes practised with risk-aware answers"
    if practice is None:
        return ReadinessItem(
            "probes-practised", label, False,
            "Drills are not recorded yet, so no practised probe can be counted.",
            "Practise follow-up probes once drills are available.",
        )
    if practice.risk_aware_probe_answers > 0:
        return ReadinessItem("probes-practised", label, True, f"{practice.risk_aware_probe_answers} probe answers were risk-aware.", "")
    if practice.probes_practised > 0:
        return ReadinessItem(
            "probes-practised", label, False,
            f"{practice.probes_practised} probes practised, none with a named rule and a quantified trade-off.",
            "Run a drill and answer the trade-off probe with the rule and the number.",
        )
    return ReadinessItem("probes-practised", label, False, "No probe practised yet.", "Run a drill: `storybank drill`.")


def mock_item(practice: PracticeSummary | None) -> ReadinessItem:
    """At least one mock interview with reviewer feedback."""
    label = "A mock interview with reviewer feedback on ownership and metric clarity"
    if practice is None:
        return ReadinessItem(
            "mock-interview", label, False,
            "Mock interviews are not recorded yet, so no reviewer feedback can be counted.",
            "Schedule a mock interview with a senior PM; reviewer mode will record the feedback.",
        )
    if practice.reviewed_mock_interviews > 0:
        return ReadinessItem("mock-interview", label, True, f"{practice.reviewed_mock_interviews} mock interviews have reviewer feedback.", "")
    return ReadinessItem(
        "mock-interview", label, False, "No mock interview has reviewer feedback yet.",
        "Ask a reviewer to score a drill in reviewer mode.",
    )


def compute_readiness(
    stories: Sequence[Story],
    coverage: Coverage,
    *,
    practice: PracticeSummary | None = None,
    thresholds: ReadinessThresholds = DEFAULT_READINESS,
) -> Readiness:
    """The checklist for the stories not in the trash."""
    items = (
        complete_stories_item(stories, thresholds),
        stories_mapped_item(stories),
        principles_item(coverage),
        quantified_item(stories),
        openings_item(stories, thresholds),
        probes_item(practice),
        mock_item(practice),
    )
    return Readiness(profile=coverage.profile, items=items)
