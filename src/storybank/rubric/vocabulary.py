"""The rubric's fixed names: signals, severities and story kinds.

Kept apart from the pydantic models so the analyzer can use them without importing pydantic.
"""

from __future__ import annotations

from typing import Literal, get_args

SignalId = Literal[
    "ownership",
    "quantified_impact",
    "dollar_value",
    "alignment",
    "customer_impact",
    "risk_awareness",
    "brevity",
    "metric_first",
    "failure_recovery",
]
Severity = Literal["info", "warning", "error"]
StoryKind = Literal["impact", "failure", "risk", "conflict", "customer", "other"]
SIGNAL_IDS: tuple[str, ...] = get_args(SignalId)
STORY_KINDS: tuple[str, ...] = get_args(StoryKind)
