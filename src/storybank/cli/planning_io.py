"""Input and output for `storybank plan` and `storybank offer`: dates, files, the profile."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from storybank.cli.common import decode_text, fail

if TYPE_CHECKING:
    from storybank.planning.models import OfferDefaults
    from storybank.planning.offer import OfferTerms
    from storybank.rubric.models import Profile

MAX_COMPARE_BYTES = 1_000_000


def load_defaults(profile: str | None) -> "Profile":
    """The chosen (or active) profile, or exit 2 with the loader's message."""
    from storybank.rubric.loader import ProfileError, load_profile
    from storybank.settings import Settings

    try:
        return load_profile(profile or Settings.from_env().active_profile())
    except ProfileError as error:
        fail(str(error).replace("\n", "; "))


def parse_date(text: str, option: str) -> date:
    """An ISO date (YYYY-MM-DD), or exit 2 naming the option."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        fail(f"{option}: {text!r} is not a date; expected YYYY-MM-DD")


def parse_round(text: str) -> tuple[int, date]:
    """`N=YYYY-MM-DD` from `--round`, or exit 2 with an example."""
    match = re.fullmatch(r"\s*(\d{1,2})\s*=\s*(\S+)\s*", text)
    if not match:
        fail(f"--round: {text!r} is not N=YYYY-MM-DD (e.g. --round 2=2026-03-04)")
    return int(match[1]), parse_date(match[2], f"--round {match[1]}")


def write_output(path: str, data: bytes) -> None:
    """Write bytes to a file, or to stdout for `-`; exit 2 when the file cannot be written."""
    if path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        Path(path).write_bytes(data)
    except OSError as error:
        fail(f"{path}: cannot be written ({error.strerror or error})")


def _parse(text: str, path: str) -> Any:
    if path.lower().endswith(".json"):
        import json

        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            fail(f"{path}: malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}")
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        fail(f"{path}: malformed YAML{where}: {getattr(error, 'problem', None) or error}")


def load_compare_file(path: str, defaults: "OfferDefaults | None") -> list["OfferTerms"]:
    """Read other offers from a JSON (`.json`) or YAML file; exit 2 naming the file when malformed."""
    from storybank.planning.compare import offers_from_data

    file = Path(path)
    try:
        if file.stat().st_size > MAX_COMPARE_BYTES:
            fail(f"{path}: larger than {MAX_COMPARE_BYTES:,} bytes; expected a short list of offers")
        raw = file.read_bytes()
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except IsADirectoryError:
        fail(f"{path}: is a directory, expected a JSON or YAML file")
    except OSError as error:
        fail(f"{path}: cannot be read ({error.strerror or error})")
    return offers_from_data(_parse(decode_text(raw, path), path), path, defaults)
