"""A profile as the analyzer reads it, cached so that `storybank analyze` starts without pydantic.

The first use of a profile validates its YAML with pydantic as always, then stores a plain copy
(namespaces, lists and dicts with the same fields) together with its compiled lexicons and rules
in the disk cache. Later commands unpickle that copy: neither pydantic nor the profile models
are imported, which is most of a one-answer command's start-up.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from storybank.analysis.analyzer import CompiledProfile, compile_profile, remember_compiled
from storybank.rubric import cache
from storybank.rubric.files import find_profile_file, profile_sources

_ENTRY_SUFFIX = "-analyzer"  # beside the validated profile's entry, under the same key


def load_analyzer_profile(name_or_path: str | Path) -> Any:
    """The profile as a plain object that `analyze_text` accepts; raises ProfileError like
    `load_profile` when the profile cannot be found or is invalid."""
    from storybank.settings import Settings

    path = find_profile_file(name_or_path)
    key = cache.cache_key(profile_sources(path)) + _ENTRY_SUFFIX
    folder = Settings.from_env().home / "cache"
    entry = cache.read_entry(folder, key)
    if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], CompiledProfile)):
        entry = _snapshot(path)
        cache.write_entry(folder, key, entry)
    profile, compiled = entry
    remember_compiled(profile, compiled)
    return profile


def _snapshot(path: Path) -> tuple[Any, CompiledProfile]:
    from storybank.rubric.loader import load_profile, load_rules

    profile = plain(load_profile(path))
    return profile, compile_profile(profile, [plain(rule) for rule in load_rules().values()])


def plain(value: Any) -> Any:
    """A pydantic model as nested namespaces with the same fields; containers are copied with
    their items made plain, and every other value is kept as it is."""
    fields = getattr(type(value), "model_fields", None)
    if fields is not None:
        return SimpleNamespace(**{name: plain(getattr(value, name)) for name in fields})
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(plain(item) for item in value)
    return value
