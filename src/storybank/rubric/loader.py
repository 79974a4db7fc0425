"""Load rule declarations and rubric profiles from YAML, merging `extends:` overlays.

Every error names the file and the field, so a typo in a user's profile is easy to fix.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from storybank.rubric import cache
from storybank.rubric.files import (  # noqa: F401 (also re-exported: callers look for them here)
    SHIPPED_PROFILES,
    SHIPPED_RULES,
    ProfileError,
    available_profiles,
    find_profile_file,
    profile_sources,
    user_profiles_dir,
)
from storybank.rubric.models import Profile, Rule

_MAX_EXTENDS_DEPTH = 8


def _read_yaml(path: Path) -> dict[str, Any]:
    import yaml  # only when the disk cache misses: importing it costs a command's start-up

    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ProfileError(f"{path}: cannot be read ({error.strerror or error})") from error
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except UnicodeDecodeError as error:
        raise ProfileError(f"{path}: not valid UTF-8 (byte {error.start})") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ProfileError(f"{path}: malformed YAML{where}: {problem}") from error
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: expected a mapping of fields at the top level")
    return data


def describe_validation_error(path: Path | str, error: ValidationError) -> str:
    """Turn a pydantic error into one line per problem: `file: field.path: message`."""
    lines = []
    for problem in error.errors():
        field = ".".join(str(part) for part in problem["loc"]) or "(top level)"
        message = problem["msg"]
        if problem["type"] == "extra_forbidden":
            message = "unknown field (check the spelling)"
        lines.append(f"{path}: {field}: {message}")
    return "\n".join(lines)


_loaded_rules: dict[str, Rule] = {}


def load_rules() -> dict[str, Rule]:
    """All shipped rule declarations, keyed by id (file name must match the id)."""
    if not _loaded_rules:
        _loaded_rules.update(_read_rules())
    return _loaded_rules


def _read_rules() -> dict[str, Rule]:
    adapter: TypeAdapter[Rule] = TypeAdapter(Rule)
    rules: dict[str, Rule] = {}
    for path in sorted(SHIPPED_RULES.glob("*.yaml")):
        data = _read_yaml(path)
        try:
            rule = adapter.validate_python(data)
        except ValidationError as error:
            raise ProfileError(describe_validation_error(path, error)) from error
        if rule.id != path.stem:
            raise ProfileError(f"{path}: id: {rule.id!r} does not match the file name {path.stem!r}")
        rules[rule.id] = rule
    return rules


def _merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Overlay wins; mappings merge key by key; lists and scalars are replaced."""
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _apply_lexicon_additions(data: dict[str, Any], path: Path) -> dict[str, Any]:
    additions = data.pop("lexicon_additions", None)
    if additions is None:
        return data
    if not isinstance(additions, dict):
        raise ProfileError(f"{path}: lexicon_additions: expected a mapping of lexicon name to terms")
    lexicons = dict(data.get("lexicons") or {})
    for name, terms in additions.items():
        if not isinstance(terms, list):
            raise ProfileError(f"{path}: lexicon_additions.{name}: expected a list of terms")
        lexicons[name] = list(lexicons.get(name, [])) + terms
    data["lexicons"] = lexicons
    return data


def _load_merged(path: Path, depth: int = 0) -> dict[str, Any]:
    if depth > _MAX_EXTENDS_DEPTH:
        raise ProfileError(f"{path}: extends: chain is too deep (a loop?)")
    data = _read_yaml(path)
    parent_name = data.get("extends")
    if parent_name is None:
        return _apply_lexicon_additions(data, path)
    if not isinstance(parent_name, str):
        raise ProfileError(f"{path}: extends: expected a profile name")
    try:
        parent_path = find_profile_file(parent_name)
    except ProfileError as error:
        raise ProfileError(f"{path}: extends: {error}") from error
    if parent_path.resolve() == path.resolve():
        parent_path = SHIPPED_PROFILES / f"{parent_name}.yaml"
        if not parent_path.is_file() or parent_path.resolve() == path.resolve():
            raise ProfileError(f"{path}: extends: a profile cannot extend itself")
    parent = _load_merged(parent_path, depth + 1)
    lexicon_additions = data.pop("lexicon_additions", None)
    merged = _merge(parent, data)
    if lexicon_additions is not None:
        merged["lexicon_additions"] = lexicon_additions
    return _apply_lexicon_additions(merged, path)


def _check_references(profile: Profile, path: Path) -> None:
    rules = load_rules()
    for rule_id in profile.rules:
        if rule_id not in rules:
            raise ProfileError(f"{path}: rules.{rule_id}: no such rule")
    for rule in rules.values():
        for lexicon in _lexicons_used(rule):
            if lexicon not in profile.lexicons:
                raise ProfileError(f"{path}: lexicons: missing {lexicon!r}, used by rule {rule.id}")


def _lexicons_used(rule: Rule) -> list[str]:
    names = [getattr(rule, "lexicon", None), getattr(rule, "numerator", None), getattr(rule, "denominator", None)]
    return [name for name in names if name]


def load_profile_file(path: Path) -> Profile:
    """Load, merge and validate one profile file."""
    data = _load_merged(path)
    data.setdefault("name", path.stem)
    try:
        profile = Profile.model_validate(data)
    except ValidationError as error:
        raise ProfileError(describe_validation_error(path, error)) from error
    _check_references(profile, path)
    return profile


@lru_cache(maxsize=32)
def _cached_profile(path: str, mtime_ns: int) -> Profile:
    return _load_through_disk_cache(Path(path))


def _load_through_disk_cache(path: Path) -> Profile:
    """Validated rules and profile from the disk cache, or from YAML (then cached)."""
    from storybank.settings import Settings

    key = cache.cache_key(profile_sources(path))
    folder = Settings.from_env().home / "cache"
    entry = cache.read_entry(folder, key)
    if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], Profile):
        if not _loaded_rules:
            _loaded_rules.update(entry[0])
        return entry[1]
    profile = load_profile_file(path)
    cache.write_entry(folder, key, (load_rules(), profile))
    return profile


def load_profile(name_or_path: str | Path) -> Profile:
    """Load a profile by shipped name, user profile name or file path (cached until the file changes)."""
    path = find_profile_file(name_or_path)
    return _cached_profile(str(path.resolve()), path.stat().st_mtime_ns)


def resolve_profile(profile: "str | Path | Profile") -> Profile:
    """Accept a Profile as is, or load one by name or path."""
    if isinstance(profile, Profile):
        return profile
    return load_profile(profile)
