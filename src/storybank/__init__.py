"""storybank: turn work experiences into short, decisive, quantified interview stories.

The public entry point is :func:`analyze`; everything heavy is imported lazily so the
command line starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storybank.analysis.report import Report
    from storybank.rubric.models import Profile

__all__ = ["analyze", "__version__"]
__version__ = "0.1.0"


def analyze(text: str, profile: "str | Profile" = "binance", kind: str = "auto") -> "Report":
    """Analyze one interview answer against a rubric profile.

    `profile` is a shipped profile name, a path to a YAML profile, or a loaded Profile.
    `kind` is a story kind or "auto" to detect it. Returns a Report; `to_dict()` gives the
    stable JSON contract.
    """
    from storybank.analysis.analyzer import analyze_text
    from storybank.rubric.loader import resolve_profile

    return analyze_text(text, resolve_profile(profile), kind)
