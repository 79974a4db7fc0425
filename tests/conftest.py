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


# --- databases: every storage test runs on SQLite, and again on PostgreSQL when
# STORYBANK_TEST_DATABASE_URL names a server (each test gets its own fresh database there).
TEST_DATABASE_VARIABLE = "STORYBANK_TEST_DATABASE_URL"


def _database_backends() -> list:
    backends = [pytest.param("sqlite", id="sqlite")]
    if os.environ.get(TEST_DATABASE_VARIABLE):
        backends.append(pytest.param("postgresql", id="postgresql"))
    return backends


def _fresh_postgres_database(server_url: str):
    """Create a uniquely named database on the test server; return (its URL, a dropper)."""
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(server_url)
    admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"storybank_test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return server.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(params=_database_backends())
def database_url(request: pytest.FixtureRequest, storybank_home: Path, monkeypatch: pytest.MonkeyPatch):
    """URL of a fresh, empty database for this test, also set as STORYBANK_DATABASE_URL."""
    if request.param == "sqlite":
        url = f"sqlite:///{storybank_home / 'storybank.db'}"
        monkeypatch.setenv("STORYBANK_DATABASE_URL", url)
        yield url
        return
    url, drop = _fresh_postgres_database(os.environ[TEST_DATABASE_VARIABLE])
    monkeypatch.setenv("STORYBANK_DATABASE_URL", url)
    try:
        yield url
    finally:
        drop()


@pytest.fixture
def require_postgres() -> str:
    """The PostgreSQL server URL for tests; skips (or fails under CI) when none is configured."""
    url = os.environ.get(TEST_DATABASE_VARIABLE, "")
    require_system(f"a PostgreSQL server for the storage tests ({TEST_DATABASE_VARIABLE} is unset)", bool(url), "postgresql")
    return url
