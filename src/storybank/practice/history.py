"""The practice history: attempts in full (newest first), their reviews, and the progress series."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from storybank.practice.attempts import Attempt, Review
from storybank.practice.chart import OVERALL, Point, history_chart_svg, history_series


@dataclass(frozen=True)
class History:
    """A page of attempts, with the series of every drill for the chart."""

    attempts: tuple[Attempt, ...]
    total: int
    series: dict[str, list[Point]]
    reviews: dict[int, list[Review]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def chart_svg(self) -> str:
        """The progress chart as SVG."""
        return history_chart_svg(self.series, self.labels)

    def to_dict(self) -> dict[str, Any]:
        """The shape of `storybank history --json` and `GET /api/practice/history`."""
        return {
            "total": self.total,
            "attempts": [
                {**attempt.to_dict(), "reviews": [review.to_dict() for review in self.reviews.get(attempt.id, [])]}
                for attempt in self.attempts
            ],
            "series": {name: [point.to_dict() for point in points] for name, points in self.series.items()},
        }


def build_history(
    page: Sequence[Attempt],
    every_drill: Sequence[Attempt],
    total: int,
    reviews: Sequence[Review],
    signal_labels: Mapping[str, str],
) -> History:
    """Assemble the history from a page of attempts and every drill (for the series)."""
    by_attempt: dict[int, list[Review]] = {}
    for review in reviews:
        by_attempt.setdefault(review.attempt_id, []).append(review)
    return History(
        attempts=tuple(page),
        total=total,
        series=history_series(every_drill),
        reviews=by_attempt,
        labels={OVERALL: "Overall score", **signal_labels},
    )
