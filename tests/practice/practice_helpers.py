"""Texts and a clock shared by the practice tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

CHURN_STORY = (
    "I decided to rebuild the fee page for new traders. Churn in the first month fell 4.3 %, "
    "worth $1.1M a year in retained fees. I aligned design, engineering and support and shipped it in 5 weeks."
)
KYC_STORY = (
    "I chose to move the KYC check after the first deposit instead of before it, within the AML rules. "
    "Onboarding conversion rose 18 % while we kept 100 % of flagged accounts blocked, avoiding $900k in fines. "
    "I convened compliance and risk and shipped the new flow in 3 weeks."
)
OUTAGE_STORY = (
    "Our futures hedge rollout caused a 12 % DAU dip from latency spikes. I owned the post-mortem, "
    "rolled back within 48 hours, restored DAU to baseline, and added a latency monitor that has "
    "prevented a repeat, protecting $2.5M in revenue."
)


class FakeClock:
    """Wall-clock time that moves only when a test says so."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += timedelta(seconds=seconds)
