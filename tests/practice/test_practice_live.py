"""The terminal countdown's pieces: the clock text, typed keys, and the line-mode reader."""

from __future__ import annotations

import io

import pytest

from storybank.cli.practice_live import _apply_keys, clock_text, read_lines


def test_clock_text_counts_down_then_shows_the_overrun() -> None:
    assert clock_text(32.2, 12.8).plain == "0:33 left"
    assert "yellow" in str(clock_text(9.0, 36.0).style)
    over = clock_text(-5.0, 50.0)
    assert over.plain.startswith("+0:05 over") and "red" in str(over.style)
    assert clock_text(None, 75.0).plain == "1:15 elapsed"


def test_keys_edit_the_buffer_and_ctrl_d_finishes() -> None:
    buffer: list[str] = []
    assert _apply_keys(buffer, "I decidee\x7fd\r") is False
    assert "".join(buffer) == "I decided\n"
    assert _apply_keys(buffer, "more\x04ignored") is True
    assert "".join(buffer) == "I decided\nmore"
    with pytest.raises(KeyboardInterrupt):
        _apply_keys([], "\x03")


def test_a_lone_dot_line_finishes_a_typed_step() -> None:
    buffer: list[str] = []
    assert _apply_keys(buffer, "first line\n.\n") is True
    assert "".join(buffer) == "first line"


def test_line_mode_reads_until_the_dot_or_the_end() -> None:
    assert read_lines(io.StringIO("one\n\ntwo\n.\nthree\n")) == "one\n\ntwo"
    assert read_lines(io.StringIO("only line\n")) == "only line"
    with pytest.raises(EOFError):
        read_lines(io.StringIO(""))
