"""Fixtures for the web tests: an in-process test client, and a real server driven by Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "web"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def client(storybank_home: Path):
    """A test client for an app built on the test's own STORYBANK_HOME."""
    from fastapi.testclient import TestClient

    from storybank.settings import Settings
    from storybank.web import create_app

    with TestClient(create_app(Settings.from_env()), base_url="http://127.0.0.1:8000") as test_client:
        yield test_client


@pytest.fixture
def form_token(client) -> str:
    """The CSRF token of the test client's session, for HTML form posts (any page sets it)."""
    client.get("/stories/new")
    return client.cookies["storybank_csrf"]


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(home: Path, port: int) -> subprocess.Popen:
    """Run `storybank serve` on `port` with `home` as STORYBANK_HOME; wait until it answers."""
    executable = Path(sys.executable).with_name("storybank")
    env = dict(os.environ, STORYBANK_HOME=str(home))
    env.pop("STORYBANK_DATABASE_URL", None)
    process = subprocess.Popen(
        [str(executable), "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise RuntimeError(f"storybank serve exited with {process.returncode}: {output}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("storybank serve did not answer within 30 s")


@pytest.fixture
def live_server(storybank_home: Path) -> Iterator[str]:
    """Base URL of a real `storybank serve` on a free loopback port, with the test's own home."""
    port = free_port()
    process = start_server(storybank_home, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (headless, no network chatter), once per session."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    missing = None
    if not os.path.exists(chromium):
        missing = "Chromium is not installed: apt-get install -y chromium"
    else:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            missing = "Playwright for Python is not installed: pip install -e '.[test]'"
    if missing:
        if os.environ.get("STORYBANK_REQUIRE_ALL") == "1":
            pytest.fail(f"STORYBANK_REQUIRE_ALL=1 but {missing}")
        pytest.skip(missing)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser, live_server: str):
    """A fresh laptop-sized page whose relative URLs go to the live server."""
    context = chromium_browser.new_context(base_url=live_server, viewport=LAPTOP)
    context.set_default_timeout(15_000)
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    page.console_errors = console_errors
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """Save a PNG of a page under tests/artifacts/web/ (gitignored) for people to look at."""

    def save(page, name: str, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return save
