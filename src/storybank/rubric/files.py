"""Where profiles live: the shipped ones and the user's own, found by name or path.

Nothing here imports pydantic, so a command that only needs a cached profile starts fast.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).parent
SHIPPED_PROFILES = PACKAGE_DIR / "profiles"
SHIPPED_RULES = PACKAGE_DIR / "rules"


class ProfileError(ValueError):
    """A profile or rule file that cannot be used; the message names the file and the field."""


def user_profiles_dir() -> Path:
    """The folder for the user's own profiles, from the environment."""
    from storybank.settings import Settings

    return Settings.from_env().profiles_dir


def available_profiles() -> list[str]:
    """Names of every profile that can be loaded: shipped ones and the user's own."""
    names = {path.stem for path in SHIPPED_PROFILES.glob("*.yaml")}
    directory = user_profiles_dir()
    if directory.is_dir():
        names.update(path.stem for path in directory.glob("*.yaml"))
    return sorted(names)


def find_profile_file(name_or_path: str | Path) -> Path:
    """Locate a profile by path or by name (the user's folder first, then shipped profiles)."""
    candidate = Path(name_or_path).expanduser()
    text = str(name_or_path)
    if candidate.suffix in {".yaml", ".yml"} or "/" in text or "\\" in text:
        if candidate.is_file():
            return candidate
        raise ProfileError(f"{candidate}: no such profile file")
    for folder in (user_profiles_dir(), SHIPPED_PROFILES):
        path = folder / f"{text}.yaml"
        if path.is_file():
            return path
    raise ProfileError(f"unknown profile {text!r}; available: {', '.join(available_profiles())}")


def profile_sources(path: Path) -> list[Path]:
    """Every file a profile's validated form can depend on: itself, the shipped rules and
    profiles, and the user's profiles (any of them may be extended)."""
    sources = [path, *SHIPPED_RULES.glob("*.yaml"), *SHIPPED_PROFILES.glob("*.yaml")]
    directory = user_profiles_dir()
    if directory.is_dir():
        sources += list(directory.glob("*.yaml"))
    return sources
