"""storybank makes no network calls at run time: every socket connection attempt fails the test."""

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
