"""Fixtures for the practice tests: a story bank on a fresh database, a clock that never sleeps,
and a few stories of different kinds."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from storybank.service import StoryBank
from storybank.settings import Settings

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


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def bank(database_url: str, clock: FakeClock):
    with StoryBank(Settings.from_env(), clock=clock) as opened:
        yield opened


@pytest.fixture
def stories(bank: StoryBank) -> dict[str, int]:
    """Three stories: customer churn, a KYC trade-off, and an outage (failure)."""
    churn = bank.add_story(title="New-trader fee page", text=CHURN_STORY, principles=["Customer-First Innovation"], tags=["churn"])
    kyc = bank.add_story(title="KYC after first deposit", text=KYC_STORY, principles=["Risk-Aware Decision-Making"], tags=["KYC"])
    outage = bank.add_story(title="Auto-hedge rollback", text=OUTAGE_STORY, kind="failure", principles=["Relentless Execution"])
    return {"churn": churn.id, "kyc": kyc.id, "outage": outage.id}
