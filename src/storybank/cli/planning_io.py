"""Files and the profile for `storybank plan` and `storybank offer` (parsing lives in `planning.inputs`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

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


def load_compare_file(path: str, defaults: "OfferDefaults | None") -> list["OfferTerms"]:
    """Read other offers from a JSON (`.json`) or YAML file; exit 2 naming the file when malformed."""
    from storybank.planning.compare import offers_from_data
    from storybank.planning.inputs import parse_offers_text

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
    data = parse_offers_text(decode_text(raw, path), path, format="json" if path.lower().endswith(".json") else "yaml")
    return offers_from_data(data, path, defaults)
