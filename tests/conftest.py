"""Shared test set-up: every test gets its own STORYBANK_HOME, and system-package groups
skip (or, with STORYBANK_REQUIRE_ALL=1, fail) with the apt-get line to run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REQUIRE_ALL = os.environ.get("STORYBANK_REQUIRE_ALL") == "1"


def require_system(what: str, available: bool, apt_packages: str) -> None:
    """Skip the calling test when a system package is missing; fail instead under CI."""
    if available:
        return
    message = f"{what} is not installed: apt-get install -y {apt_packages}"
    if REQUIRE_ALL:
        pytest.fail(f"STORYBANK_REQUIRE_ALL=1 but {message}")
    pytest.skip(message)


def chromium_path() -> str | None:
    """Debian's Chromium, which the browser tests drive through Playwright."""
    return shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium") or None


@pytest.fixture
def require_chromium() -> str:
    """Path of Debian's Chromium; skips (or fails under CI) when it is absent."""
    path = chromium_path()
    require_system("Chromium", path is not None, "chromium")
    try:
        import playwright  # noqa: F401
    except ImportError:
        require_system("Playwright for Python", False, "chromium  (and: pip install -e '.[test]')")
    return path  # type: ignore[return-value]


@pytest.fixture
def require_flite() -> str:
    """Path of Debian's flite, which synthesises speech for the speech tests."""
    path = shutil.which("flite")
    require_system("flite", path is not None, "flite")
    return path  # type: ignore[return-value]


@pytest.fixture(autouse=True)
def storybank_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point STORYBANK_HOME at a fresh folder so no test touches a real user's data."""
    home = tmp_path / "storybank-home"
    home.mkdir()
    monkeypatch.setenv("STORYBANK_HOME", str(home))
    monkeypatch.delenv("STORYBANK_DATABASE_URL", raising=False)
    return home
