"""Fixtures for the practice tests: a story bank on a fresh database, a clock that never sleeps,
and a few stories of different kinds."""

from __future__ import annotations

import pytest
from practice_helpers import CHURN_STORY, KYC_STORY, OUTAGE_STORY, FakeClock

from storybank.service import StoryBank
from storybank.settings import Settings


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
