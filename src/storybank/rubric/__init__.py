"""Rubric profiles and rule declarations: the analyzer's rules as data.

The names below are loaded on first use, so importing a pydantic-free part of this package
(`files`, `vocabulary`, `cache`) does not import pydantic.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "SIGNAL_IDS": "storybank.rubric.vocabulary",
    "STORY_KINDS": "storybank.rubric.vocabulary",
    "Profile": "storybank.rubric.models",
    "ProfileError": "storybank.rubric.files",
    "available_profiles": "storybank.rubric.files",
    "load_profile": "storybank.rubric.loader",
    "load_rules": "storybank.rubric.loader",
    "resolve_profile": "storybank.rubric.loader",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
