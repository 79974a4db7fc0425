"""The `storybank` command: one Typer app; each command group lives in its own module.

Command modules import only Typer at module level and load everything else inside the
command, so `storybank analyze` starts fast.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="storybank",
    help="Turn work experiences into short, decisive, quantified interview stories.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module defines `register(app)`; the order here is the order in `--help`.
COMMAND_MODULES = [
    "storybank.cli.analyze",
    "storybank.cli.profile",
    "storybank.cli.story",
    "storybank.cli.bank",
    "storybank.cli.planning",
    "storybank.cli.practice",
    "storybank.cli.serve",
    "storybank.cli.speech",
]


def _register_commands() -> None:
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(app)


_register_commands()


def run() -> None:
    """Console-script entry point."""
    app()
