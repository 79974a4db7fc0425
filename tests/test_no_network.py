"""storybank makes no network calls at run time: every socket connection attempt fails the test."""

import re
import socket

import pytest
from typer.testing import CliRunner

import storybank
from storybank.cli.main import app

ANSWER = "I decided to merge the two KYC queues, which cut review time by 35 % and saved $400k a year."


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise NetworkUsed(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_analyzer_uses_no_network(no_network):
    assert storybank.analyze(ANSWER).verdict == "decisive"
    assert no_network == []


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "-", "--json"],
        ["profile", "list"],
        ["profile", "show", "binance"],
    ],
)
def test_cli_commands_use_no_network(no_network, args):
    result = CliRunner().invoke(app, args, input=ANSWER)
    assert result.exit_code == 0, result.output
    assert no_network == []


def test_web_app_uses_no_network(no_network):
    from fastapi.testclient import TestClient

    from storybank.settings import Settings
    from storybank.web.app import create_app

    with TestClient(create_app(Settings.from_env()), base_url="http://127.0.0.1:8000") as client:
        analysed = client.post("/api/analyze", json={"text": ANSWER})
        assert analysed.status_code == 200 and analysed.json()["verdict"] == "decisive"
        created = client.post("/api/stories", json={"title": "KYC queues", "text": ANSWER})
        assert created.status_code == 201
        for page in ("/", "/stories", f"/stories/{created.json()['id']}", "/stories/new"):
            response = client.get(page)
            assert response.status_code == 200, page
            external = re.findall(r'(?:src|href|action)="(?:https?:)?//(?!127\.0\.0\.1)[^"]*"', response.text)
            assert external == [], (page, external)
    assert no_network == []
