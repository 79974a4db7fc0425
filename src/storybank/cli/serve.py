"""`storybank serve`: run the local web UI and JSON API."""

from __future__ import annotations

import typer

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def register(app: typer.Typer) -> None:
    """Add the `serve` command."""
    app.command("serve")(serve)


def allowed_hosts(host: str) -> tuple[str, ...] | None:
    """Host names requests may use: loopback ones, plus `host` itself; any when bound to all interfaces."""
    from storybank.web.security import LOOPBACK_HOSTS

    if host in ("0.0.0.0", "::", ""):
        return None
    name = f"[{host}]" if ":" in host else host
    return tuple(dict.fromkeys((*LOOPBACK_HOSTS, name.lower())))


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; keep the default to stay on this computer."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
) -> None:
    """Run the web UI at http://HOST:PORT (it never opens a browser by itself)."""
    import socket

    from storybank.cli.common import fail

    try:
        with socket.create_server((host, port), reuse_port=False):
            pass
    except OSError as error:
        fail(f"cannot listen on {host}:{port}: {error.strerror or error}")
    if host not in LOOPBACK_HOSTS:
        typer.echo(
            f"storybank: warning: listening on {host}, not 127.0.0.1. There is no authentication in this mode: "
            "anyone who can reach this address can read and change your stories.",
            err=True,
        )
    import uvicorn

    from storybank.settings import Settings
    from storybank.web import create_app

    settings = Settings.from_env()
    settings.home.mkdir(parents=True, exist_ok=True)
    shown_host = f"[{host}]" if ":" in host else host
    typer.echo(f"storybank: serving on http://{shown_host}:{port}  (data in {settings.home}; Ctrl+C stops)")
    app = create_app(settings, allowed_hosts=allowed_hosts(host))
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, server_header=False)
