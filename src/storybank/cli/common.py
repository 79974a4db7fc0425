"""Helpers shared by command modules: reading input safely and failing with exit code 2."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import typer

MAX_TEXT_CHARS = 100_000


def fail(message: str, code: int = 2) -> NoReturn:
    """Print a one-line message on stderr and exit with `code` (2: bad input or usage)."""
    typer.echo(f"storybank: {message}", err=True)
    raise typer.Exit(code)


def decode_text(raw: bytes, source: str) -> str:
    """Decode UTF-8 input (dropping a byte-order mark); refuse binary or invalid bytes."""
    if b"\x00" in raw:
        fail(f"{source}: binary input (NUL bytes); expected UTF-8 text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        fail(f"{source}: invalid UTF-8 at byte {error.start}; expected UTF-8 text")
    return text


def read_text_argument(path: str | None) -> tuple[str, str]:
    """Read FILE or `-`/nothing (stdin); return (text, source name) or exit 2 with a message."""
    if path is None or path == "-":
        return decode_text(sys.stdin.buffer.read(), "stdin"), "stdin"
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except IsADirectoryError:
        fail(f"{path}: is a directory, expected a text file")
    except OSError as error:
        fail(f"{path}: cannot be read ({error.strerror or error})")
    return decode_text(raw, path), path


def check_answer_text(text: str, source: str) -> str:
    """Refuse empty answers and answers over the length limit."""
    if not text.strip():
        fail(f"{source}: empty text; nothing to analyze")
    if len(text) > MAX_TEXT_CHARS:
        fail(f"{source}: text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}")
    return text
