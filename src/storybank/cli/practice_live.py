"""Typing an answer under a visible countdown.

On a terminal the keys are read one by one (no echo) and a Rich Live panel shows the text typed
so far under the time left, turning red and counting up once the limit has passed: running over
is shown, never blocked. Ctrl-D (or a line holding a single `.`) ends the step. Without a
terminal (a pipe, a test) lines are read until that same end marker, with no live display.
"""

from __future__ import annotations

import os
import select
import sys
import time
from collections.abc import Callable

from rich.console import Console, Group
from rich.live import Live
from rich.panel import Panel
from rich.text import Text

END_MARKER = "."
REFRESH_SECONDS = 0.2
_CTRL_D, _CTRL_C, _BACKSPACES, _ESCAPE = "\x04", "\x03", ("\x7f", "\x08"), "\x1b"


def clock_text(remaining: float | None, elapsed: float) -> Text:
    """`0:32 left` in green (yellow under 10 s), `+0:05 over` in red, or `0:12` with no limit."""
    if remaining is None:
        return Text(f"{_mmss(elapsed)} elapsed", style="bold")
    if remaining >= 0:
        return Text(f"{_mmss(remaining)} left", style="bold yellow" if remaining < 10 else "bold green")
    return Text(f"+{_mmss(-remaining)} over (recorded, not blocked)", style="bold red")


def _mmss(seconds: float) -> str:
    whole = int(seconds + 0.999) if seconds > 0 else 0
    return f"{whole // 60}:{whole % 60:02d}"


def finished_text(lines: list[str]) -> str:
    """The typed text without the end marker line."""
    if lines and lines[-1].strip() == END_MARKER:
        lines = lines[:-1]
    return "\n".join(lines).strip("\n")


def read_lines(stream=None) -> str:
    """Lines from a non-terminal input until a lone `.` or the end of input.

    Raises EOFError when the input has ended before anything was read.
    """
    stream = stream or sys.stdin
    lines: list[str] = []
    for line in stream:
        line = line.rstrip("\n").rstrip("\r")
        if line.strip() == END_MARKER:
            return "\n".join(lines).strip("\n")
        lines.append(line)
    if not lines:
        raise EOFError("the input ended")
    return "\n".join(lines).strip("\n")


def interactive_terminal() -> bool:
    """True when both input and output are a terminal that supports raw key reading."""
    try:
        import termios  # noqa: F401
    except ImportError:
        return False
    return sys.stdin.isatty() and sys.stdout.isatty()


def read_with_countdown(
    console: Console, title: str, limit: float | None, monotonic: Callable[[], float] = time.monotonic
) -> str:
    """Read one step's text while a live countdown runs; returns the text (possibly empty)."""
    if not interactive_terminal():
        return read_lines()
    import termios
    import tty

    descriptor = sys.stdin.fileno()
    saved = termios.tcgetattr(descriptor)
    started = monotonic()
    buffer: list[str] = []

    def render() -> Panel:
        elapsed = monotonic() - started
        remaining = None if limit is None else limit - elapsed
        body = Text("".join(buffer) + "▌")
        hint = Text("Ctrl-D (or a line with a single .) to finish", style="dim")
        return Panel(Group(body, hint), title=clock_text(remaining, elapsed), subtitle=title, subtitle_align="left")

    try:
        tty.setcbreak(descriptor)
        with Live(render(), console=console, refresh_per_second=1 / REFRESH_SECONDS, transient=False) as live:
            while True:
                ready, _, _ = select.select([descriptor], [], [], REFRESH_SECONDS)
                if ready:
                    chunk = os.read(descriptor, 1024).decode("utf-8", errors="replace")
                    if _apply_keys(buffer, chunk):
                        break
                live.update(render())
    finally:
        termios.tcsetattr(descriptor, termios.TCSADRAIN, saved)
    return finished_text("".join(buffer).split("\n"))


def _apply_keys(buffer: list[str], chunk: str) -> bool:
    """Apply typed keys to the buffer; True when the step is finished."""
    for key in chunk:
        if key == _CTRL_C:
            raise KeyboardInterrupt
        if key == _CTRL_D:
            return True
        if key in _BACKSPACES:
            if buffer:
                buffer.pop()
            continue
        if key == _ESCAPE:
            continue
        buffer.append("\n" if key == "\r" else key)
        if key in "\r\n" and "".join(buffer).endswith(f"\n{END_MARKER}\n"):
            del buffer[-3:]
            return True
    return False
