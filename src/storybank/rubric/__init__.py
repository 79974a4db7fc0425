"""Rubric profiles and rule declarations: the analyzer's rules as data."""

from storybank.rubric.loader import ProfileError, available_profiles, load_profile, load_rules, resolve_profile
from storybank.rubric.models import SIGNAL_IDS, STORY_KINDS, Profile

__all__ = [
    "SIGNAL_IDS",
    "STORY_KINDS",
    "Profile",
    "ProfileError",
    "available_profiles",
    "load_profile",
    "load_rules",
    "resolve_profile",
]
