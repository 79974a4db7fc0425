"""`storybank serve`: loopback by default, a warning elsewhere, a clear message on a busy port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
from typer.testing import CliRunner

from storybank.cli.main import app

STORYBANK = str(Path(sys.executable).with_name("storybank"))


def test_serve_is_listed_in_the_help():
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host" in result.output and "--port" in result.output


def test_a_busy_port_exits_2_with_a_message():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


def test_serve_binds_loopback_by_default(live_server):
    assert live_server.startswith("http://127.0.0.1:")
    response = httpx.get(live_server + "/")
    assert response.status_code == 200
    assert "server" not in response.headers


def test_binding_elsewhere_warns_that_there_is_no_authentication(storybank_home):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, STORYBANK_HOME=str(storybank_home))
    process = subprocess.Popen(
        [STORYBANK, "serve", "--host", "0.0.0.0", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first_line = process.stderr.readline()
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()
    assert "warning" in first_line and "no authentication" in first_line


def test_host_names_allowed_follow_the_bound_address():
    from storybank.cli.serve import allowed_hosts

    assert allowed_hosts("0.0.0.0") is None and allowed_hosts("::") is None
    assert allowed_hosts("127.0.0.1") == ("127.0.0.1", "localhost", "[::1]")
    assert "192.168.1.5" in allowed_hosts("192.168.1.5")
    assert "[fe80::1]" in allowed_hosts("fe80::1")
