"""The one error the planners raise for input they cannot use."""

from __future__ import annotations


class PlanningError(ValueError):
    """Input the planners cannot use; the message says what is wrong and how to fix it."""
